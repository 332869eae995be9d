"""Reads for the public pages: the list of public reports, one report's public page, the
statistics and the home page's figures.

Everything starts from ``public_reports()`` (scope.py): verified, non-rahasia reports with a
public version, as dicts of PUBLIC_FIELDS. Every text leaving this module for a page has gone
through ``mask_personal_data`` (mask first, then shorten: a number cut in half by an excerpt
would escape the mask).

Cost does not grow with the table (DOMAIN.md §7):

- the list pages by keyset on (created_at, id), newest first, and counts at most
  ``COUNT_LIMIT`` matches ("more than 1 000"), never the whole table;
- the statistics are a fixed number of GROUP BY queries; Python only merges their (small)
  results with reference data, never loops over reports.

Privacy rules decided here (issue 3, §6):

- the public never sees any reporter identity, anonim or not; names of staff never appear;
- the timeline shows status changes and their dates only, never a reason or question text;
- attachments are listed by kind and size, not by the reporter-chosen file name;
- the text search never matches words containing a digit or "@" (see ``public_search_terms``);
- rahasia reports count in the totals by status, in the monthly trend and in the on-time rates
  (numbers that say nothing about one report), never in the breakdowns by category,
  kecamatan or OPD.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaints.masking import mask_personal_data
from complaints.models import (
    Attachment,
    Category,
    Channel,
    Complaint,
    Event,
    Kecamatan,
    Status,
)
from complaints.selectors.scope import PUBLIC_FIELDS, public_reports
from complaints.workflow import COMPLAINT_TRANSITIONS
from disposition.models import (
    ClockKind,
    ClockUnit,
    Disposition,
    DispositionStatus,
    Response,
    ResponseKind,
    SlaClock,
    SlaPolicy,
    Visibility,
)

WIB = ZoneInfo(settings.TIME_ZONE)
PAGE_SIZE = 20
# The list says "more than 1 000" instead of counting every match.
COUNT_LIMIT = 1000
EXCERPT_CHARS = 220
LATEST_COUNT = 4

# Public statuses in the order of the life cycle (filters, statistics).
PUBLIC_STATUS_ORDER = (
    Status.VERIFIED,
    Status.DISPOSITIONED,
    Status.RETURNED,
    Status.RESPONDED,
    Status.REOPENED,
    Status.FINISHED,
    Status.CLOSED,
    Status.ESCALATED,
)
ALL_STATUS_ORDER = (
    Status.RECEIVED,
    Status.WAITING_REPORTER,
    *PUBLIC_STATUS_ORDER,
    Status.ARCHIVED,
    Status.DUPLICATE,
)
DONE_STATUSES = (Status.FINISHED, Status.CLOSED)
# The regency's own deadlines. The reporter's (reporter_info) and the objection window measure
# the reporter, not the regency, so they are not part of the on-time rate.
REGENCY_CLOCKS = (ClockKind.VERIFICATION, ClockKind.INITIAL_RESPONSE, ClockKind.RESOLUTION)
# Events that change the report's own status (disposition-level moves write disposition
# statuses, some of which share a name with report statuses: filter by action too).
_COMPLAINT_ACTIONS = frozenset(t.action for t in COMPLAINT_TRANSITIONS)


def _mask(text: str) -> str:
    return mask_personal_data(text or "")


# --- reference data for the filters ---------------------------------------------------------


@dataclass(frozen=True)
class CategoryOption:
    id: int
    slug: str
    name: str
    parent_id: int | None


@dataclass(frozen=True)
class FilterOptions:
    categories: list[CategoryOption]
    kecamatan: list[tuple[str, str]]  # (code, name)

    def category_with_descendants(self, category_id: int) -> set[int]:
        """The category and every category below it (the tree may be any depth)."""
        children: dict[int | None, list[int]] = {}
        for c in self.categories:
            children.setdefault(c.parent_id, []).append(c.id)
        found, todo = set(), [category_id]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.add(current)
            todo.extend(children.get(current, ()))
        return found


def public_filter_options() -> FilterOptions:
    """Active categories (tree order: a top-level one, then its children) and the kecamatan."""
    categories = [
        CategoryOption(**row)
        for row in Category.objects.filter(is_active=True)
        .order_by("sort_order", "name")
        .values("id", "slug", "name", "parent_id")
    ]
    kecamatan = list(Kecamatan.objects.order_by("name").values_list("code", "name"))
    return FilterOptions(categories=categories, kecamatan=kecamatan)


# --- search ---------------------------------------------------------------------------------

_TRACKING_NUMBER = re.compile(r"^[A-Z]{2,6}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
_SEARCH_MAX_WORDS = 8


def public_search_terms(query: str) -> tuple[str, bool]:
    """The part of a visitor's search that may be searched for, and whether anything was left
    out.

    Words containing a digit or "@" are left out. Masking hides a phone number, e-mail or NIK
    an admin missed in a public text, but a search that *matches* it would still tell whoever
    typed the number which report mentions it. Losing searches for "2024" or "RT 03" is the
    price.
    """
    kept, dropped = [], False
    for word in (query or "").split():
        if "@" in word or any(ch.isdigit() for ch in word):
            dropped = True
        else:
            kept.append(word)
    return " ".join(kept[:_SEARCH_MAX_WORDS]), dropped


def _search(queryset, query: str):
    query = (query or "").strip()
    if _TRACKING_NUMBER.match(query.upper()):
        # A tracking number finds its report (the detail page is reachable by number anyway).
        return queryset.filter(tracking_number=query.upper())
    words, _dropped = public_search_terms(query)
    if not words:
        return queryset
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # alias, not annotate: the vector must not become a key of the public dicts.
        return queryset.alias(
            public_search=SearchVector("public_title", "public_text", config="simple")
        ).filter(public_search=SearchQuery(words, config="simple", search_type="websearch"))
    condition = Q()
    for word in words.split():
        word = word.strip('"').lstrip("-")
        if word:
            condition &= Q(public_title__icontains=word) | Q(public_text__icontains=word)
    return queryset.filter(condition)


# --- the list -------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    """A position in the list: the (created_at, id) of a row. Opaque text in links."""

    created_at: datetime
    id: int

    def encode(self) -> str:
        return f"{(self.created_at - _EPOCH) // timedelta(microseconds=1)}-{self.id}"

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        """The cursor in ``value``, or None for anything malformed (then: the first page)."""
        match = re.fullmatch(r"(\d{1,17})-(\d{1,18})", (value or "").strip())
        if not match:
            return None
        try:
            created_at = _EPOCH + timedelta(microseconds=int(match[1]))
        except OverflowError:
            return None
        return cls(created_at=created_at, id=int(match[2]))


@dataclass(frozen=True)
class PublicPage:
    rows: list[dict]
    count: int
    count_is_capped: bool
    older: str | None  # cursor of the next page (older reports)
    newer: str | None  # cursor of the previous page (newer reports)


# How a status badge looks: done, needs attention, or in progress.
STATUS_TONE = {
    Status.FINISHED: "ok",
    Status.CLOSED: "ok",
    Status.REOPENED: "warn",
    Status.RETURNED: "warn",
}


def present_report(row: dict) -> dict:
    """A public row ready for a template: masked texts, an excerpt and labels."""
    text = _mask(row["public_text"])
    return {
        "status_tone": STATUS_TONE.get(row["status"], "info"),
        "tracking_number": row["tracking_number"],
        "title": _mask(row["public_title"]) or Truncator(text).chars(80),
        "text": text,
        "excerpt": Truncator(text).chars(EXCERPT_CHARS),
        "status": row["status"],
        "status_label": Status(row["status"]).label,
        "category": row["category__name"] or "",
        "kecamatan": row["kecamatan__name"] or "",
        "desa": row["desa__name"] or "",
        "channel_label": Channel(row["channel"]).label if row["channel"] else "",
        "public_lat": row["public_lat"],
        "public_lng": row["public_lng"],
        "created_at": row["created_at"],
        "verified_at": row["verified_at"],
        "finished_at": row["finished_at"],
    }


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=WIB)


def public_reports_filtered(
    *,
    category_ids: Collection[int] | None = None,
    kecamatan_code: str = "",
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    query: str = "",
):
    """Public reports narrowed by the list's filters (dates are WIB days, both inclusive)."""
    qs = public_reports()
    if category_ids:
        qs = qs.filter(category_id__in=list(category_ids))
    if kecamatan_code:
        qs = qs.filter(kecamatan__code=kecamatan_code)
    if status:
        qs = qs.filter(status=status)
    if date_from is not None:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to is not None:
        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return _search(qs, query)


def public_report_page(
    *,
    after: str | None = None,
    before: str | None = None,
    page_size: int = PAGE_SIZE,
    **filters,
) -> PublicPage:
    """One page of the public list, newest first.

    ``after``: the cursor of the last row of the page the visitor saw (show older ones);
    ``before``: the cursor of its first row (show newer ones). Two queries: a capped count
    and the page, whatever the size of the table or the depth of the page.
    """
    qs = public_reports_filtered(**filters)
    count = qs.order_by()[: COUNT_LIMIT + 1].count()
    after_cursor, before_cursor = Cursor.decode(after), Cursor.decode(before)
    if before_cursor is not None and after_cursor is None:
        c = before_cursor
        rows = list(
            qs.filter(
                Q(created_at__gt=c.created_at) | Q(created_at=c.created_at, id__gt=c.id)
            ).order_by("created_at", "id")[: page_size + 1]
        )
        has_newer = len(rows) > page_size
        rows = rows[:page_size][::-1]
        has_older = True
    else:
        if after_cursor is not None:
            c = after_cursor
            qs = qs.filter(Q(created_at__lt=c.created_at) | Q(created_at=c.created_at, id__lt=c.id))
        rows = list(qs.order_by("-created_at", "-id")[: page_size + 1])
        has_older = len(rows) > page_size
        rows = rows[:page_size]
        has_newer = after_cursor is not None
    older = newer = None
    if rows and has_older:
        older = Cursor(rows[-1]["created_at"], rows[-1]["id"]).encode()
    if rows and has_newer:
        newer = Cursor(rows[0]["created_at"], rows[0]["id"]).encode()
    return PublicPage(
        rows=[present_report(r) for r in rows],
        count=min(count, COUNT_LIMIT),
        count_is_capped=count > COUNT_LIMIT,
        older=older,
        newer=newer,
    )


def latest_public_reports(limit: int = LATEST_COUNT) -> list[dict]:
    return [present_report(r) for r in public_reports().order_by("-created_at", "-id")[:limit]]


# --- one report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicDetail:
    report: dict
    timeline: list[dict]
    responses: list[dict]
    attachments: list[dict]
    opds: list[dict]


def _normal_number(tracking_number: str) -> str:
    return (tracking_number or "").strip().upper()


def public_report_detail(tracking_number: str) -> PublicDetail | None:
    """The public page of one report, or None if it is not public (rahasia, unverified,
    archived, a duplicate, or no such number). Five queries."""
    row = (
        public_reports()
        .filter(tracking_number=_normal_number(tracking_number))
        .values(*PUBLIC_FIELDS, "classification__name", "escalated_to__name")
        .first()
    )
    if row is None:
        return None
    report = present_report(row)
    report["classification"] = row["classification__name"] or ""
    report["escalated_to"] = row["escalated_to__name"] or ""
    pk = row["id"]
    # Status changes only: no actor, no reason, no question, no internal move.
    timeline = [
        {"status": e["to_status"], "label": Status(e["to_status"]).label, "at": e["created_at"]}
        for e in Event.objects.filter(
            complaint_id=pk, action__in=_COMPLAINT_ACTIONS, to_status__in=Status.values
        )
        .exclude(to_status="")
        .order_by("created_at", "id")
        .values("from_status", "to_status", "created_at")
        if e["to_status"] != e["from_status"]
    ]
    responses = [
        {
            "kind": r["kind"],
            "kind_label": ResponseKind(r["kind"]).label,
            "text": _mask(r["text"]),
            "opd": r["opd__name"] or "",
            "at": r["created_at"],
        }
        for r in Response.objects.filter(complaint_id=pk, visibility=Visibility.PUBLIC)
        .order_by("created_at", "id")
        .values("kind", "text", "opd__name", "created_at")
    ]
    attachments = []
    for number, a in enumerate(
        Attachment.objects.filter(complaint_id=pk, is_public=True)
        .filter(Q(response__isnull=True) | Q(response__visibility=Visibility.PUBLIC))
        .order_by("created_at", "id")
        .values("content_type", "size"),
        start=1,
    ):
        is_image = a["content_type"].startswith("image/")
        attachments.append(
            {
                "label": _("Foto %(n)s") % {"n": number}
                if is_image
                else _("Dokumen %(n)s") % {"n": number},
                "kind": _("gambar") if is_image else _("PDF"),
                "size": a["size"],
            }
        )
    opds = [
        {"name": d["opd__name"], "is_lead": d["is_lead"]}
        for d in Disposition.objects.filter(complaint_id=pk)
        .exclude(status=DispositionStatus.RETURNED)
        .order_by("-is_lead", "opd__name")
        .values("opd__name", "is_lead")
    ]
    return PublicDetail(
        report=report, timeline=timeline, responses=responses, attachments=attachments, opds=opds
    )


def public_original_of(tracking_number: str) -> str | None:
    """For a duplicate that had been public itself, the number of the public report it was
    merged into; otherwise None (the visitor gets a 404, as for any non-public number).

    A duplicate that was never public (unverified, or rahasia) stays unknown: pointing from
    it to the original would tell its holder what a private report was about.
    """
    return (
        Complaint.objects.filter(
            tracking_number=_normal_number(tracking_number),
            status=Status.DUPLICATE,
            is_secret=False,
            duplicate_of__in=public_reports().values("id"),
        )
        .exclude(public_text="")
        .values_list("duplicate_of__tracking_number", flat=True)
        .first()
    )


# --- statistics -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    count: int
    share: float  # of the largest count in the same table, 0–100, for bars


@dataclass(frozen=True)
class OnTime:
    kind: str
    label: str
    met: int
    total: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.met / self.total, 1) if self.total else None


@dataclass(frozen=True)
class TrendPoint:
    month: date
    received: int
    finished: int


@dataclass(frozen=True)
class Statistics:
    year: int
    start: datetime
    end: datetime
    received: int
    finished: int
    public: int
    by_status: list[Tally]
    by_category: list[Tally]
    by_kecamatan: list[Tally]
    by_opd: list[Tally]
    on_time: list[OnTime]
    on_time_overall: OnTime
    trend: list[TrendPoint]
    trend_start: date
    trend_end: date


def _counts(rows: list[tuple[str, str, int]]) -> list[Tally]:
    top = max((n for _k, _l, n in rows), default=0)
    return [Tally(k, label, n, round(100 * n / top, 1) if top else 0.0) for k, label, n in rows]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=WIB), datetime(year + 1, 1, 1, tzinfo=WIB)


def statistics_years(*, now: datetime) -> list[int]:
    """Years with reports, newest first (the current year always)."""
    current = now.astimezone(WIB).year
    first = Complaint.objects.aggregate(first=Min("created_at"))["first"]
    oldest = first.astimezone(WIB).year if first else current
    return list(range(current, min(oldest, current) - 1, -1))


def _status_counts(start: datetime, end: datetime) -> dict[str, int]:
    """Reports received in [start, end) by current status: every report, rahasia included
    (a number by status says nothing about one report)."""
    return dict(
        Complaint.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )


def _on_time(start: datetime, end: datetime) -> tuple[list[OnTime], OnTime]:
    """Regency clocks stopped in [start, end), met vs all, per kind and overall."""
    rows = {
        kind: (met, total)
        for kind, met, total in SlaClock.objects.filter(
            state=SlaClock.State.STOPPED,
            met__isnull=False,
            kind__in=REGENCY_CLOCKS,
            stopped_at__gte=start,
            stopped_at__lt=end,
        )
        .order_by()
        .values_list("kind")
        .annotate(met=Count("id", filter=Q(met=True)), total=Count("id"))
    }
    per_kind = [
        OnTime(kind, ClockKind(kind).label, *rows.get(kind, (0, 0))) for kind in REGENCY_CLOCKS
    ]
    overall = OnTime(
        "all",
        str(_("Semua tenggat")),
        sum(o.met for o in per_kind),
        sum(o.total for o in per_kind),
    )
    return per_kind, overall


def _month_add(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def public_statistics(*, year: int, now: datetime) -> Statistics:
    """The statistics page for reports received in ``year`` (WIB). Nine queries.

    The monthly trend covers the twelve months of ``year``; for the current year, the twelve
    months up to this one.
    """
    start, end = year_bounds(year)
    in_period = Q(created_at__gte=start, created_at__lt=end)

    by_status_raw = _status_counts(start, end)
    received = sum(by_status_raw.values())
    finished = sum(by_status_raw.get(s, 0) for s in DONE_STATUSES)
    by_status = _counts(
        [(s.value, s.label, by_status_raw[s]) for s in ALL_STATUS_ORDER if by_status_raw.get(s)]
    )

    public = public_reports().filter(in_period)
    # By category: grouped by the report's own category in SQL, then rolled up to the
    # top-level category over those few grouped rows (the tree may be any depth).
    per_category = dict(public.order_by().values_list("category_id").annotate(n=Count("id")))
    categories = {
        pk: (parent, name)
        for pk, parent, name in Category.objects.values_list("id", "parent_id", "name")
    }
    rolled: dict[int | None, int] = {}
    for category_id, n in per_category.items():
        top, seen = category_id, set()
        while top is not None and categories.get(top, (None,))[0] is not None and top not in seen:
            seen.add(top)
            top = categories[top][0]
        rolled[top] = rolled.get(top, 0) + n
    public_total = sum(per_category.values())
    by_category = _counts(
        sorted(
            (
                (
                    str(pk or ""),
                    categories[pk][1] if pk in categories else str(_("Belum dikategorikan")),
                    n,
                )
                for pk, n in rolled.items()
            ),
            key=lambda r: (-r[2], r[1]),
        )
    )

    per_kecamatan = dict(public.order_by().values_list("kecamatan_id").annotate(n=Count("id")))
    kecamatan_rows = [
        (code, name, per_kecamatan.get(pk, 0))
        for pk, code, name in Kecamatan.objects.order_by("name").values_list("id", "code", "name")
    ]
    if per_kecamatan.get(None):
        kecamatan_rows.append(("", str(_("Tanpa kecamatan")), per_kecamatan[None]))
    by_kecamatan = _counts(kecamatan_rows)

    by_opd = _counts(
        [
            (str(pk), name, n)
            for pk, name, n in Disposition.objects.filter(
                is_lead=True, complaint_id__in=public.values("id")
            )
            .exclude(status=DispositionStatus.RETURNED)
            .order_by()
            .values_list("opd_id", "opd__name")
            .annotate(n=Count("id"))
            .order_by("-n", "opd__name")
        ]
    )

    on_time, on_time_overall = _on_time(start, end)

    this_month = now.astimezone(WIB).date().replace(day=1)
    trend_end = _month_add(this_month, 1) if year == this_month.year else date(year + 1, 1, 1)
    trend_start = _month_add(trend_end, -12)
    t_start, t_end = _day_start(trend_start), _day_start(trend_end)
    received_by_month = dict(
        Complaint.objects.filter(created_at__gte=t_start, created_at__lt=t_end)
        .annotate(month=TruncMonth("created_at", tzinfo=WIB))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )
    finished_by_month = dict(
        Complaint.objects.filter(
            status__in=DONE_STATUSES, finished_at__gte=t_start, finished_at__lt=t_end
        )
        .annotate(month=TruncMonth("finished_at", tzinfo=WIB))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )

    def by_month(counts: dict) -> dict[date, int]:
        return {m.astimezone(WIB).date(): n for m, n in counts.items()}

    received_m, finished_m = by_month(received_by_month), by_month(finished_by_month)
    trend = [
        TrendPoint(month, received_m.get(month, 0), finished_m.get(month, 0))
        for month in (_month_add(trend_start, i) for i in range(12))
    ]
    return Statistics(
        year=year,
        start=start,
        end=end,
        received=received,
        finished=finished,
        public=public_total,
        by_status=by_status,
        by_category=by_category,
        by_kecamatan=by_kecamatan,
        by_opd=by_opd,
        on_time=on_time,
        on_time_overall=on_time_overall,
        trend=trend,
        trend_start=trend_start,
        trend_end=_month_add(trend_end, -1),
    )


@dataclass(frozen=True)
class Headline:
    year: int
    received: int
    finished: int
    on_time: OnTime


def headline_figures(*, now: datetime) -> Headline:
    """The home page's figures for the current year (WIB). Two queries."""
    year = now.astimezone(WIB).year
    start, end = year_bounds(year)
    counts = _status_counts(start, end)
    _per_kind, overall = _on_time(start, end)
    return Headline(
        year=year,
        received=sum(counts.values()),
        finished=sum(counts.get(s, 0) for s in DONE_STATUSES),
        on_time=overall,
    )


# --- deadlines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    amount: int
    unit: str

    @property
    def unit_label(self) -> str:
        return ClockUnit(self.unit).label

    def __str__(self) -> str:
        # Counted phrases, so English says "1 working day" and "3 working days".
        if self.unit == ClockUnit.WORKING_DAYS:
            text = ngettext("%(n)s hari kerja", "%(n)s hari kerja", self.amount)
        elif self.unit == ClockUnit.CALENDAR_DAYS:
            text = ngettext("%(n)s hari kalender", "%(n)s hari kalender", self.amount)
        elif self.unit == ClockUnit.HOURS:
            text = ngettext("%(n)s jam", "%(n)s jam", self.amount)
        else:
            return f"{self.amount} {self.unit_label}"
        return text % {"n": self.amount}


def sla_summary() -> dict[str, Deadline]:
    """The deadlines that apply to a report in general, for the public explanation.

    Per clock kind (and ``initial_response_urgent``): the active SlaPolicy row scoped to no
    classification, category or channel, else the default of ``settings.SLA_DEFAULT_POLICIES``
    — the same fallback ``disposition.clocks.policy_for`` uses. A category may have its own
    rule; the page says "umumnya" (as a rule). One query.
    """
    general = {
        (clock, priority): Deadline(amount, unit)
        for clock, priority, amount, unit in SlaPolicy.objects.filter(
            is_active=True,
            classification__isnull=True,
            category__isnull=True,
            channel="",
            priority__in=["", "urgent"],
        ).values_list("clock", "priority", "amount", "unit")
    }
    for clock, priority, amount, unit in settings.SLA_DEFAULT_POLICIES:
        general.setdefault((clock, priority), Deadline(amount, unit))
    summary = {kind: general[(kind, "")] for kind in ClockKind.values if (kind, "") in general}
    urgent = general.get((ClockKind.INITIAL_RESPONSE, "urgent"))
    if urgent is not None:
        summary["initial_response_urgent"] = urgent
    return summary
