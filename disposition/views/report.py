"""One report for staff (``/kelola/laporan/<nomor>/``), its files, and Admin Kabupaten's actions.

Who sees what (DOMAIN.md §2, §5):

- The page is for every staff role, on the reports ``complaints_for`` gives it (another OPD's
  report is a 404, never a 403). Admin Kabupaten sees everything.
- An OPD role (Admin OPD, Pejabat Penghubung) sees its own OPD's dispositions
  (``dispositions_for``), every answer meant for the reporter (public or reporter-only, of
  any OPD on the report: they answer the same person and must not contradict each other),
  and internal notes of its own OPD only: a note is coordination inside one OPD. The
  timeline follows the same rule (another OPD's notes and assignments are left out).
- The reporter's identity only through ``reporter_identity_for``. On an anonim report an OPD
  role also reads the original text with phone numbers, e-mail addresses and NIKs masked:
  hiding the name is little use if the text quotes the reporter's number.
- Files are served by ``attachment`` after the same scope check, never from a media URL.

Admin Kabupaten's actions are small POST views, one per service. Which panels the page offers
comes from the transition table (``find_transition``), not from a copy of its rules; the
service decides again on submit. A refusal re-renders the page with the form as typed and the
service's reason; a success redirects with a message saying what happened.

``render_report_detail`` is the one way to draw the page, also for other parts' actions (the
OPD panel) that need to show it again with a form and its errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from complaints import services as cs
from complaints.actors import Actor
from complaints.attachments import ALLOWED_TYPES, IMAGE_TYPES
from complaints.masking import mask_personal_data
from complaints.models import (
    ActorType,
    ArchiveReason,
    Attachment,
    Category,
    Channel,
    Classification,
    Complaint,
    Event,
    Priority,
    Status,
)
from complaints.selectors import (
    complaints_for,
    complaints_search,
    dispositions_for,
    reporter_identity_for,
)
from complaints.workflow import COMPLAINT_TRANSITIONS, Action, TransitionError, find_transition
from disposition import services as ds
from disposition.calendar import working_calendar
from disposition.clocks import ClockStatus, clock_state
from disposition.forms.report import (
    AnonymiseForm,
    ArchiveForm,
    DispositionForm,
    DuplicateForm,
    DuplicateSearchForm,
    EscalateForm,
    FlagsForm,
    LinkLaporForm,
    RequestInfoForm,
    VerifyForm,
    add_service_errors,
    verify_initial,
)
from disposition.models import (
    ClockKind,
    DispositionStatus,
    ExternalInstitution,
    Response,
    Role,
    SlaClock,
    Visibility,
)
from disposition.suggestions import opds_for_disposition, suggested_opds
from disposition.views.access import staff_complaint, staff_view

ADMIN_KABUPATEN_ONLY = frozenset({Role.ADMIN_KABUPATEN})
DUPLICATE_CANDIDATES = 10

# The panels, in the order the page offers them, with the table move each one takes (None:
# no status move; the service's own rule, mirrored in ``allowed_panels``).
VERIFY, DISPOSITION, REQUEST_INFO, ARCHIVE, DUPLICATE, ESCALATE, LINK_LAPOR, FLAGS, ANONYMISE = (
    "verify",
    "disposition",
    "request_info",
    "archive",
    "duplicate",
    "escalate",
    "link_lapor",
    "flags",
    "anonymise",
)
PANEL_ACTIONS = {
    VERIFY: Action.VERIFY,
    DISPOSITION: Action.DISPOSITION,
    REQUEST_INFO: Action.REQUEST_INFO,
    ARCHIVE: Action.ARCHIVE,
    DUPLICATE: Action.MARK_DUPLICATE,
    ESCALATE: Action.ESCALATE,
    LINK_LAPOR: None,
    FLAGS: None,
    ANONYMISE: None,
}
# Escalation targets, nearest first.
LEVEL_ORDER = {
    ExternalInstitution.Level.PROVINSI: 0,
    ExternalInstitution.Level.PUSAT: 1,
    ExternalInstitution.Level.KABUPATEN: 2,
    ExternalInstitution.Level.KOTA: 3,
}
STATUS_BADGE = {
    Status.RECEIVED: "badge-warn",
    Status.WAITING_REPORTER: "badge-warn",
    Status.RETURNED: "badge-bad",
    Status.RESPONDED: "badge-ok",
    Status.FINISHED: "badge-ok",
    Status.CLOSED: "badge-ok",
    Status.REOPENED: "badge-warn",
    Status.ARCHIVED: "badge-bad",
    Status.DUPLICATE: "badge-bad",
}
CLOCK_BADGE = {
    ClockStatus.ON_TIME: "badge-ok",
    ClockStatus.MET: "badge-ok",
    ClockStatus.AT_RISK: "badge-warn",
    ClockStatus.PAUSED: "",
    ClockStatus.OVERDUE: "badge-bad",
    ClockStatus.MISSED: "badge-bad",
    ClockStatus.CANCELLED: "",
}

# --- what the page shows ------------------------------------------------------------------

# Event titles for staff: every move and note, in the back-office's words.
EVENT_TITLES = {
    Action.SUBMIT: gettext_lazy("Laporan masuk"),
    Action.RECEIVE_FROM_LAPOR: gettext_lazy("Diterima dari SP4N-LAPOR!"),
    Action.VERIFY: gettext_lazy("Diverifikasi"),
    Action.REQUEST_INFO: gettext_lazy("Meminta informasi kepada pelapor"),
    Action.PROVIDE_INFO: gettext_lazy("Pelapor menambahkan informasi"),
    Action.ARCHIVE: gettext_lazy("Diarsipkan"),
    Action.MARK_DUPLICATE: gettext_lazy("Ditandai duplikat"),
    Action.DISPOSITION: gettext_lazy("Disposisi"),
    Action.DISPOSITIONS_CHANGED: gettext_lazy("Status mengikuti disposisi"),
    Action.OBJECT: gettext_lazy("Pelapor menyanggah"),
    Action.CLOSE: gettext_lazy("Ditutup"),
    Action.ESCALATE: gettext_lazy("Dieskalasi (bukan wewenang)"),
    Action.LAPOR_STATUS: gettext_lazy("Status dari SP4N-LAPOR!"),
    Action.ACCEPT: gettext_lazy("Disposisi diterima"),
    Action.RETURN: gettext_lazy("Disposisi dikembalikan"),
    Action.RESPOND_INITIAL: gettext_lazy("Tanggapan awal"),
    Action.RESPOND_FINAL: gettext_lazy("Tindak lanjut akhir"),
    Action.REOPEN_DISPOSITION: gettext_lazy("Disposisi dibuka kembali"),
    Action.ASSIGN: gettext_lazy("Penugasan"),
    Action.FOLLOW_UP: gettext_lazy("Tindak lanjut"),
    Action.NOTE: gettext_lazy("Catatan internal"),
    Action.FLAGS_CHANGED: gettext_lazy("Sifat laporan diubah"),
    Action.ANONYMISE: gettext_lazy("Pelapor dianonimkan"),
    Action.ACCOUNT_LINKED: gettext_lazy("Dihubungkan ke akun warga"),
    Action.RATE: gettext_lazy("Penilaian pelapor"),
    Action.ACCESS_CODE_RESENT: gettext_lazy("Kode akses dikirim ulang"),
    Action.CLOCK: gettext_lazy("Jam layanan"),
    Action.LINK_LAPOR: gettext_lazy("Dihubungkan ke SP4N-LAPOR!"),
}
# Moves whose from/to are a disposition's statuses, not the report's.
DISPOSITION_MOVES = frozenset(
    {
        Action.DISPOSITION,
        Action.ACCEPT,
        Action.RETURN,
        Action.RESPOND_INITIAL,
        Action.RESPOND_FINAL,
        Action.REOPEN_DISPOSITION,
    }
)
# Events about one OPD's inner work, which another OPD does not read.
OPD_INTERNAL_ACTIONS = frozenset({Action.NOTE, Action.ASSIGN})
CLOCK_OPS = {
    "start": gettext_lazy("dimulai"),
    "pause": gettext_lazy("dijeda"),
    "resume": gettext_lazy("dilanjutkan"),
    "stop": gettext_lazy("dihentikan"),
    "cancel": gettext_lazy("dibatalkan"),
    "already_open": gettext_lazy("sudah berjalan"),
}
FLAG_LABELS = {"is_secret": gettext_lazy("Rahasia"), "is_anonymous": gettext_lazy("Anonim")}


@dataclass
class ClockRow:
    clock: SlaClock
    label: str
    state: str
    state_label: str
    badge: str


@dataclass
class DispositionRow:
    disposition: object
    clocks: list[ClockRow]


@dataclass
class TimelineRow:
    event: Event
    title: str
    actor: str
    from_label: str = ""
    to_label: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    internal: bool = False


def visible_responses(actor: Actor) -> QuerySet[Response]:
    """Responses ``actor`` may read (of reports it may see): an OPD role reads every answer
    and its own OPD's internal notes; Admin Kabupaten everything."""
    responses = Response.objects.all()
    if actor.is_opd_role:
        responses = responses.exclude(Q(visibility=Visibility.INTERNAL) & ~Q(opd_id=actor.opd_id))
    return responses


def _fmt(value: datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") + " WIB"


def _iso_fmt(value: str | None) -> str:
    if not value:
        return ""
    try:
        return _fmt(datetime.fromisoformat(value))
    except ValueError:
        return value


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _clock_rows(clocks, *, now, calendar) -> list[ClockRow]:
    rows = []
    for clock in clocks:
        state = clock_state(clock, now=now, calendar=calendar)
        rows.append(
            ClockRow(
                clock=clock,
                label=ClockKind(clock.kind).label,
                state=state,
                state_label=ClockStatus(state).label,
                badge=CLOCK_BADGE.get(state, ""),
            )
        )
    return rows


def _status_label(value: str, *, disposition: bool) -> str:
    if not value:
        return ""
    choices = DispositionStatus if disposition else Status
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _actor_label(event: Event) -> str:
    if event.actor_type == ActorType.REPORTER:
        return _("Pelapor")
    if event.actor_type == ActorType.SYSTEM:
        return _("Sistem")
    if event.actor_type == ActorType.LAPOR:
        return "SP4N-LAPOR!"
    parts = [_person(event.actor)]
    if event.actor_role in Role.values:
        parts.append(str(Role(event.actor_role).label))
    if event.actor_opd is not None:
        parts.append(event.actor_opd.short_name)
    return " · ".join(p for p in parts if p)


def _clock_fact(item: dict) -> str:
    label = ClockKind(item["kind"]).label if item.get("kind") in ClockKind.values else "?"
    op = CLOCK_OPS.get(item.get("op"), item.get("op", ""))
    text = f"{label}: {op}"
    if item.get("op") == "stop" and item.get("met") is not None:
        text += " (" + (_("tepat waktu") if item["met"] else _("terlambat")) + ")"
    elif item.get("due_at"):
        text += ", " + _("batas %(due)s") % {"due": _iso_fmt(item["due_at"])}
    return text


def _facts(event: Event, *, names: dict, users: dict, responses: dict) -> list[tuple[str, str]]:
    """The key data of an event, as (label, value) pairs. Never identity: events hold none."""
    data = event.data or {}
    facts: list[tuple[str, str]] = []
    if data.get("channel") in Channel.values:
        facts.append((_("Kanal"), Channel(data["channel"]).label))
    if data.get("classification"):
        code = data["classification"]
        facts.append((_("Klasifikasi"), names["classification"].get(code, code)))
    if data.get("category"):
        facts.append((_("Kategori"), names["category"].get(data["category"], data["category"])))
    if data.get("priority") in Priority.values:
        facts.append((_("Prioritas"), Priority(data["priority"]).label))
    if "public_attachments" in data:
        facts.append((_("Lampiran publik"), str(len(data["public_attachments"]))))
    if data.get("attachments"):
        facts.append((_("Lampiran"), str(data["attachments"])))
    changes = data.get("flags") if isinstance(data.get("flags"), dict) else data
    for key, label in FLAG_LABELS.items():
        change = changes.get(key)
        if isinstance(change, list) and len(change) == 2:
            before, after = (_("ya") if v else _("tidak") for v in change)
            facts.append((label, f"{before} → {after}"))
    if data.get("archive_reason") in ArchiveReason.values:
        facts.append((_("Alasan arsip"), ArchiveReason(data["archive_reason"]).label))
    if data.get("original"):
        facts.append((_("Laporan asli"), data["original"]))
    if data.get("institution_name"):
        facts.append((_("Instansi tujuan"), data["institution_name"]))
    if data.get("lapor_id"):
        facts.append((_("Nomor LAPOR!"), data["lapor_id"]))
    if data.get("status_name"):
        facts.append((_("Status LAPOR!"), data["status_name"]))
    if data.get("opd_has_admin") is False:
        facts.append((_("Perhatian"), _("OPD belum memiliki Admin OPD aktif")))
    if data.get("in_place_of_admin_opd"):
        facts.append((_("Bertindak"), _("atas nama Admin OPD (Pejabat Penghubung)")))
    if "to_user" in data:
        facts.append((_("Ditugaskan kepada"), users.get(data["to_user"], "?")))
    if data.get("visibility") in Visibility.values:
        facts.append((_("Visibilitas"), Visibility(data["visibility"]).label))
    if data.get("reopened_dispositions"):
        facts.append((_("Disposisi dibuka kembali"), str(len(data["reopened_dispositions"]))))
    if data.get("score"):
        facts.append((_("Nilai"), f"{data['score']}/5"))
    for item in data.get("clocks") or []:
        if isinstance(item, dict):
            facts.append((_("Jam layanan"), _clock_fact(item)))
    return facts


def _timeline(
    actor: Actor, complaint: Complaint, responses: dict, *, masked: bool
) -> list[TimelineRow]:
    """Every event of the report (for an OPD role: without another OPD's notes and
    assignments), oldest first, in a fixed number of queries. ``masked``: what the reporter
    wrote (added information, an objection) is shown with personal data masked."""
    events = Event.objects.filter(complaint=complaint).select_related(
        "actor", "actor_opd", "disposition__opd"
    )
    if actor.is_opd_role:
        events = events.exclude(
            Q(action__in=OPD_INTERNAL_ACTIONS)
            & Q(disposition__isnull=False)
            & ~Q(disposition__opd_id=actor.opd_id)
        )
    events = list(events.order_by("created_at", "id"))
    actions = {e.action for e in events}
    names = {"classification": {}, "category": {}}
    if Action.VERIFY in actions:
        names["classification"] = dict(Classification.objects.values_list("code", "name"))
        names["category"] = dict(Category.objects.values_list("slug", "name"))
    users = {}
    if Action.ASSIGN in actions:
        ids = {e.data.get("to_user") for e in events if e.action == Action.ASSIGN}
        users = {u.pk: _person(u) for u in get_user_model().objects.filter(pk__in=ids)}
    rows = []
    for event in events:
        title = str(EVENT_TITLES.get(event.action, event.action))
        if event.disposition is not None:
            opd = event.disposition.opd.short_name
            lead = " (" + _("utama") + ")" if event.disposition.is_lead else ""
            title = f"{title} · {opd}{lead}"
        on_disposition = event.action in DISPOSITION_MOVES and event.disposition_id is not None
        body = event.reason
        response = responses.get((event.data or {}).get("response"))
        if response is not None:
            body = response.text
        elif event.action == Action.PROVIDE_INFO:
            body = (event.data or {}).get("text", "")
        if masked and event.actor_type == ActorType.REPORTER:
            body = mask_personal_data(body)
        rows.append(
            TimelineRow(
                event=event,
                title=title,
                actor=_actor_label(event),
                from_label=_status_label(event.from_status, disposition=on_disposition),
                to_label=_status_label(event.to_status, disposition=on_disposition),
                facts=_facts(event, names=names, users=users, responses=responses),
                body=body,
                internal=event.action == Action.NOTE,
            )
        )
    return rows


# --- Admin Kabupaten's panels ---------------------------------------------------------------


def allowed_panels(actor: Actor, complaint: Complaint, identity) -> list[str]:
    """The actions to offer ``actor`` on ``complaint`` now (the services decide again)."""
    if actor.role != Role.ADMIN_KABUPATEN:
        return []
    return [
        panel
        for panel, action in PANEL_ACTIONS.items()
        if _offered(panel, action, actor, complaint, identity)
    ]


def _offered(panel, action, actor, complaint, identity) -> bool:
    if action is not None:
        try:
            find_transition(
                COMPLAINT_TRANSITIONS, action=action, source=complaint.status, role=actor.role
            )
        except TransitionError:
            return False
        return True
    if panel == LINK_LAPOR:
        return not complaint.lapor_id
    if panel == FLAGS:
        # Set while verifying; afterwards they change on their own, with a reason.
        return complaint.verified_at is not None
    if panel == ANONYMISE:
        return identity is not None and identity.anonymised_at is None
    return False


class _Page:
    """What the page's forms need, each loaded once and only when a form needs it."""

    def __init__(self, request, complaint: Complaint):
        self.request = request
        self.actor: Actor = request.actor
        self.complaint = complaint
        self._cache: dict = {}

    def _once(self, key: str, load: Callable):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    @property
    def attachments(self) -> list[Attachment]:
        return self._once(
            "attachments",
            lambda: list(
                Attachment.objects.filter(complaint=self.complaint, response__isnull=True).order_by(
                    "created_at", "id"
                )
            ),
        )

    @property
    def dispositions(self) -> list:
        return self._once(
            "dispositions",
            lambda: list(
                dispositions_for(self.actor)
                .filter(complaint=self.complaint)
                .select_related("opd", "assigned_to", "created_by")
                .prefetch_related(
                    Prefetch("clocks", queryset=SlaClock.objects.order_by("started_at", "id"))
                )
            ),
        )

    @property
    def identity(self):
        return self._once("identity", lambda: reporter_identity_for(self.actor, self.complaint))

    @property
    def suggestions(self):
        return self._once("suggestions", lambda: suggested_opds(self.complaint))

    def duplicate_candidates(self) -> QuerySet[Complaint]:
        return complaints_for(self.actor).exclude(pk=self.complaint.pk)

    def form(self, panel: str, data=None):
        complaint = self.complaint
        if panel == VERIFY:
            return VerifyForm(
                data,
                initial=verify_initial(complaint, self.attachments),
                classifications=list(Classification.objects.filter(is_active=True)),
                categories=list(Category.objects.filter(is_active=True)),
                attachments=self.attachments,
            )
        if panel == DISPOSITION:
            opds = list(opds_for_disposition())
            initial = {}
            if self.suggestions:
                initial["lead"] = str(self.suggestions[0].opd.pk)
            return DispositionForm(
                data,
                initial=initial,
                opds=opds,
                has_live_lead=any(
                    d.is_lead and d.status != DispositionStatus.RETURNED for d in self.dispositions
                ),
            )
        if panel == REQUEST_INFO:
            return RequestInfoForm(data)
        if panel == ARCHIVE:
            return ArchiveForm(data)
        if panel == DUPLICATE:
            return DuplicateForm(data, candidates=self.duplicate_candidates())
        if panel == ESCALATE:
            institutions = sorted(
                ExternalInstitution.objects.filter(is_active=True),
                key=lambda i: (LEVEL_ORDER.get(i.level, 9), i.name),
            )
            return EscalateForm(data, institutions=institutions)
        if panel == LINK_LAPOR:
            return LinkLaporForm(data)
        if panel == FLAGS:
            return FlagsForm(
                data,
                initial={"is_secret": complaint.is_secret, "is_anonymous": complaint.is_anonymous},
            )
        if panel == ANONYMISE:
            return AnonymiseForm(data)
        raise ValueError(panel)


def render_report_detail(
    request,
    complaint: Complaint,
    *,
    bound: dict | None = None,
    open_panel: str = "",
    status: int = 200,
    extra_context: dict | None = None,
    page: _Page | None = None,
):
    """Draw the report's page for ``request.actor``.

    ``bound`` maps a panel name to a posted form to show instead of a fresh one (with its
    input and errors), ``open_panel`` opens that panel. ``extra_context`` is added to the
    template's context (another part's panel can pass its own bound forms through it).
    """
    actor: Actor = request.actor
    page = page or _Page(request, complaint)
    bound = bound or {}
    now = timezone.now()
    calendar = working_calendar()
    identity = page.identity
    masked = actor.is_opd_role and complaint.is_anonymous

    responses = list(
        visible_responses(actor)
        .filter(complaint=complaint)
        .select_related("opd", "author", "disposition")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )
    complaint_clocks = list(
        SlaClock.objects.filter(complaint=complaint, disposition__isnull=True).order_by(
            "started_at", "id"
        )
    )
    dispositions = [
        DispositionRow(d, _clock_rows(d.clocks.all(), now=now, calendar=calendar))
        for d in page.dispositions
    ]
    panels = allowed_panels(actor, complaint, identity)
    forms = {panel: bound.get(panel) or page.form(panel) for panel in panels}

    duplicate_search = DuplicateSearchForm(request.GET or None)
    candidates = []
    if DUPLICATE in panels and duplicate_search.is_valid() and duplicate_search.cleaned_data["q"]:
        candidates = list(
            complaints_search(page.duplicate_candidates(), duplicate_search.cleaned_data["q"])
            .select_related("kecamatan", "category")
            .order_by("-created_at")[:DUPLICATE_CANDIDATES]
        )
        open_panel = open_panel or DUPLICATE
    returned = [d for d in dispositions if d.disposition.status == DispositionStatus.RETURNED]
    # The step the report waits for gets the page's first place; the rest sit in the bar.
    primary = ""
    if VERIFY in panels:
        primary = VERIFY
    elif DISPOSITION in panels and complaint.status in (Status.VERIFIED, Status.RETURNED):
        primary = DISPOSITION

    context = {
        "complaint": complaint,
        "actor": actor,
        "now": now,
        "status_badge": STATUS_BADGE.get(complaint.status, ""),
        "original_title": mask_personal_data(complaint.title) if masked else complaint.title,
        "original_text": mask_personal_data(complaint.text) if masked else complaint.text,
        "original_masked": masked,
        "identity": identity,
        "identity_hidden": identity is None and masked,
        "attachments": page.attachments,
        "dispositions": dispositions,
        "returned_dispositions": returned,
        "responses": responses,
        "timeline": _timeline(actor, complaint, {r.pk: r for r in responses}, masked=masked),
        "complaint_clocks": _clock_rows(complaint_clocks, now=now, calendar=calendar),
        "duplicates": list(complaint.duplicates.values_list("tracking_number", flat=True)),
        "panels": panels,
        "primary_panel": primary,
        "secondary_panels": [p for p in panels if p != primary],
        "forms": forms,
        "open_panel": open_panel,
        "suggestions": page.suggestions if DISPOSITION in panels else [],
        "duplicate_search": duplicate_search,
        "duplicate_candidates": candidates,
        "is_admin_kabupaten": actor.role == Role.ADMIN_KABUPATEN,
    }
    context.update(extra_context or {})
    return render(request, "disposition/report/detail.html", context, status=status)


# --- pages ----------------------------------------------------------------------------------


@staff_view
@require_GET
def report_detail(request, tracking_number: str):
    complaint = staff_complaint(request.actor, tracking_number)
    return render_report_detail(request, complaint)


@staff_view
@require_GET
def attachment(request, attachment_id: int):
    """A report's or a response's file, to staff who may see it; 404 for anyone else.

    Images open in the browser, everything else (PDFs: a viewer may run their scripts)
    downloads. ``nosniff`` makes the browser keep the checked type; the sandbox CSP keeps an
    image URL opened on its own from running anything; ``no-store`` keeps personal data out
    of shared caches.
    """
    actor = request.actor
    found = (
        Attachment.objects.filter(pk=attachment_id, complaint__in=complaints_for(actor))
        .filter(Q(response__isnull=True) | Q(response__in=visible_responses(actor)))
        .first()
    )
    if found is None:
        raise Http404
    # The type was checked from the content at upload; anything else is only downloaded.
    content_type = (
        found.content_type if found.content_type in ALLOWED_TYPES else "application/octet-stream"
    )
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=content_type not in IMAGE_TYPES,
        filename=found.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Admin Kabupaten's actions ----------------------------------------------------------------


def _admin_action(panel: str):
    """An Admin Kabupaten action view: POST only, on a report in scope; validates the panel's
    form, calls ``perform(request, complaint, form)`` (which returns the success message) and
    redirects; on a refusal shows the page again with the form as typed and the reason."""

    def decorate(perform):
        @staff_view(roles=ADMIN_KABUPATEN_ONLY)
        @require_POST
        @wraps(perform)
        def view(request, tracking_number: str):
            complaint = staff_complaint(request.actor, tracking_number)
            page = _Page(request, complaint)
            form = page.form(panel, data=request.POST)
            status = 400
            if form.is_valid():
                try:
                    message = perform(request, complaint, form)
                except ValidationError as error:
                    add_service_errors(form, error)
                except TransitionError as error:
                    messages.error(request, error.message)
                    status = 409
                else:
                    messages.success(request, message)
                    return redirect(reverse("kelola:report_detail", args=[tracking_number]))
            if status == 400:
                messages.error(request, _("Belum disimpan: periksa isian yang ditandai."))
            # The report as it is now (another admin may have moved it meanwhile).
            complaint = staff_complaint(request.actor, tracking_number)
            page.complaint = complaint
            return render_report_detail(
                request,
                complaint,
                bound={panel: form},
                open_panel=panel,
                status=status,
                page=page,
            )

        return view

    return decorate


@_admin_action(VERIFY)
def report_verify(request, complaint, form):
    data = form.cleaned_data
    complaint = cs.complaint_verify(
        complaint=complaint,
        actor=request.actor,
        classification=data["classification"],
        category=data["category"],
        priority=data["priority"],
        is_secret=data["is_secret"],
        is_anonymous=data["is_anonymous"],
        public_title=data["public_title"],
        public_text=data["public_text"],
        public_attachment_ids=data.get("public_attachments", []),
    )
    if complaint.is_secret:
        return _("Laporan %(number)s diverifikasi. Laporan rahasia: tidak tampil untuk umum.") % {
            "number": complaint.tracking_number
        }
    return _(
        "Laporan %(number)s diverifikasi; versi publiknya kini tampil untuk umum. "
        "Langkah berikutnya: disposisi ke OPD."
    ) % {"number": complaint.tracking_number}


@_admin_action(REQUEST_INFO)
def report_request_info(request, complaint, form):
    cs.complaint_request_info(
        complaint=complaint, actor=request.actor, question=form.cleaned_data["question"]
    )
    return _("Pertanyaan dikirim kepada pelapor. Jam layanan dijeda sampai pelapor menjawab.")


@_admin_action(ARCHIVE)
def report_archive(request, complaint, form):
    reason = form.cleaned_data["reason"]
    cs.complaint_archive(
        complaint=complaint, actor=request.actor, reason=reason, note=form.cleaned_data["note"]
    )
    return _("Laporan diarsipkan dengan alasan “%(reason)s”. Pelapor diberi tahu.") % {
        "reason": ArchiveReason(reason).label
    }


@_admin_action(DUPLICATE)
def report_mark_duplicate(request, complaint, form):
    complaint = cs.complaint_mark_duplicate(
        complaint=complaint, actor=request.actor, original=form.cleaned_data["original"]
    )
    return _(
        "Laporan ditandai sebagai duplikat dari %(original)s. Pelapornya diberi tahu dan "
        "selanjutnya mengikuti laporan asli."
    ) % {"original": complaint.duplicate_of.tracking_number}


@_admin_action(DISPOSITION)
def report_disposition(request, complaint, form):
    lead = form.cleaned_data.get("lead")
    created = ds.disposition_create(
        complaint=complaint,
        actor=request.actor,
        opds=form.chosen,
        lead=lead,
        note=form.cleaned_data["note"],
    )
    names = ", ".join(
        d.opd.short_name + (" (" + _("utama") + ")" if d.is_lead else "") for d in created
    )
    without_admin = [d.opd.short_name for d in created if not cs.opd_has_active_admin(d.opd_id)]
    if without_admin:
        messages.warning(
            request,
            _(
                "%(names)s belum memiliki Admin OPD aktif: disposisi menunggu Pejabat "
                "Penghubungnya. Lengkapi akun petugasnya di halaman OPD dan petugas."
            )
            % {"names": ", ".join(without_admin)},
        )
    return _("Laporan didisposisikan ke %(names)s.") % {"names": names}


@_admin_action(ESCALATE)
def report_escalate(request, complaint, form):
    institution = form.cleaned_data["institution"]
    cs.complaint_escalate(
        complaint=complaint,
        actor=request.actor,
        institution=institution,
        reason=form.cleaned_data["reason"],
    )
    return _("Laporan dieskalasi ke %(institution)s melalui SP4N-LAPOR!.") % {
        "institution": institution.name
    }


@_admin_action(LINK_LAPOR)
def report_link_lapor(request, complaint, form):
    complaint = cs.complaint_link_lapor(
        complaint=complaint,
        actor=request.actor,
        lapor_id=form.cleaned_data["lapor_id"],
    )
    return _("Laporan dihubungkan dengan LAPOR! nomor %(id)s.") % {"id": complaint.lapor_id}


@_admin_action(FLAGS)
def report_set_flags(request, complaint, form):
    data = form.cleaned_data
    before = (complaint.is_secret, complaint.is_anonymous)
    complaint = cs.complaint_set_flags(
        complaint=complaint,
        actor=request.actor,
        is_secret=data["is_secret"],
        is_anonymous=data["is_anonymous"],
        reason=data["reason"],
    )
    if before == (complaint.is_secret, complaint.is_anonymous):
        return _("Sifat laporan tidak berubah.")
    yes, no = _("ya"), _("tidak")
    return _("Sifat laporan diubah: rahasia %(secret)s, anonim %(anonymous)s.") % {
        "secret": yes if complaint.is_secret else no,
        "anonymous": yes if complaint.is_anonymous else no,
    }


@_admin_action(ANONYMISE)
def report_anonymise(request, complaint, form):
    cs.reporter_anonymise(
        complaint=complaint, actor=request.actor, reason=form.cleaned_data["reason"]
    )
    return _(
        "Identitas pelapor dihapus permanen. Laporan dan riwayatnya tetap tersimpan, kini anonim."
    )
