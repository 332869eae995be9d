"""Telling staff what needs them (issue 4 point 7): e-mail only, in Indonesian.

- **A new disposition** (``staff_notify``, called by ``complaints.tasks.process_pending_events``
  for every processed event, after the reporter's notification): each active Admin OPD of
  the OPD and its Pejabat Penghubung get one e-mail per disposition; when the OPD has no
  active Admin OPD, every active Admin Kabupaten is told as well (the report would otherwise
  wait unseen), and the Pejabat Penghubung's e-mail says they may act in the admin's place.
- **The daily digest** (``digest_send``, run by ``disposition.tasks.send_daily_digest`` on
  working days): to each active Admin OPD and Pejabat Penghubung, their OPD's running
  disposition clocks that are at risk or overdue; to each active Admin Kabupaten, the reports
  awaiting verification and disposition whose clock is at risk or overdue, and the pending
  Admin OPD nominations. Nobody gets an empty digest.

Which event carries a new disposition: ``disposition.services.disposition_create`` writes one
event per disposition (with its ``disposition``; not queued for notification) and then one
report-level ``disposition`` event, which is queued when the report's status changes (the
first disposition, a re-disposition of a returned report). That report-level event names the
OPDs of the call in ``data["opds"]``, and the dispositions it made share its ``created_at``
(one ``now`` per call), so ``staff_notify`` finds them from it.

Messages carry no reporter identity (an anonim report's reporter is hidden from OPDs, and an
e-mail is read in more places than the back-office): the number, the title, the category, the
deadline and a link to the back-office, where the role's own rules apply.

Idempotency: each message is marked sent in the cache under a key naming the event (or the
day) and the recipient, so an event retried after a partial failure, or a digest task
delivered twice, sends nobody the same message twice while the mark lives (a day or two); see
``_once``. A cache flushed in between may repeat a message; it never loses one.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from complaints.models import Complaint, Event
from complaints.workflow import SORTING, Action
from disposition.calendar import DAY_SECONDS, WIB, working_calendar
from disposition.clocks import ClockStatus, clock_state
from disposition.models import (
    AdminNomination,
    ClockKind,
    ClockUnit,
    Disposition,
    DispositionStatus,
    Role,
    SlaClock,
    StaffRole,
)

logger = logging.getLogger(__name__)

SENT_MARK_SECONDS = 24 * 3600
DIGEST_MARK_SECONDS = 2 * 24 * 3600
CLAIM_SECONDS = 300
# A digest lists this many items per section, then says how many more there are.
DIGEST_MAX_ITEMS = 30
OPD_CLOCKS = (ClockKind.INITIAL_RESPONSE, ClockKind.RESOLUTION)


# --- shared -------------------------------------------------------------------------------


def _url(name: str, *args, fallback: str) -> str:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:  # a part of the back-office not mounted (yet)
        path = fallback
    return f"{settings.SITE_URL}{path}"


def report_url(tracking_number: str) -> str:
    """The report's page in the back-office."""
    return _url(
        "kelola:report_detail", tracking_number, fallback=f"/kelola/laporan/{tracking_number}/"
    )


def _title(complaint: Complaint) -> str:
    return complaint.public_title or complaint.title or gettext("(tanpa judul)")


def _recipient_key(user) -> str:
    # User ids repeat across databases (a test run, a restored copy) while the cache stays:
    # the join time makes the key this account's own.
    return f"{user.pk}.{int(user.date_joined.timestamp() * 1_000_000)}"


def _send(*, subject: str, template: str, context: dict, to: str) -> None:
    context = {"subject": subject, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"disposition/email/{template}.txt", context)
    html = render_to_string(f"disposition/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def _once(key: str, timeout: int, send) -> bool:
    """Run ``send`` unless ``key`` says it already ran (or is running); returns whether it ran.

    The key is claimed first for a few minutes (``cache.add`` is atomic, so two workers never
    both send), released if sending fails, and marked sent for ``timeout`` once it succeeded.
    A worker killed mid-send leaves only the short claim: a later run sends the message.
    """
    if not cache.add(key, "sending", CLAIM_SECONDS):
        return False
    try:
        send()
    except Exception:
        cache.delete(key)
        raise
    cache.set(key, "sent", timeout)
    return True


def _mail_once(
    key: str,
    user,
    *,
    subject: str,
    template: str,
    context: dict,
    timeout: int = SENT_MARK_SECONDS,
) -> int:
    """E-mail ``user`` unless the message ``key`` already went to them; returns 1 if sent."""
    context = {"name": user.get_full_name() or user.username, **context}
    return int(
        _once(
            f"{key}:{_recipient_key(user)}",
            timeout,
            lambda: _send(subject=subject, template=template, context=context, to=user.email),
        )
    )


def _active_roles(**filters):
    return (
        StaffRole.objects.filter(is_active=True, user__is_active=True, **filters)
        .exclude(user__email="")
        .select_related("user", "opd")
        .order_by("user__username")
    )


# --- a new disposition ----------------------------------------------------------------------


def staff_notify(event: Event) -> int:
    """Send the staff e-mails ``event`` calls for; returns how many were sent.

    Only a report-level ``disposition`` event says anything to staff (see the module
    docstring). Raises when a send fails, so the event stays pending and is retried; the
    messages already sent are not sent again.
    """
    if event.action != Action.DISPOSITION or event.disposition_id is not None:
        return 0
    opd_ids = [pk for pk in (event.data or {}).get("opds") or [] if isinstance(pk, int)]
    dispositions = list(
        Disposition.objects.filter(
            complaint_id=event.complaint_id, opd_id__in=opd_ids, created_at=event.created_at
        )
        .exclude(status=DispositionStatus.RETURNED)  # returned before we got to it: moot
        .select_related("opd", "complaint__category")
        .order_by("-is_lead", "opd__name")
    )
    if not dispositions:
        return 0
    due = dict(
        SlaClock.objects.filter(
            disposition__in=dispositions, kind=ClockKind.INITIAL_RESPONSE
        ).values_list("disposition_id", "due_at")
    )
    people = defaultdict(list)
    for role in _active_roles(
        opd_id__in=[d.opd_id for d in dispositions],
        role__in=[Role.ADMIN_OPD, Role.PEJABAT_PENGHUBUNG],
    ):
        people[role.opd_id].append(role)
    complaint = dispositions[0].complaint
    sent = 0
    without_admin = []
    with translation.override("id"):
        for disposition in dispositions:
            staff = people[disposition.opd_id]
            has_admin = any(r.role == Role.ADMIN_OPD for r in staff)
            if not has_admin:
                pp = next((r for r in staff if r.role == Role.PEJABAT_PENGHUBUNG), None)
                without_admin.append((disposition, pp))
            for role in staff:
                sent += _mail_once(
                    f"staff-notify:{complaint.tracking_number}:{event.pk}:{disposition.pk}",
                    role.user,
                    subject=gettext("Disposisi baru untuk %(opd)s: laporan %(number)s")
                    % {"opd": disposition.opd.short_name, "number": complaint.tracking_number},
                    template="disposition_new",
                    context={
                        "complaint": complaint,
                        "title": _title(complaint),
                        "disposition": disposition,
                        "due_at": due.get(disposition.pk),
                        "is_pejabat_penghubung": role.role == Role.PEJABAT_PENGHUBUNG,
                        "has_admin": has_admin,
                        "report_url": report_url(complaint.tracking_number),
                    },
                )
        if without_admin:
            sent += _tell_admin_kabupaten(event, complaint, without_admin)
    return sent


def _tell_admin_kabupaten(event: Event, complaint: Complaint, without_admin) -> int:
    """Every active Admin Kabupaten hears of dispositions to OPDs without an active admin."""
    number = complaint.tracking_number
    subject = gettext("Disposisi %(number)s ke OPD tanpa Admin OPD aktif: %(names)s") % {
        "number": number,
        "names": ", ".join(d.opd.short_name for d, _pp in without_admin),
    }
    context = {
        "complaint": complaint,
        "title": _title(complaint),
        "items": [
            {
                "disposition": disposition,
                "pejabat_penghubung": pp.user if pp is not None else None,
                "onboarding_url": _url(
                    "kelola:onboarding_opd",
                    disposition.opd_id,
                    fallback=f"/kelola/onboarding/opd/{disposition.opd_id}/",
                ),
            }
            for disposition, pp in without_admin
        ],
        "report_url": report_url(number),
    }
    return sum(
        _mail_once(
            f"staff-notify:{number}:{event.pk}:no-admin",
            role.user,
            subject=subject,
            template="disposition_no_admin",
            context=context,
        )
        for role in _active_roles(role=Role.ADMIN_KABUPATEN)
    )


# --- the daily digest ---------------------------------------------------------------------


@dataclass
class DigestItem:
    complaint: Complaint
    kind_label: str
    due_at: datetime
    state: str
    disposition: Disposition | None = None
    url: str = ""

    @property
    def is_overdue(self) -> bool:
        return self.state == ClockStatus.OVERDUE


@dataclass
class Digest:
    overdue: list[DigestItem] = field(default_factory=list)
    at_risk: list[DigestItem] = field(default_factory=list)

    def add(self, item: DigestItem) -> None:
        (self.overdue if item.is_overdue else self.at_risk).append(item)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.at_risk)


def _at_risk_or_overdue(clocks, *, now: datetime, calendar) -> list[tuple[SlaClock, str]]:
    found = []
    for clock in clocks:
        state = clock_state(clock, now=now, calendar=calendar)
        if state in (ClockStatus.AT_RISK, ClockStatus.OVERDUE):
            found.append((clock, state))
    return found


def _horizon(now: datetime, calendar) -> datetime:
    """No clock due after this is at risk: the at-risk window is at most
    ``SLA_AT_RISK_WORKING_DAYS`` of working time (shorter for short clocks, see
    ``clock_state``), and working time never runs faster than the wall clock. So the SQL
    pre-filter on the indexed ``due_at`` loses nothing; ``clock_state`` then decides."""
    return calendar.add_seconds(
        now, settings.SLA_AT_RISK_WORKING_DAYS * DAY_SECONDS, ClockUnit.WORKING_DAYS
    )


def opd_digests(*, now: datetime, calendar=None) -> dict[int, Digest]:
    """Each OPD's running disposition clocks that are at risk or overdue at ``now``."""
    calendar = calendar or working_calendar()
    clocks = (
        SlaClock.objects.filter(
            state=SlaClock.State.RUNNING,
            disposition__isnull=False,
            kind__in=OPD_CLOCKS,
            due_at__lte=_horizon(now, calendar),
        )
        .exclude(disposition__status__in=[DispositionStatus.RETURNED, DispositionStatus.FINISHED])
        .select_related("complaint", "disposition__opd", "disposition__assigned_to")
        .order_by("due_at", "id")
    )
    digests: dict[int, Digest] = defaultdict(Digest)
    for clock, state in _at_risk_or_overdue(clocks, now=now, calendar=calendar):
        digests[clock.disposition.opd_id].add(
            DigestItem(
                complaint=clock.complaint,
                kind_label=ClockKind(clock.kind).label,
                due_at=clock.due_at,
                state=state,
                disposition=clock.disposition,
                url=report_url(clock.complaint.tracking_number),
            )
        )
    return dict(digests)


def sorting_digest(*, now: datetime, calendar=None) -> Digest:
    """Reports awaiting Admin Kabupaten's verification and disposition, at risk or overdue."""
    calendar = calendar or working_calendar()
    clocks = (
        SlaClock.objects.filter(
            state=SlaClock.State.RUNNING,
            disposition__isnull=True,
            kind=ClockKind.VERIFICATION,
            complaint__status__in=SORTING,
            due_at__lte=_horizon(now, calendar),
        )
        .select_related("complaint")
        .order_by("due_at", "id")
    )
    digest = Digest()
    for clock, state in _at_risk_or_overdue(clocks, now=now, calendar=calendar):
        digest.add(
            DigestItem(
                complaint=clock.complaint,
                kind_label=ClockKind(clock.kind).label,
                due_at=clock.due_at,
                state=state,
                url=report_url(clock.complaint.tracking_number),
            )
        )
    return digest


def _section(items: list[DigestItem]) -> dict:
    return {
        "items": items[:DIGEST_MAX_ITEMS],
        "total": len(items),
        "more": max(0, len(items) - DIGEST_MAX_ITEMS),
    }


def digest_send(*, now: datetime) -> int:
    """Send today's digests (see the module docstring); returns how many e-mails went out.

    Once per person per WIB date: a cache mark keyed by the date and the account; running it
    again the same day sends nothing new (see ``_once``).
    """
    calendar = working_calendar()
    sent = 0
    with translation.override("id"):
        by_opd = opd_digests(now=now, calendar=calendar)
        if by_opd:
            for role in _active_roles(
                opd_id__in=list(by_opd), role__in=[Role.ADMIN_OPD, Role.PEJABAT_PENGHUBUNG]
            ):
                digest = by_opd[role.opd_id]
                sent += _digest_to(
                    role,
                    now=now,
                    subject=_digest_subject(digest, role.opd.short_name),
                    context={
                        "opd": role.opd,
                        "overdue": _section(digest.overdue),
                        "at_risk": _section(digest.at_risk),
                        "inbox_url": _url("kelola:opd_inbox", fallback="/kelola/"),
                    },
                )
        sorting = sorting_digest(now=now, calendar=calendar)
        pending = AdminNomination.objects.filter(status=AdminNomination.Status.PENDING).count()
        if sorting or pending:
            subject = _digest_subject(sorting, gettext("verifikasi dan disposisi"))
            if not sorting:
                subject = ngettext(
                    "Ringkasan harian: %(count)d usulan Admin OPD menunggu keputusan",
                    "Ringkasan harian: %(count)d usulan Admin OPD menunggu keputusan",
                    pending,
                ) % {"count": pending}
            for role in _active_roles(role=Role.ADMIN_KABUPATEN):
                sent += _digest_to(
                    role,
                    now=now,
                    subject=subject,
                    context={
                        "overdue": _section(sorting.overdue),
                        "at_risk": _section(sorting.at_risk),
                        "pending_nominations": pending,
                        "inbox_url": _url("kelola:inbox", fallback="/kelola/"),
                        "onboarding_url": _url("kelola:onboarding", fallback="/kelola/onboarding/"),
                    },
                )
    return sent


def _digest_subject(digest: Digest, what: str) -> str:
    parts = []
    if digest.overdue:
        parts.append(gettext("%(count)d melewati batas waktu") % {"count": len(digest.overdue)})
    if digest.at_risk:
        parts.append(gettext("%(count)d mendekati batas waktu") % {"count": len(digest.at_risk)})
    return gettext("Ringkasan harian %(what)s: %(parts)s") % {
        "what": what,
        "parts": ", ".join(parts),
    }


def _digest_to(role: StaffRole, *, now: datetime, subject: str, context: dict) -> int:
    return _mail_once(
        f"staff-digest:{now.astimezone(WIB).date().isoformat()}",
        role.user,
        subject=subject,
        template="digest_opd" if role.opd_id else "digest_kabupaten",
        context={"role": role, "now": now, **context},
        timeout=DIGEST_MARK_SECONDS,
    )
