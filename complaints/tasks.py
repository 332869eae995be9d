"""Celery tasks of the complaints app. Tasks take ids (and ``now`` where time matters)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from complaints.models import Event, OutboxState
from complaints.notifications import event_notify
from disposition.notifications import staff_notify

logger = logging.getLogger(__name__)

BATCH = 100


@shared_task(acks_late=True)
def process_pending_events() -> int:
    """Run the side effects (notifications) of events still pending; returns how many.

    Each event tells the reporter (``event_notify``), then staff (``staff_notify``: a new
    disposition to the OPD's admins).

    Idempotent: each event is claimed under a row lock (``skip_locked``, so two workers take
    different events) and marked done in the same transaction as its sending, so an event is
    processed once even if this task runs twice at the same time. A failure leaves the event
    pending for the next run (the beat schedule sweeps every minute); on that retry both
    notifiers skip the messages they already sent (each marks its sends in the cache).
    """
    processed = 0
    last_id = 0  # a failed event stays pending; this run moves past it
    while True:
        with transaction.atomic():
            batch = list(
                Event.objects.select_for_update(skip_locked=True)
                .filter(notify_state=OutboxState.PENDING, id__gt=last_id)
                .select_related("complaint")
                .order_by("id")[:BATCH]
            )
            if not batch:
                return processed
            for event in batch:
                last_id = event.pk
                try:
                    event_notify(event)
                    staff_notify(event)
                except Exception:
                    logger.exception("Notification for event %s failed; will retry", event.pk)
                    continue
                Event.objects.filter(pk=event.pk).update(notify_state=OutboxState.DONE)
                processed += 1
            if len(batch) < BATCH:
                return processed
