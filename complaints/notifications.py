"""Telling the reporter what happened, from the event log (the outbox).

``complaints.tasks.process_pending_events`` calls ``event_notify`` for every event written with
``notify=True``, after the commit. This module decides what, if anything, the reporter is told
about that event, and sends it: an e-mail (plain text with a simple HTML alternative) to the
address given with the report, and a one-segment SMS (``complaints.messaging``) to the phone.

- submission: the tracking number, the link, and the access code (the code waits in the cache
  for this notification, see ``complaints.services.tracking``; it is never in the event);
- every status change: the new status in plain words and what happens next, with the question
  when information is asked for, the OPD(s) when the report is routed, the deadline when it
  runs on the reporter (reporter information, objection window);
- every response meant for the reporter (public or reporter-only; never an internal note);
- a re-sent access code, to the one contact it was asked for.

Nothing goes to a reporter whose identity was erased (the Reporter row is read at sending
time, never copied into the queue), nor for a report from SP4N-LAPOR! (LAPOR! informs its own
reporters, who follow their report there). The access code is in no message but the submission
confirmation and the re-sent code.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from complaints.messaging import SMS_MAX_LENGTH, send_sms
from complaints.models import ArchiveReason, Channel, Event, OutboxState, Reporter, Status
from complaints.selectors.tracking import STATUS_GUIDE
from complaints.services.reports import access_code_forget, access_code_stashed
from complaints.workflow import Action
from disposition.models import ClockKind, Response, ResponseKind, Visibility

logger = logging.getLogger(__name__)

RESPONSE_ACTIONS = (Action.RESPOND_INITIAL, Action.FOLLOW_UP, Action.RESPOND_FINAL)
# A channel sent once stays sent when the event is retried because the other one failed.
SENT_MARK_SECONDS = 24 * 3600


@dataclass
class Notice:
    """One thing to tell the reporter: its subject, templates (``complaints/email/<template>``
    .txt/.html and ``complaints/sms/<template>.txt``) and their context."""

    subject: str
    template: str
    context: dict = field(default_factory=dict)
    channels: frozenset = frozenset({"email", "sms"})
    # The event whose stashed access code this notice carries (forgotten once sent).
    carries_code: bool = False


def tracking_url(tracking_number: str) -> str:
    """The tracking form with the number filled in; it opens the report at once for a browser
    or an account that already has access."""
    return f"{settings.SITE_URL}{reverse('complaints:track')}?nomor={quote(tracking_number)}"


def short_tracking_url(tracking_number: str) -> str:
    """The report's own tracking address (shorter, for SMS); without access it leads to the
    form with the number filled in."""
    return f"{settings.SITE_URL}{reverse('complaints:track_detail', args=[tracking_number])}"


def event_notify(event: Event) -> bool:
    """Send the notification for one event; returns whether anything was sent.

    Raises when a channel fails, so the event stays pending and is retried; a channel that
    already went out is not sent again on the retry.
    """
    complaint = event.complaint
    if complaint.channel == Channel.LAPOR:
        return False
    reporter = Reporter.objects.filter(complaint_id=event.complaint_id).first()
    if reporter is None or reporter.anonymised_at or not (reporter.email or reporter.phone):
        return False
    with translation.override("id"):
        notice = notice_for(event)
        if notice is None:
            return False
        context = {
            "complaint": complaint,
            "tracking_number": complaint.tracking_number,
            "tracking_url": tracking_url(complaint.tracking_number),
            "resend_url": f"{settings.SITE_URL}{reverse('complaints:resend_code')}",
            "site_url": settings.SITE_URL,
            **notice.context,
        }
        sent = False
        if reporter.email and "email" in notice.channels:
            sent |= _once(event, "email", lambda: _send_email(notice, context, reporter.email))
        if reporter.phone and "sms" in notice.channels:
            sent |= _once(event, "sms", lambda: _send_sms(notice, context, reporter.phone))
    if notice.carries_code:
        access_code_forget(event)
    return sent


def _once(event: Event, channel: str, send) -> bool:
    # Keyed by the (random) tracking number too: event ids repeat across databases.
    key = f"notify-sent:{event.complaint.tracking_number}:{event.pk}:{channel}"
    if cache.get(key):
        return True
    send()
    cache.set(key, 1, SENT_MARK_SECONDS)
    return True


def _send_email(notice: Notice, context: dict, to: str) -> None:
    text = render_to_string(f"complaints/email/{notice.template}.txt", context)
    html = render_to_string(f"complaints/email/{notice.template}.html", context)
    message = EmailMultiAlternatives(notice.subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def sms_text(head: str, url: str) -> str:
    """``head`` and ``url`` in one SMS segment: the head is shortened, never the link."""
    head = re.sub(r"\s+", " ", head).strip()
    text = f"{head} {url}"
    if len(text) <= SMS_MAX_LENGTH:
        return text
    room = SMS_MAX_LENGTH - len(url) - 3
    if room < 20:
        return head[:SMS_MAX_LENGTH]
    return f"{head[:room].rstrip()}.. {url}"


def _send_sms(notice: Notice, context: dict, to: str) -> None:
    head = render_to_string(f"complaints/sms/{notice.template}.txt", context)
    send_sms(to, sms_text(head, short_tracking_url(context["tracking_number"])))


# --- what to say about an event ---------------------------------------------------------------


def notice_for(event: Event) -> Notice | None:
    """What the reporter is told about ``event``, or None if nothing."""
    number = event.complaint.tracking_number
    if event.action == Action.SUBMIT:
        code = access_code_stashed(event)
        return Notice(
            subject=gettext("Laporan %(number)s: %(status)s")
            % {"number": number, "status": Status.RECEIVED.label},
            template="submitted",
            context={
                "access_code": code,
                "status_label": Status.RECEIVED.label,
                "guide": STATUS_GUIDE[Status.RECEIVED],
            },
            carries_code=code is not None,
        )
    if event.action == Action.ACCESS_CODE_RESENT:
        code = access_code_stashed(event)
        if code is None:
            return None  # expired unsent: the reporter asks again
        channel = (event.data or {}).get("channel", "email")
        return Notice(
            subject=gettext("Kode akses baru untuk laporan %(number)s") % {"number": number},
            template="access_code",
            context={"access_code": code},
            channels=frozenset({channel}),
            carries_code=True,
        )
    if event.action in RESPONSE_ACTIONS:
        return _response_notice(event)
    if event.to_status and event.to_status != event.from_status:
        return _status_notice(event)
    return None


def _written_before(event: Event, actions) -> list[Event]:
    """The disposition events the same service call wrote just before ``event`` with one of
    ``actions`` (the per-OPD disposition events, the answer that moved the status).

    A service writes its events in one transaction under the report's row lock, so they are
    consecutive among the report's events and share ``created_at``: the run of such events
    right before this one, newest first.
    """
    run = []
    earlier = Event.objects.filter(
        complaint_id=event.complaint_id, created_at=event.created_at, pk__lt=event.pk
    ).order_by("-pk")
    for other in earlier[:50]:
        if other.action not in actions or other.disposition_id is None:
            break
        run.append(other)
    return run


def _written_after(event: Event) -> Event | None:
    """The event the same service call wrote right after ``event``, if any."""
    return (
        Event.objects.filter(
            complaint_id=event.complaint_id, created_at=event.created_at, pk__gt=event.pk
        )
        .order_by("pk")
        .first()
    )


def _for_reporter(response_ids) -> list[Response]:
    return list(
        Response.objects.filter(
            pk__in=list(response_ids), visibility__in=[Visibility.PUBLIC, Visibility.REPORTER]
        )
        .exclude(kind=ResponseKind.NOTE)
        .select_related("opd")
        .order_by("created_at", "id")
    )


def _response_notice(event: Event) -> Notice | None:
    responses = _for_reporter([(event.data or {}).get("response")])
    if not responses:
        return None  # an internal note, or not meant for the reporter
    response = responses[0]
    opd = response.opd.short_name if response.opd else "OPD"
    # A status the same call changed (the first answer, the last final answer) is told here,
    # in one message (its own event then stays silent, see _status_notice).
    status_event = _written_after(event)
    if not (
        status_event is not None
        and status_event.action == Action.DISPOSITIONS_CHANGED
        and status_event.to_status
        and status_event.to_status != status_event.from_status
    ):
        status_event = None
    new_status = Status(status_event.to_status) if status_event else None
    return Notice(
        subject=gettext("Laporan %(number)s: %(kind)s dari %(opd)s")
        % {
            "number": event.complaint.tracking_number,
            "kind": ResponseKind(response.kind).label.lower(),
            "opd": opd,
        },
        template="response",
        context={
            "response": response,
            "kind_label": ResponseKind(response.kind).label,
            "opd": opd,
            "new_status": new_status,
            "status_label": new_status.label if new_status else "",
            "guide": STATUS_GUIDE[new_status] if new_status else "",
            "objection_due": _due(status_event, ClockKind.OBJECTION) if status_event else None,
        },
    )


def _status_notice(event: Event) -> Notice | None:
    responses, opds = [], []
    if event.action == Action.DISPOSITIONS_CHANGED:
        # The answer that moved the status was written just before it, by the same call.
        answers = _written_before(event, RESPONSE_ACTIONS)[:1]
        if any(a.notify_state != OutboxState.NONE for a in answers):
            return None  # the answer's own message tells this status too
        responses = _for_reporter((a.data or {}).get("response") for a in answers)
    elif event.action == Action.DISPOSITION:
        opds = [
            e.data.get("opd_name")
            for e in reversed(_written_before(event, {Action.DISPOSITION}))
            if e.disposition_id and (e.data or {}).get("opd_name")
        ]
    status = Status(event.to_status)
    data = event.data or {}
    archive_reason = data.get("archive_reason", "")
    return Notice(
        subject=gettext("Laporan %(number)s: %(status)s")
        % {"number": event.complaint.tracking_number, "status": status.label},
        template="status_changed",
        context={
            "event": event,
            "status": status,
            "status_label": status.label,
            "guide": STATUS_GUIDE[status],
            "question": event.reason if event.action == Action.REQUEST_INFO else "",
            "reporter_info_due": _due(event, ClockKind.REPORTER_INFO),
            "objection_due": _due(event, ClockKind.OBJECTION),
            "opds": opds,
            "archive_reason": ArchiveReason(archive_reason).label
            if archive_reason in ArchiveReason.values
            else "",
            "institution": data.get("institution_name", "") if status == Status.ESCALATED else "",
            "responses": responses,
        },
    )


def _due(event: Event, kind: str) -> datetime | None:
    """The due time of clock ``kind`` started by ``event`` (from the clock dicts it records)."""
    for change in (event.data or {}).get("clocks") or []:
        if (
            isinstance(change, dict)
            and change.get("kind") == kind
            and change.get("op") in ("start", "already_open")
            and change.get("due_at")
        ):
            return datetime.fromisoformat(change["due_at"])
    return None
