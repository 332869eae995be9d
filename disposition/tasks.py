"""Celery tasks of the disposition app."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from disposition.calendar import WIB, holidays_seed, require_aware, working_calendar
from disposition.notifications import digest_send


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


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
)
def send_daily_digest(now: str | None = None) -> int:
    """E-mail each OPD's admins and Pejabat Penghubung their dispositions at risk and overdue,
    and Admin Kabupaten the reports awaiting verification and disposition at risk and overdue
    (``disposition.notifications.digest_send``). Run by beat at 07:00 WIB, Monday to Friday
    (settings.CELERY_BEAT_SCHEDULE); on a holiday or cuti bersama it sends nothing.

    Idempotent per person per WIB date: each digest is marked sent in the cache under the date
    and the account, so a second run the same day (beat firing twice, a late-ack redelivery, a
    retry after a failure part-way) sends only what was not sent yet. Nobody gets an empty
    digest.

    ``now`` (ISO 8601 with offset) fixes the current time, for a manual run or a test.
    Returns the number of e-mails sent.
    """
    moment = timezone.now() if now is None else datetime.fromisoformat(now)
    require_aware(moment, "now")
    if not working_calendar().is_working_day(moment.astimezone(WIB).date()):
        return 0
    return digest_send(now=moment)
