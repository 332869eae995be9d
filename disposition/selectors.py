"""Reads of the back-office, scoped to who is asking (STYLE.md: selectors).

Every function takes the acting ``Actor`` and starts from ``complaints.selectors``
(``complaints_for`` / ``dispositions_for``), so scoping by role and OPD happens there, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Substr
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from complaints.actors import Actor
from complaints.masking import mask_personal_data
from complaints.models import Classification, Complaint, Status
from complaints.selectors import complaints_for, complaints_search, dispositions_for
from complaints.selectors.public import Cursor, FilterOptions, public_filter_options
from complaints.services import opd_has_active_admin
from complaints.workflow import (
    COMPLAINT_TRANSITIONS,
    DISPOSITION_TRANSITIONS,
    HANDLING,
    Action,
    TransitionError,
    find_transition,
)
from disposition.calendar import DAY_SECONDS, UNIT_SECONDS, WIB, WorkingCalendar, working_calendar
from disposition.clocks import OPEN_STATES, ClockStatus, clock_state
from disposition.models import (
    OPD,
    AnswerTemplate,
    ClockKind,
    ClockUnit,
    Disposition,
    DispositionStatus,
    Role,
    SlaClock,
    StaffRole,
)

# --- OPD workspace ------------------------------------------------------------------------
# The Admin OPD's (and Pejabat Penghubung's) inbox of their OPD's dispositions, the action
# panel on a report's page, the colleagues a disposition can be assigned to, and the OPD's
# answer templates. Everything reads through ``dispositions_for(actor)``: another OPD's
# disposition is simply not there.

D = DispositionStatus

# The clocks an OPD answers for, in the order a row shows them.
OPD_CLOCK_KINDS = (ClockKind.INITIAL_RESPONSE, ClockKind.RESOLUTION)
OPD_PAGE_SIZE = 25
EXCERPT_CHARS = 140


@dataclass(frozen=True)
class OpdQueue:
    key: str
    label: str
    statuses: tuple[str, ...]
    # Work queues show the oldest first (it is the most urgent); history, the newest first.
    oldest_first: bool
    counted: bool


OPD_QUEUES = (
    OpdQueue("menunggu", _("Menunggu diterima"), (D.WAITING,), True, True),
    OpdQueue("ditangani", _("Sedang ditangani"), (D.ACCEPTED, D.RESPONDED), True, True),
    OpdQueue("selesai", _("Selesai"), (D.FINISHED,), False, False),
    OpdQueue("dikembalikan", _("Dikembalikan"), (D.RETURNED,), False, False),
)
OPD_QUEUE_BY_KEY = {q.key: q for q in OPD_QUEUES}
DEFAULT_OPD_QUEUE = OPD_QUEUES[0].key


@dataclass(frozen=True)
class ClockView:
    """One deadline as a page shows it."""

    kind: str
    label: str
    state: str
    state_label: str
    due_at: datetime | None


def clock_views(clocks, *, now: datetime, calendar: WorkingCalendar) -> list[ClockView]:
    """The latest clock of each OPD kind (a reopened report starts a second resolution clock;
    the newest is the one that counts now). ``clocks`` is the prefetched list, oldest first."""
    latest: dict[str, SlaClock] = {}
    for clock in clocks:
        if clock.kind in OPD_CLOCK_KINDS:
            latest[clock.kind] = clock
    views = []
    for kind in OPD_CLOCK_KINDS:
        clock = latest.get(kind)
        if clock is None:
            continue
        state = clock_state(clock, now=now, calendar=calendar)
        views.append(
            ClockView(
                kind=kind,
                label=ClockKind(kind).label,
                state=state,
                state_label=ClockStatus(state).label,
                due_at=clock.due_at,
            )
        )
    return views


def _opd_clocks_prefetch() -> Prefetch:
    return Prefetch(
        "clocks",
        queryset=SlaClock.objects.filter(kind__in=OPD_CLOCK_KINDS).order_by("started_at", "id"),
    )


def _excerpt(actor: Actor, complaint: Complaint) -> str:
    # An OPD reads the original text (it must handle the complaint), but an anonim reporter's
    # contact details never reach it, not even typed into the text by mistake.
    text = complaint.text
    if actor.is_opd_role and complaint.is_anonymous:
        text = mask_personal_data(text)
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


@dataclass
class OpdRow:
    disposition: Disposition
    complaint: Complaint
    title: str
    excerpt: str
    location: str
    clocks: list[ClockView]


@dataclass
class OpdInboxPage:
    queue: OpdQueue
    rows: list[OpdRow]
    counts: dict[str, int]
    mine: bool
    next_cursor: str | None
    previous_cursor: str | None


def _location(complaint: Complaint) -> str:
    parts = [p.name for p in (complaint.desa, complaint.kecamatan) if p is not None]
    return ", ".join(parts)


def opd_queue_counts(actor: Actor, *, mine: bool = False) -> dict[str, int]:
    """How many dispositions wait in each work queue (one GROUP BY over the OPD's open
    dispositions; the history queues are not counted, so the cost stays bounded)."""
    counted = [q for q in OPD_QUEUES if q.counted]
    qs = dispositions_for(actor).filter(status__in=[s for q in counted for s in q.statuses])
    if mine:
        qs = qs.filter(assigned_to_id=actor.user_id)
    by_status = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return {q.key: sum(by_status.get(s, 0) for s in q.statuses) for q in counted}


def opd_inbox_page(
    actor: Actor,
    *,
    queue: str = DEFAULT_OPD_QUEUE,
    mine: bool = False,
    after: str | None = None,
    before: str | None = None,
    now: datetime,
    page_size: int | None = None,
    calendar: WorkingCalendar | None = None,
) -> OpdInboxPage:
    """One page of a queue of the actor's OPD, keyset-paged on (disposition time, id).

    ``after``: the cursor of the last row seen (next page); ``before``: of the first row seen
    (previous page). A fixed number of queries whatever the page or the table: the counts,
    the rows (report, category, place and assignee joined) and their clocks.
    """
    spec = OPD_QUEUE_BY_KEY.get(queue) or OPD_QUEUE_BY_KEY[DEFAULT_OPD_QUEUE]
    page_size = page_size or OPD_PAGE_SIZE
    calendar = calendar if calendar is not None else working_calendar()
    qs = (
        dispositions_for(actor)
        .filter(status__in=spec.statuses)
        .select_related(
            "complaint",
            "complaint__category",
            "complaint__kecamatan",
            "complaint__desa",
            "assigned_to",
        )
        .prefetch_related(_opd_clocks_prefetch())
    )
    if mine:
        qs = qs.filter(assigned_to_id=actor.user_id)

    after_c, before_c = Cursor.decode(after), Cursor.decode(before)
    forward = ("created_at", "id") if spec.oldest_first else ("-created_at", "-id")
    backward = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in forward)

    def beyond(c: Cursor, *, going_forward: bool) -> Q:
        ascending = spec.oldest_first == going_forward
        op = "gt" if ascending else "lt"
        return Q(**{f"created_at__{op}": c.created_at}) | Q(
            created_at=c.created_at, **{f"id__{op}": c.id}
        )

    if before_c is not None and after_c is None:
        rows = list(
            qs.filter(beyond(before_c, going_forward=False)).order_by(*backward)[: page_size + 1]
        )
        has_previous = len(rows) > page_size
        rows = rows[:page_size][::-1]
        has_next = True
    else:
        if after_c is not None:
            qs = qs.filter(beyond(after_c, going_forward=True))
        rows = list(qs.order_by(*forward)[: page_size + 1])
        has_next = len(rows) > page_size
        rows = rows[:page_size]
        has_previous = after_c is not None

    return OpdInboxPage(
        queue=spec,
        rows=[
            OpdRow(
                disposition=d,
                complaint=d.complaint,
                title=d.complaint.public_title or d.complaint.title,
                excerpt=_excerpt(actor, d.complaint),
                location=_location(d.complaint),
                clocks=clock_views(d.clocks.all(), now=now, calendar=calendar),
            )
            for d in rows
        ],
        counts=opd_queue_counts(actor, mine=mine),
        mine=mine,
        next_cursor=Cursor(rows[-1].created_at, rows[-1].id).encode()
        if rows and has_next
        else None,
        previous_cursor=Cursor(rows[0].created_at, rows[0].id).encode()
        if rows and has_previous
        else None,
    )


def opd_assignees(opd_id: int) -> QuerySet:
    """The people a disposition of ``opd_id`` can be assigned to: active Admin OPDs of the OPD
    and of its sub-units (the service checks the same again)."""
    return (
        get_user_model()
        .objects.filter(
            Q(staff_role__opd_id=opd_id) | Q(staff_role__opd__parent_id=opd_id),
            is_active=True,
            staff_role__role=Role.ADMIN_OPD,
            staff_role__is_active=True,
        )
        .select_related("staff_role__opd")
        .order_by("first_name", "last_name", "username")
    )


def answer_templates_for(actor: Actor) -> QuerySet[AnswerTemplate]:
    """The answer templates of the actor's OPD (none for a role without an OPD)."""
    if not actor.is_opd_role or actor.opd_id is None:
        return AnswerTemplate.objects.none()
    return AnswerTemplate.objects.filter(opd_id=actor.opd_id)


def opd_acts_in_place(actor: Actor) -> tuple[bool, bool]:
    """(may act, acts in place of an Admin OPD) for an OPD role.

    An Admin OPD acts; a Pejabat Penghubung reads, and acts only while the OPD has no active
    Admin OPD (the services enforce the same rule and record ``in_place_of_admin_opd``).
    """
    if actor.role == Role.ADMIN_OPD:
        return True, False
    if actor.role == Role.PEJABAT_PENGHUBUNG:
        in_place = not opd_has_active_admin(actor.opd_id)
        return in_place, in_place
    return False, False


# What the panel may offer, by name; the views use the same names.
ACCEPT, RETURN, ASSIGN, REQUEST_INFO, INITIAL, PROGRESS, FINAL, NOTE = (
    "accept",
    "return",
    "assign",
    "request_info",
    "initial",
    "progress",
    "final",
    "note",
)


def _allowed(table, action: str, source, role) -> bool:
    try:
        find_transition(table, action=action, source=source, role=role)
    except TransitionError:
        return False
    return True


def disposition_actions(actor: Actor, complaint: Complaint, disposition: Disposition) -> set[str]:
    """The actions to offer on ``disposition`` now (the services decide again on submit).

    Status moves come from the transition tables; a move needs the report in handling (a
    report waiting for its reporter has its clocks paused and takes no moves until the
    answer comes). Follow-ups need the initial response; notes and assigning need a live
    disposition.
    """
    role = actor.role
    status = disposition.status
    moving = complaint.status in (*HANDLING, Status.RETURNED)
    offered = set()
    for name, action in (
        (ACCEPT, Action.ACCEPT),
        (RETURN, Action.RETURN),
        (INITIAL, Action.RESPOND_INITIAL),
        (FINAL, Action.RESPOND_FINAL),
    ):
        if moving and _allowed(DISPOSITION_TRANSITIONS, action, status, role):
            offered.add(name)
    if status == D.RESPONDED:
        offered.add(PROGRESS)
    if status != D.RETURNED:
        offered.add(NOTE)
    if status not in (D.RETURNED, D.FINISHED):
        offered.add(ASSIGN)
        if _allowed(COMPLAINT_TRANSITIONS, Action.REQUEST_INFO, complaint.status, role):
            offered.add(REQUEST_INFO)
    return offered


@dataclass
class PanelItem:
    disposition: Disposition
    clocks: list[ClockView]
    actions: set[str] = field(default_factory=set)

    @property
    def response_kinds(self) -> list[str]:
        return [k for k in (INITIAL, PROGRESS, FINAL) if k in self.actions]


@dataclass
class OpdPanel:
    items: list[PanelItem]
    can_act: bool
    in_place_of_admin: bool
    complaint_waiting: bool
    assignees: list
    templates: list[AnswerTemplate]


def opd_panel(actor: Actor, complaint: Complaint, *, now: datetime) -> OpdPanel | None:
    """What the OPD action panel on a report's page shows ``actor``; None for a role without
    an OPD (Admin Kabupaten works from its own pages). A fixed number of queries: the OPD's
    dispositions of the report with their clocks, the admin check, colleagues, templates."""
    if not actor.is_opd_role:
        return None
    dispositions = list(
        dispositions_for(actor)
        .filter(complaint=complaint)
        .select_related("assigned_to", "opd")
        .prefetch_related(_opd_clocks_prefetch())
        .order_by("-created_at", "-id")
    )
    if not dispositions:
        return None
    can_act, in_place = opd_acts_in_place(actor)
    calendar = working_calendar()
    items = [
        PanelItem(
            disposition=d,
            clocks=clock_views(d.clocks.all(), now=now, calendar=calendar),
            actions=disposition_actions(actor, complaint, d) if can_act else set(),
        )
        for d in dispositions
    ]
    wants_people = any(ASSIGN in i.actions for i in items)
    wants_texts = any(i.response_kinds for i in items)
    return OpdPanel(
        items=items,
        can_act=can_act,
        in_place_of_admin=in_place,
        complaint_waiting=complaint.status == Status.WAITING_REPORTER,
        assignees=list(opd_assignees(actor.opd_id)) if wants_people else [],
        templates=list(answer_templates_for(actor).filter(is_active=True)) if wants_texts else [],
    )


# --- Admin Kabupaten inbox ------------------------------------------------------------------
# Admin Kabupaten's queues (/kelola/kotak-masuk/): reports to verify, waiting for their
# reporter, ready for disposition (LAPOR!'s arrive verified), returned, and all of them; with
# filters, search, three orders and keyset pages.
#
# Cost does not grow with the table (DOMAIN.md §7). A page view is a fixed number of queries:
# the four queue counts and the filtered count, each capped (a LIMITed count, never an exact
# count over the table), the page itself by keyset (never OFFSET), and two prefetches (open
# clocks, dispositions). Clock states come from ``clock_state`` with one calendar for the page.
#
# Decisions:
#
# - "Dikembalikan" holds the reports whose lead OPD returned them (status RETURNED), and the
#   reports still being handled (DISPOSITIONED/RESPONDED/REOPENED) where a *supporting* OPD
#   returned its disposition and Admin Kabupaten has not acted on it since. Acting on it means
#   dispositioning the report again (to any OPD) after the return; the report leaving the
#   handling statuses (finished, escalated, …) also ends it.
# - The SLA filter and the "due soonest" order look at the regency's own running clocks
#   (verification, initial response, resolution). The reporter's clock and the objection window
#   measure the reporter: they are shown on the row, but neither filter nor order by them. A
#   paused clock is neither at risk nor overdue (``clock_state`` says "paused").
# - "Overdue" is a running clock with due_at < now. "At risk" is ``clock_state``'s rule turned
#   into due-time bounds computed with the calendar: for a clock whose budget is longer than the
#   at-risk threshold, due before ``now`` + threshold (+1 s, as clock_state floors seconds) in
#   working time; for a shorter one (an urgent 1-working-day clock, an hours clock), due before
#   ``now`` + half its budget in its own time. The tests check the filter against clock_state.
# - "Due soonest" lists the reports with a running regency clock by their earliest due time
#   (cursor: that clock's (due_at, id)), then every other report newest first (cursor: the
#   report's (created_at, id)), so each order shows every report exactly once.

INBOX_PAGE_SIZE = 50
# The filtered count says "more than 1 000" instead of counting further.
INBOX_COUNT_LIMIT = 1000
# A queue tab says "99+" instead of counting further.
INBOX_QUEUE_COUNT_LIMIT = 99
INBOX_EXCERPT_CHARS = 160
INBOX_SLA_CLOCKS = (ClockKind.VERIFICATION, ClockKind.INITIAL_RESPONSE, ClockKind.RESOLUTION)

QUEUE_VERIFY, QUEUE_WAITING, QUEUE_DISPOSITION, QUEUE_RETURNED, QUEUE_ALL = (
    "verifikasi",
    "menunggu",
    "disposisi",
    "dikembalikan",
    "semua",
)
SORT_DUE, SORT_NEWEST, SORT_OLDEST = "tenggat", "terbaru", "terlama"
SLA_OVERDUE, SLA_AT_RISK = "terlambat", "berisiko"


@dataclass(frozen=True)
class InboxQueue:
    key: str
    label: str
    # The order a queue opens in: work queues by deadline, the whole archive newest first.
    default_sort: str
    counted: bool


INBOX_QUEUES = (
    InboxQueue(QUEUE_VERIFY, _("Perlu verifikasi"), SORT_DUE, True),
    InboxQueue(QUEUE_WAITING, _("Menunggu pelapor"), SORT_DUE, True),
    InboxQueue(QUEUE_DISPOSITION, _("Siap disposisi"), SORT_DUE, True),
    InboxQueue(QUEUE_RETURNED, _("Dikembalikan"), SORT_DUE, True),
    InboxQueue(QUEUE_ALL, _("Semua"), SORT_NEWEST, False),
)
INBOX_QUEUE_BY_KEY = {q.key: q for q in INBOX_QUEUES}
INBOX_DEFAULT_QUEUE = QUEUE_VERIFY
INBOX_SORTS = (
    (SORT_DUE, _("Tenggat terdekat")),
    (SORT_NEWEST, _("Terbaru")),
    (SORT_OLDEST, _("Terlama")),
)
INBOX_SLA_CHOICES = (
    (SLA_OVERDUE, _("Terlambat")),
    (SLA_AT_RISK, _("Hampir tenggat")),
)


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox is asked to show; empty values filter nothing."""

    queue: str = INBOX_DEFAULT_QUEUE
    sort: str = ""  # "" → the queue's default order
    query: str = ""
    status: str = ""
    channel: str = ""
    classification_id: int | None = None
    category_ids: frozenset[int] = frozenset()
    kecamatan_code: str = ""
    opd_id: int | None = None
    sla: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def queue_spec(self) -> InboxQueue:
        return INBOX_QUEUE_BY_KEY.get(self.queue) or INBOX_QUEUE_BY_KEY[INBOX_DEFAULT_QUEUE]

    @property
    def effective_sort(self) -> str:
        valid = {key for key, _label in INBOX_SORTS}
        return self.sort if self.sort in valid else self.queue_spec.default_sort


_INBOX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class InboxCursor:
    """Where the next page starts, as opaque text in the link.

    ``phase`` "c": after the report received at ``at`` with id ``id`` (in the page's order of
    receipt); "d": after the clock due at ``at`` with id ``id`` ("due soonest", first part).
    "c" without a position: the start of the reports without a running deadline.
    """

    phase: str
    at: datetime | None = None
    id: int | None = None

    def encode(self) -> str:
        if self.at is None:
            return self.phase
        return f"{self.phase}{(self.at - _INBOX_EPOCH) // timedelta(microseconds=1)}-{self.id}"

    @classmethod
    def decode(cls, value: str | None, *, sort: str) -> InboxCursor | None:
        """The cursor in ``value`` for a page in order ``sort``; None (the first page) for
        anything malformed or belonging to another order."""
        match = re.fullmatch(r"([cd])(?:(\d{1,17})-(\d{1,18}))?", (value or "").strip())
        if not match:
            return None
        phase = match[1]
        if phase == "d" and (sort != SORT_DUE or match[2] is None):
            return None
        if match[2] is None:
            return cls(phase) if sort == SORT_DUE else None
        try:
            at = _INBOX_EPOCH + timedelta(microseconds=int(match[2]))
        except OverflowError:
            return None
        return cls(phase, at, int(match[3]))


# A row is narrow: short names for the clocks and their states (the full ones in a tooltip).
INBOX_CLOCK_SHORT_LABELS = {
    ClockKind.VERIFICATION: _("Verifikasi"),
    ClockKind.INITIAL_RESPONSE: _("Tanggapan awal"),
    ClockKind.RESOLUTION: _("Penyelesaian"),
    ClockKind.REPORTER_INFO: _("Jawaban pelapor"),
    ClockKind.OBJECTION: _("Masa sanggah"),
}
INBOX_CLOCK_STATE_SHORT_LABELS = {
    ClockStatus.ON_TIME: _("Tepat waktu"),
    ClockStatus.AT_RISK: _("Hampir tenggat"),
    ClockStatus.OVERDUE: _("Terlambat"),
    ClockStatus.PAUSED: _("Dijeda"),
}


@dataclass(frozen=True)
class InboxClock:
    """One open deadline of a row."""

    kind: str
    label: str
    opd: str  # the disposition's OPD, "" for the report's own clocks
    state: str
    state_label: str
    due_at: datetime | None

    @property
    def short_label(self) -> str:
        return INBOX_CLOCK_SHORT_LABELS.get(self.kind, self.label)

    @property
    def state_short_label(self) -> str:
        return INBOX_CLOCK_STATE_SHORT_LABELS.get(self.state, self.state_label)

    @property
    def tone(self) -> str:
        return {
            ClockStatus.ON_TIME: "ok",
            ClockStatus.AT_RISK: "warn",
            ClockStatus.OVERDUE: "bad",
        }.get(self.state, "info")


@dataclass
class InboxRow:
    complaint: Complaint
    title: str
    excerpt: str
    location: str
    clocks: list[InboxClock]
    live: list[Disposition]  # dispositions not returned, lead first
    returned: list[Disposition]


@dataclass
class InboxQueueCount:
    queue: InboxQueue
    count: int | None  # None: not counted ("Semua")
    capped: bool


@dataclass
class InboxPage:
    rows: list[InboxRow]
    count: int
    count_is_capped: bool
    next_cursor: str | None
    is_first_page: bool
    sort: str
    queues: list[InboxQueueCount]


@dataclass(frozen=True)
class InboxOptions:
    """Reference data for the filters and the bulk disposition."""

    places: FilterOptions  # categories (tree) and kecamatan (code, name)
    classifications: list[tuple[int, str]]
    opds: list[OPD]  # active, each with ``has_admin``


def inbox_options() -> InboxOptions:
    """Three queries: categories and kecamatan, classifications, OPDs."""
    has_admin = StaffRole.objects.filter(
        opd=OuterRef("pk"), role=Role.ADMIN_OPD, is_active=True, user__is_active=True
    )
    return InboxOptions(
        places=public_filter_options(),
        classifications=list(
            Classification.objects.filter(is_active=True).values_list("id", "name")
        ),
        opds=list(
            OPD.objects.filter(is_active=True)
            .annotate(has_admin=Exists(has_admin))
            .order_by("name")
        ),
    )


def _unhandled_returns() -> QuerySet[Disposition]:
    """Returned supporting dispositions with no disposition of their report created since.

    "None since" is "returned no earlier than the report's latest disposition", a lookup per
    returned disposition on the report's dispositions (not an anti-join over all of them).
    """
    latest = (
        Disposition.objects.filter(complaint_id=OuterRef("complaint_id"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Disposition.objects.filter(
        status=DispositionStatus.RETURNED, is_lead=False, returned_at__gte=Subquery(latest)
    )


def _queue_q(queue: str) -> Q:
    if queue == QUEUE_VERIFY:
        return Q(status=Status.RECEIVED)
    if queue == QUEUE_WAITING:
        return Q(status=Status.WAITING_REPORTER)
    if queue == QUEUE_DISPOSITION:
        return Q(status=Status.VERIFIED)
    if queue == QUEUE_RETURNED:
        # From the (few) reports being handled to their dispositions, not from every
        # disposition ever returned: the cost follows the open reports, not the history.
        unhandled = Exists(_unhandled_returns().filter(complaint_id=OuterRef("pk")))
        return Q(status=Status.RETURNED) | (Q(status__in=HANDLING) & unhandled)
    return Q()


def _running_sla_clocks() -> QuerySet[SlaClock]:
    return SlaClock.objects.filter(state=SlaClock.State.RUNNING, kind__in=INBOX_SLA_CLOCKS)


def at_risk_clocks_q(*, now: datetime, calendar: WorkingCalendar) -> Q:
    """Running clocks that ``clock_state`` calls at risk at ``now``, as a condition on due_at.

    See the section comment; ``clock_state`` is the rule, this is its inverse in SQL.
    """
    threshold = settings.SLA_AT_RISK_WORKING_DAYS * DAY_SECONDS
    long_bound = calendar.add_seconds(now, threshold + 1, ClockUnit.WORKING_DAYS)
    conditions = []
    for unit, unit_seconds in UNIT_SECONDS.items():
        # Budgets of at most the threshold are "short": at risk in their last half.
        short_amounts = threshold // unit_seconds
        conditions.append(Q(unit=unit, amount__gt=short_amounts, due_at__lt=long_bound))
        if not short_amounts:
            continue
        if unit == ClockUnit.WORKING_DAYS:
            for amount in range(1, short_amounts + 1):
                bound = calendar.add_seconds(now, amount * unit_seconds // 2 + 1, unit)
                conditions.append(Q(unit=unit, amount=amount, due_at__lt=bound))
        else:
            # Wall-clock units: the bound is arithmetic on the clock's own amount.
            half_budget = ExpressionWrapper(
                F("amount") * Value(timedelta(seconds=unit_seconds // 2)),
                output_field=DurationField(),
            )
            bound = ExpressionWrapper(
                Value(now + timedelta(seconds=1)) + half_budget, output_field=DateTimeField()
            )
            conditions.append(Q(unit=unit, amount__lte=short_amounts, due_at__lt=bound))
    either = conditions[0]
    for condition in conditions[1:]:
        either |= condition
    return Q(due_at__gte=now) & either


def _sla_q(sla: str, *, now: datetime, calendar: WorkingCalendar) -> Q:
    clocks = _running_sla_clocks()
    if sla == SLA_OVERDUE:
        clocks = clocks.filter(due_at__lt=now)
    elif sla == SLA_AT_RISK:
        clocks = clocks.filter(at_risk_clocks_q(now=now, calendar=calendar))
    else:
        return Q()
    return Q(pk__in=clocks.values("complaint_id"))


def _wib_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=WIB)


def inbox_queryset(
    actor: Actor, filters: InboxFilters, *, now: datetime, calendar: WorkingCalendar
) -> QuerySet[Complaint]:
    """The reports ``actor`` may see in the queue, narrowed by ``filters`` (unordered)."""
    qs = complaints_for(actor).filter(_queue_q(filters.queue_spec.key))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.classification_id is not None:
        qs = qs.filter(classification_id=filters.classification_id)
    if filters.category_ids:
        qs = qs.filter(category_id__in=sorted(filters.category_ids))
    if filters.kecamatan_code:
        qs = qs.filter(kecamatan__code=filters.kecamatan_code)
    if filters.opd_id is not None:
        live = Disposition.objects.filter(opd_id=filters.opd_id).exclude(
            status=DispositionStatus.RETURNED
        )
        qs = qs.filter(pk__in=live.values("complaint_id"))
    if filters.sla:
        qs = qs.filter(_sla_q(filters.sla, now=now, calendar=calendar))
    if filters.date_from is not None:
        qs = qs.filter(created_at__gte=_wib_midnight(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(created_at__lt=_wib_midnight(filters.date_to + timedelta(days=1)))
    return complaints_search(qs, filters.query)


def inbox_queue_counts(actor: Actor) -> list[InboxQueueCount]:
    """Each work queue's size, capped at INBOX_QUEUE_COUNT_LIMIT (one LIMITed count each)."""
    counts = []
    for queue in INBOX_QUEUES:
        if not queue.counted:
            counts.append(InboxQueueCount(queue, None, False))
            continue
        n = (
            complaints_for(actor)
            .filter(_queue_q(queue.key))
            .order_by()[: INBOX_QUEUE_COUNT_LIMIT + 1]
            .count()
        )
        counts.append(
            InboxQueueCount(queue, min(n, INBOX_QUEUE_COUNT_LIMIT), n > INBOX_QUEUE_COUNT_LIMIT)
        )
    return counts


def _received_order_page(qs, cursor: InboxCursor | None, size: int, *, newest_first: bool):
    if cursor is not None and cursor.at is not None:
        op = "lt" if newest_first else "gt"
        qs = qs.filter(
            Q(**{f"created_at__{op}": cursor.at})
            | Q(created_at=cursor.at, **{f"id__{op}": cursor.id})
        )
    order = ("-created_at", "-id") if newest_first else ("created_at", "id")
    rows = list(qs.order_by(*order)[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    if not rows:  # a page filled by the part before: this part starts the next one
        return rows, InboxCursor("c")
    return rows, InboxCursor("c", rows[-1].created_at, rows[-1].pk)


def _due_order_page(qs, cursor: InboxCursor | None, size: int):
    rows: list[Complaint] = []
    if cursor is None or cursor.phase == "d":
        running = Q(clocks__state=SlaClock.State.RUNNING, clocks__kind__in=INBOX_SLA_CLOCKS)
        earlier = (
            _running_sla_clocks()
            .filter(complaint_id=OuterRef("pk"))
            .filter(
                Q(due_at__lt=OuterRef("next_due"))
                | Q(due_at=OuterRef("next_due"), id__lt=OuterRef("next_clock_id"))
            )
        )
        # One row per report: joined to its running clocks, keeping the earliest only.
        clocked = (
            qs.annotate(next_clock=FilteredRelation("clocks", condition=running))
            .filter(next_clock__isnull=False)
            .annotate(next_due=F("next_clock__due_at"), next_clock_id=F("next_clock__id"))
            .filter(~Exists(earlier))
        )
        if cursor is not None:
            clocked = clocked.filter(
                Q(next_due__gt=cursor.at) | Q(next_due=cursor.at, next_clock_id__gt=cursor.id)
            )
        rows = list(clocked.order_by("next_due", "next_clock_id")[: size + 1])
        if len(rows) > size:
            rows = rows[:size]
            return rows, InboxCursor("d", rows[-1].next_due, rows[-1].next_clock_id)
        cursor = None
    without = qs.filter(~Exists(_running_sla_clocks().filter(complaint_id=OuterRef("pk"))))
    rest, next_cursor = _received_order_page(without, cursor, size - len(rows), newest_first=True)
    return rows + rest, next_cursor


def _inbox_clocks(complaint: Complaint, opd_names: dict[int, str], *, now, calendar):
    views = []
    for clock in complaint.clocks.all():
        state = clock_state(clock, now=now, calendar=calendar)
        views.append(
            InboxClock(
                kind=clock.kind,
                label=ClockKind(clock.kind).label,
                opd=opd_names.get(clock.disposition_id, ""),
                state=state,
                state_label=ClockStatus(state).label,
                due_at=clock.due_at,
            )
        )
    return views


def _inbox_row(complaint: Complaint, *, now, calendar) -> InboxRow:
    dispositions = list(complaint.dispositions.all())
    opd_names = {d.pk: d.opd.short_name for d in dispositions}
    excerpt = " ".join((complaint.excerpt or "").split())
    return InboxRow(
        complaint=complaint,
        title=complaint.public_title or complaint.title,
        excerpt=Truncator(excerpt).chars(INBOX_EXCERPT_CHARS),
        location=", ".join(p.name for p in (complaint.desa, complaint.kecamatan) if p),
        clocks=_inbox_clocks(complaint, opd_names, now=now, calendar=calendar),
        live=[d for d in dispositions if d.status != DispositionStatus.RETURNED],
        returned=[d for d in dispositions if d.status == DispositionStatus.RETURNED],
    )


def inbox_page(
    actor: Actor,
    filters: InboxFilters,
    cursor: str | None,
    now: datetime,
    *,
    page_size: int = INBOX_PAGE_SIZE,
    calendar: WorkingCalendar | None = None,
) -> InboxPage:
    """One page of Admin Kabupaten's inbox, from ``cursor`` (the previous page's
    ``next_cursor``; None for the first page). A fixed number of queries, see above."""
    calendar = calendar if calendar is not None else working_calendar()
    sort = filters.effective_sort
    decoded = InboxCursor.decode(cursor, sort=sort)
    qs = inbox_queryset(actor, filters, now=now, calendar=calendar)
    count = qs.order_by().values("pk")[: INBOX_COUNT_LIMIT + 1].count()
    # The original text only as far as the row shows it: a page never loads 50 whole texts.
    shown = (
        qs.select_related("classification", "category", "kecamatan", "desa")
        .defer("text", "public_text")
        .annotate(excerpt=Substr("text", 1, INBOX_EXCERPT_CHARS + 40))
    )
    if sort == SORT_DUE:
        rows, next_cursor = _due_order_page(shown, decoded, page_size)
    else:
        rows, next_cursor = _received_order_page(
            shown, decoded, page_size, newest_first=sort == SORT_NEWEST
        )
    prefetch_related_objects(
        rows,
        Prefetch(
            "clocks",
            queryset=SlaClock.objects.filter(state__in=OPEN_STATES).order_by(
                F("due_at").asc(nulls_last=True), "id"
            ),
        ),
        Prefetch(
            "dispositions",
            queryset=Disposition.objects.select_related("opd").order_by(
                "-is_lead", "created_at", "id"
            ),
        ),
    )
    return InboxPage(
        rows=[_inbox_row(c, now=now, calendar=calendar) for c in rows],
        count=min(count, INBOX_COUNT_LIMIT),
        count_is_capped=count > INBOX_COUNT_LIMIT,
        next_cursor=next_cursor.encode() if next_cursor is not None else None,
        is_first_page=decoded is None,
        sort=sort,
        queues=inbox_queue_counts(actor),
    )
