"""What the reporter sees on the tracking page of their own report (``/lacak/<nomor>/``).

The caller has established that the visitor is this report's reporter (``tracking_actor``);
this module decides *what* they see, in the reporter's words:

- their own report as they wrote it (not the public version), with the names of its
  attachments;
- the status with a plain explanation of what happens next, and the running deadline that
  matters now;
- a timeline built from the event log, where staff appear only as "Admin Kabupaten" or
  "OPD <singkatan>" (never a name), internal notes, disposition notes and return reasons never
  appear, and only responses meant for the reporter (public or reporter-only) are quoted;
- for a report merged into another: the original's *public* version only.

``tracking_view`` makes a fixed number of queries whatever the length of the history
(pinned by tests/complaints/test_tracking.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.masking import mask_personal_data
from complaints.models import (
    ActorType,
    ArchiveReason,
    Attachment,
    Channel,
    Complaint,
    Event,
    Rating,
    Status,
)
from complaints.selectors.scope import public_reports
from complaints.workflow import Action
from disposition.calendar import working_calendar
from disposition.clocks import OPEN_STATES, ClockStatus, clock_state
from disposition.models import (
    ClockKind,
    Response,
    ResponseKind,
    Role,
    SlaClock,
    Visibility,
)

__all__ = [
    "STATUS_GUIDE",
    "Deadline",
    "OriginalReport",
    "ResponseEntry",
    "Step",
    "TimelineEntry",
    "TrackingView",
    "tracking_complaint",
    "tracking_view",
]

# What each status means for the reporter, and what happens next. Also used in e-mails.
STATUS_GUIDE = {
    Status.RECEIVED: _(
        "Laporan Anda sudah kami terima. Admin Kabupaten akan memeriksanya (verifikasi), lalu "
        "meneruskannya kepada perangkat daerah (OPD) yang berwenang."
    ),
    Status.WAITING_REPORTER: _(
        "Kami memerlukan keterangan tambahan dari Anda. Penanganan laporan berhenti sementara "
        "sampai Anda menjawab. Bila tidak dijawab sampai batas waktu, laporan akan diarsipkan."
    ),
    Status.VERIFIED: _(
        "Laporan Anda sudah diverifikasi. Admin Kabupaten segera meneruskannya kepada OPD yang "
        "berwenang."
    ),
    Status.DISPOSITIONED: _(
        "Laporan Anda sudah diteruskan kepada OPD yang berwenang. OPD akan memberikan "
        "tanggapan awal sebelum batas waktu."
    ),
    Status.RETURNED: _(
        "OPD yang dituju menyatakan laporan ini bukan kewenangannya. Admin Kabupaten sedang "
        "meneruskannya kepada OPD yang tepat."
    ),
    Status.RESPONDED: _(
        "OPD sudah menanggapi laporan Anda dan sedang menindaklanjutinya. Kami akan memberi "
        "tahu Anda setiap ada tindak lanjut baru dan saat jawaban akhir diberikan."
    ),
    Status.FINISHED: _(
        "OPD sudah memberikan jawaban akhir. Bila Anda belum puas, Anda dapat menyanggah "
        "selama masa sanggah; bila tidak, laporan ditutup otomatis setelahnya."
    ),
    Status.REOPENED: _(
        "Sanggahan Anda kami terima dan laporan dibuka kembali. OPD akan menindaklanjuti lagi "
        "dan memberikan jawaban akhir yang baru."
    ),
    Status.CLOSED: _("Penanganan laporan ini sudah selesai dan laporan ditutup."),
    Status.ARCHIVED: _(
        "Laporan ini diarsipkan dan tidak ditindaklanjuti. Alasannya tertera pada riwayat."
    ),
    Status.DUPLICATE: _(
        "Laporan Anda digabungkan dengan laporan lain tentang masalah yang sama, yang sudah "
        "ditangani. Ikuti perkembangannya melalui laporan tersebut."
    ),
    Status.ESCALATED: _(
        "Masalah ini di luar kewenangan Pemerintah Kabupaten Kudus, sehingga diteruskan melalui "
        "SP4N-LAPOR! kepada instansi yang berwenang. Kami tetap memantau perkembangannya."
    ),
}

# The clock that matters for the reporter in each status, and whose it is.
_CLOCK_FOR_STATUS = {
    Status.RECEIVED: ClockKind.VERIFICATION,
    Status.VERIFIED: ClockKind.VERIFICATION,
    Status.WAITING_REPORTER: ClockKind.REPORTER_INFO,
    Status.DISPOSITIONED: ClockKind.INITIAL_RESPONSE,
    Status.RESPONDED: ClockKind.RESOLUTION,
    Status.REOPENED: ClockKind.RESOLUTION,
    Status.FINISHED: ClockKind.OBJECTION,
}
# The road a report travels, shown as steps; the index of the step each status stands on.
STEPS = (
    _("Diterima"),
    _("Diverifikasi"),
    _("Diteruskan ke OPD"),
    _("Ditanggapi"),
    _("Selesai"),
)
_STEP_OF_STATUS = {
    Status.RECEIVED: 0,
    Status.WAITING_REPORTER: 0,
    Status.VERIFIED: 1,
    Status.RETURNED: 1,
    Status.DISPOSITIONED: 2,
    Status.RESPONDED: 3,
    Status.REOPENED: 3,
    Status.FINISHED: 4,
    Status.CLOSED: 5,  # past the last step: all done
}
# Clocks that run on the regency (their on-time state is worth showing); the others run on
# the reporter.
_REGENCY_CLOCKS = {ClockKind.VERIFICATION, ClockKind.INITIAL_RESPONSE, ClockKind.RESOLUTION}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    actor: str
    text: str = ""
    # "reporter" (what the reporter did), "response" (an OPD's answer) or "" (a status step).
    tone: str = ""
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    label: str
    # "done", "current" or "todo"
    state: str


@dataclass(frozen=True)
class ResponseEntry:
    at: datetime
    kind: str
    kind_label: str
    opd: str
    text: str
    attachments: tuple[str, ...] = ()
    reporter_only: bool = False


@dataclass(frozen=True)
class Deadline:
    kind: str
    label: str
    due_at: datetime | None
    state: str
    state_label: str
    # Whether the clock runs on the regency (show on time / overdue) or on the reporter.
    on_regency: bool


@dataclass(frozen=True)
class OriginalReport:
    """The public version of the report a duplicate was merged into (masked, no identity)."""

    tracking_number: str
    title: str
    text: str
    status: str
    status_label: str
    category: str
    place: str
    responses: tuple[ResponseEntry, ...] = ()


@dataclass(frozen=True)
class TrackingView:
    complaint: Complaint
    status_label: str
    status_guide: str
    attachments: tuple[str, ...]
    deadline: Deadline | None
    timeline: tuple[TimelineEntry, ...]
    responses: tuple[ResponseEntry, ...]
    question: str = ""
    question_from: str = ""
    can_provide_info: bool = False
    can_object: bool = False
    objection_due_at: datetime | None = None
    objection_closed: bool = False
    rating: Rating | None = None
    can_rate: bool = False
    is_duplicate: bool = False
    original: OriginalReport | None = None
    original_hidden: bool = False
    flags: tuple[str, ...] = field(default=())
    # Empty for a report off the usual road (archived, merged, escalated).
    steps: tuple[Step, ...] = field(default=())

    @property
    def step_caption(self) -> str:
        return step_caption(self.steps)


def tracking_complaint(tracking_number: str) -> Complaint | None:
    """The report with this (normalised) tracking number, with what its page shows, or None.

    Access is the caller's to check (``tracking_actor``) before showing anything.
    """
    return (
        Complaint.objects.select_related("category", "classification", "kecamatan", "desa")
        .filter(tracking_number=tracking_number)
        .first()
    )


def tracking_view(complaint: Complaint, *, now: datetime | None = None) -> TrackingView:
    """Everything the reporter's tracking page shows, in a fixed number of queries."""
    now = now or timezone.now()
    status = Status(complaint.status)
    attachments = tuple(
        Attachment.objects.filter(complaint=complaint, response__isnull=True)
        .order_by("created_at", "id")
        .values_list("original_name", flat=True)
    )
    responses = _responses_for_reporter(complaint.pk)
    events = list(
        Event.objects.filter(complaint=complaint)
        .select_related("disposition__opd", "actor_opd")
        .order_by("created_at", "id")
    )
    by_id = {r.pk: r for r in responses}
    timeline = tuple(entry for event in events if (entry := _entry(event, by_id)) is not None)

    question = question_from = ""
    if status == Status.WAITING_REPORTER:
        asked = [e for e in events if e.action == Action.REQUEST_INFO]
        if asked:
            question, question_from = asked[-1].reason, _actor_label(asked[-1])

    open_clocks = list(
        SlaClock.objects.filter(complaint=complaint, state__in=OPEN_STATES).select_related(
            "disposition__opd"
        )
    )
    deadline = _deadline(status, open_clocks, now)

    objection_due_at = None
    can_object = objection_closed = False
    if status == Status.FINISHED:
        window = next(
            (c for c in open_clocks if c.kind == ClockKind.OBJECTION and c.disposition_id is None),
            None,
        )
        if window is not None and (window.due_at is None or window.due_at >= now):
            can_object, objection_due_at = True, window.due_at
        else:
            objection_closed = True
    elif status == Status.CLOSED:
        objection_closed = True

    rating = Rating.objects.filter(complaint=complaint).first()
    original, original_hidden = None, False
    if status == Status.DUPLICATE and complaint.duplicate_of_id:
        original = _original(complaint.duplicate_of_id)
        original_hidden = original is None

    flags = []
    if complaint.is_secret:
        flags.append(gettext("Rahasia: laporan ini tidak tampil untuk umum."))
    if complaint.is_anonymous:
        flags.append(gettext("Anonim: identitas Anda disembunyikan dari OPD dan dari publik."))

    return TrackingView(
        # Waiting for the reporter pauses the report where it stood.
        steps=_steps(
            Status(complaint.status_before_wait or Status.RECEIVED)
            if status == Status.WAITING_REPORTER
            else status
        ),
        complaint=complaint,
        status_label=status.label,
        status_guide=str(STATUS_GUIDE[status]),
        attachments=attachments,
        deadline=deadline,
        timeline=timeline,
        responses=tuple(_response_entry(r) for r in responses),
        question=question,
        question_from=question_from,
        can_provide_info=status == Status.WAITING_REPORTER,
        can_object=can_object,
        objection_due_at=objection_due_at,
        objection_closed=objection_closed,
        rating=rating,
        can_rate=status in (Status.FINISHED, Status.CLOSED) and rating is None,
        is_duplicate=status == Status.DUPLICATE,
        original=original,
        original_hidden=original_hidden,
        flags=tuple(flags),
    )


def step_caption(steps: tuple[Step, ...]) -> str:
    """ "Tahap 4 dari 5: Ditanggapi" (narrow screens show this instead of every label)."""
    for number, step in enumerate(steps, start=1):
        if step.state == "current":
            return gettext("Tahap %(n)d dari %(total)d: %(label)s") % {
                "n": number,
                "total": len(steps),
                "label": step.label,
            }
    return gettext("Semua tahap selesai") if steps else ""


def _steps(status: Status) -> tuple[Step, ...]:
    current = _STEP_OF_STATUS.get(status)
    if current is None:
        return ()
    return tuple(
        Step(
            label=str(label),
            state="done" if i < current else "current" if i == current else "todo",
        )
        for i, label in enumerate(STEPS)
    )


# --- responses ------------------------------------------------------------------------------


def _responses_for_reporter(complaint_id: int) -> list[Response]:
    # Both conditions, though the database ties notes to internal visibility: a note must
    # never reach a reporter even if that constraint were dropped.
    return list(
        Response.objects.filter(
            complaint_id=complaint_id, visibility__in=[Visibility.PUBLIC, Visibility.REPORTER]
        )
        .exclude(kind=ResponseKind.NOTE)
        .select_related("opd")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.order_by("id").only(
                    "id", "response_id", "original_name"
                ),
            )
        )
        .order_by("created_at", "id")
    )


def _opd_label(opd) -> str:
    return gettext("OPD %(name)s") % {"name": opd.short_name or opd.name} if opd else gettext("OPD")


def _response_entry(response: Response, *, masked: bool = False) -> ResponseEntry:
    text = mask_personal_data(response.text) if masked else response.text
    return ResponseEntry(
        at=response.created_at,
        kind=response.kind,
        kind_label=ResponseKind(response.kind).label,
        opd=_opd_label(response.opd),
        text=text,
        attachments=() if masked else tuple(a.original_name for a in response.attachments.all()),
        reporter_only=response.visibility == Visibility.REPORTER,
    )


# --- timeline -------------------------------------------------------------------------------


def _actor_label(event: Event) -> str:
    """Who did it, as the reporter may know it: a role or an OPD, never a person."""
    if event.actor_type == ActorType.REPORTER:
        return gettext("Anda")
    if event.actor_type == ActorType.SYSTEM:
        return gettext("Sistem")
    if event.actor_type == ActorType.LAPOR:
        return "SP4N-LAPOR!"
    if event.actor_role == Role.ADMIN_KABUPATEN:
        return gettext("Admin Kabupaten")
    if event.actor_role in (Role.ADMIN_OPD, Role.PEJABAT_PENGHUBUNG):
        opd = event.actor_opd or (event.disposition.opd if event.disposition else None)
        return _opd_label(opd)
    return gettext("Petugas")


def _disposition_opd(event: Event) -> str:
    if event.disposition is not None:
        return _opd_label(event.disposition.opd)
    return _opd_label(None)


def _entry(event: Event, responses: dict[int, Response]) -> TimelineEntry | None:
    """The reporter's line for one event, or None for what is not theirs to read."""
    action, data = event.action, event.data or {}
    actor = _actor_label(event)
    title, text, tone, files = "", "", "", ()

    if action == Action.SUBMIT:
        if event.actor_type == ActorType.REPORTER:
            title = gettext("Laporan dikirim melalui %(channel)s") % {
                "channel": Channel(data.get("channel", Channel.WEB)).label
            }
            tone = "reporter"
        else:
            title = gettext("Laporan dicatat oleh petugas atas nama Anda")
    elif action == Action.RECEIVE_FROM_LAPOR:
        title = gettext("Laporan diterima dari SP4N-LAPOR!")
    elif action == Action.VERIFY:
        title = gettext("Laporan diverifikasi")
    elif action == Action.REQUEST_INFO:
        title, text = gettext("Meminta keterangan tambahan dari Anda"), event.reason
    elif action == Action.PROVIDE_INFO:
        title, tone = gettext("Anda menambahkan keterangan"), "reporter"
        text = data.get("text", "")
    elif action == Action.ARCHIVE:
        title = gettext("Laporan diarsipkan")
        reason = data.get("archive_reason", "")
        if reason in ArchiveReason.values:
            text = gettext("Alasan: %(reason)s") % {"reason": ArchiveReason(reason).label}
            # "Lainnya" says nothing: then the admin's explanation is the reason.
            if reason == ArchiveReason.OTHER and event.reason:
                text = gettext("Alasan: %(reason)s") % {"reason": event.reason}
    elif action == Action.MARK_DUPLICATE:
        title = gettext("Laporan digabungkan dengan laporan lain tentang masalah yang sama")
    elif action == Action.DISPOSITION:
        if event.disposition_id is None:
            return None  # the per-OPD events below say it better
        title = gettext("Diteruskan kepada %(opd)s") % {"opd": _disposition_opd(event)}
    elif action == Action.ACCEPT:
        title = gettext("%(opd)s menerima laporan dan mulai menanganinya") % {
            "opd": _disposition_opd(event)
        }
    elif action == Action.RETURN:
        # The reason is written for Admin Kabupaten (tupoksi), not for the reporter.
        title = gettext("%(opd)s menyerahkan kembali laporan kepada Admin Kabupaten") % {
            "opd": _disposition_opd(event)
        }
    elif action in (Action.RESPOND_INITIAL, Action.FOLLOW_UP, Action.RESPOND_FINAL):
        response = responses.get(data.get("response"))
        if response is None:
            return None  # internal, or not for the reporter
        title = {
            Action.RESPOND_INITIAL: gettext("%(opd)s memberikan tanggapan awal"),
            Action.FOLLOW_UP: gettext("%(opd)s memberikan tindak lanjut"),
            Action.RESPOND_FINAL: gettext("%(opd)s memberikan tindak lanjut akhir"),
        }[action] % {"opd": _opd_label(response.opd)}
        text, tone = response.text, "response"
        files = tuple(a.original_name for a in response.attachments.all())
    elif action == Action.DISPOSITIONS_CHANGED:
        if event.to_status == Status.FINISHED:
            title = gettext("Semua OPD telah memberikan jawaban akhir: laporan selesai")
        elif event.to_status == Status.RETURNED:
            title = gettext(
                "Laporan kembali ke Admin Kabupaten untuk diteruskan kepada OPD yang tepat"
            )
        else:
            return None  # "responded" / "dispositioned": the response or disposition says it
        actor = gettext("Sistem")
    elif action == Action.OBJECT:
        title, text, tone = gettext("Anda menyanggah jawaban akhir"), event.reason, "reporter"
    elif action == Action.CLOSE:
        title = gettext("Laporan ditutup")
    elif action == Action.ESCALATE:
        title = gettext("Diteruskan melalui SP4N-LAPOR! kepada %(institution)s") % {
            "institution": data.get("institution_name") or gettext("instansi yang berwenang")
        }
    elif action == Action.LAPOR_STATUS:
        title = gettext("Status diperbarui oleh SP4N-LAPOR!: %(status)s") % {
            "status": Status(event.to_status).label if event.to_status else "-"
        }
    elif action == "access_code_resent":
        title, tone = gettext("Kode akses baru dikirim ke kontak Anda"), "reporter"
    elif action == Action.ACCOUNT_LINKED:
        title, tone = gettext("Laporan ini dihubungkan ke akun Anda"), "reporter"
    elif action == Action.RATE:
        title, tone = (
            gettext("Anda memberi penilaian %(score)s dari 5") % {"score": data.get("score", "?")},
            "reporter",
        )
        text = event.reason
    else:
        # assign, note, flags_changed, anonymise, clock, reopen_disposition, and anything new:
        # internal until someone decides what the reporter should read about it.
        return None
    return TimelineEntry(
        at=event.created_at, title=title, actor=actor, text=text, tone=tone, attachments=files
    )


# --- deadline -------------------------------------------------------------------------------


def _deadline(status: Status, open_clocks: list[SlaClock], now: datetime) -> Deadline | None:
    kind = _CLOCK_FOR_STATUS.get(status)
    if kind is None:
        return None
    if kind in (ClockKind.INITIAL_RESPONSE, ClockKind.RESOLUTION):
        # The lead OPD answers for the report; its clocks are the report's.
        lead = [c for c in open_clocks if c.disposition_id and c.disposition.is_lead]
        clock = next((c for c in lead if c.kind == kind), None)
        if clock is None and kind == ClockKind.INITIAL_RESPONSE:
            clock = next((c for c in lead if c.kind == ClockKind.RESOLUTION), None)
    else:
        clock = next((c for c in open_clocks if c.kind == kind and c.disposition_id is None), None)
    if clock is None:
        return None
    opd = _opd_label(clock.disposition.opd) if clock.disposition_id else ""
    labels = {
        ClockKind.VERIFICATION: gettext(
            "Batas waktu verifikasi dan penerusan oleh Admin Kabupaten"
        ),
        ClockKind.REPORTER_INFO: gettext("Batas waktu Anda melengkapi keterangan"),
        ClockKind.INITIAL_RESPONSE: gettext("Batas waktu tanggapan awal %(opd)s") % {"opd": opd},
        ClockKind.RESOLUTION: gettext("Batas waktu penyelesaian oleh %(opd)s") % {"opd": opd},
        ClockKind.OBJECTION: gettext("Masa sanggah berakhir"),
    }
    state = clock_state(clock, now=now, calendar=working_calendar())
    return Deadline(
        kind=clock.kind,
        label=labels[ClockKind(clock.kind)],
        due_at=clock.due_at,
        state=state,
        state_label=ClockStatus(state).label,
        on_regency=clock.kind in _REGENCY_CLOCKS,
    )


# --- a duplicate's original --------------------------------------------------------------------


def _original(original_id: int) -> OriginalReport | None:
    """The original's public version, or None if it has none to show (rahasia, unverified)."""
    row = public_reports().filter(pk=original_id).first()
    if row is None:
        return None
    responses = (
        Response.objects.filter(complaint_id=original_id, visibility=Visibility.PUBLIC)
        .exclude(kind=ResponseKind.NOTE)
        .select_related("opd")
        .order_by("created_at", "id")
    )
    place = ", ".join(p for p in (row["desa__name"], row["kecamatan__name"]) if p)
    return OriginalReport(
        tracking_number=row["tracking_number"],
        title=mask_personal_data(row["public_title"]),
        text=mask_personal_data(row["public_text"]),
        status=row["status"],
        status_label=Status(row["status"]).label,
        category=row["category__name"] or "",
        place=place,
        responses=tuple(_response_entry(r, masked=True) for r in responses),
    )
