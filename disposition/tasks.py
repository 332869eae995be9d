"""Celery tasks of the disposition app."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from disposition.calendar import WIB, holidays_seed, require_aware


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
)
def seed_holidays(now: str | None = None) -> int:
    """Seed this year's and next year's holidays and cuti bersama (in WIB) from the package.

    Run monthly by beat (settings.CELERY_BEAT_SCHEDULE): the government announces next year's
    cuti bersama during the year, so next year is seeded early and refreshed until it starts.

    Idempotent, so beat may fire it twice and a late ack may redeliver it: ``holidays_seed``
    only inserts dates that have no row yet (the unique date is the key), only renames rows it
    seeded itself, never re-activates a date an admin deactivated and never touches a row an
    admin edited. A second run changes nothing and returns 0.

    ``now`` (ISO 8601 with offset) fixes the current time, for a manual run or a test.
    Returns the number of holidays created.
    """
    moment = timezone.now() if now is None else datetime.fromisoformat(now)
    require_aware(moment, "now")
    year = moment.astimezone(WIB).year
    return holidays_seed(years=[year, year + 1])
