"""Telling the reporter what happened, from the event log (the outbox).

Identity is read from the Reporter row at sending time, never copied into the queue: a report
anonymised before its notification goes out is simply not notified.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from complaints.models import Event, Reporter, Status


def event_notify(event: Event) -> bool:
    """Send the notification for one event; returns whether anything was sent."""
    reporter = Reporter.objects.filter(complaint_id=event.complaint_id).first()
    if reporter is None or not reporter.email or reporter.anonymised_at:
        return False
    complaint = event.complaint
    with translation.override("id"):
        context = {
            "complaint": complaint,
            "event": event,
            # The status the event moved to, not the current one: a late send still tells
            # each step as it happened.
            "status_label": Status(event.to_status or complaint.status).label,
            "tracking_url": f"{settings.SITE_URL}/lacak/?nomor={complaint.tracking_number}",
        }
        subject = f"Laporan {complaint.tracking_number}: {context['status_label']}"
        body = render_to_string("complaints/email/status_changed.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [reporter.email])
    return True
