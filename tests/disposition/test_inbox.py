"""Admin Kabupaten's inbox (/kelola/kotak-masuk/), its bulk actions and the staff entry of a
report (/kelola/laporan-baru/): who may use them, the queues, every filter, search, the three
orders, keyset pages (no duplicate, no gap, also among equal timestamps), clock states, a
constant number of queries, bulk archive and disposition (each report on its own, refusals with
their reasons) and the report entered on behalf of a reporter.

Every request runs at VIEW_NOW (time-machine); reports are built through the services at NOW
or earlier, so clock states are fixed: NOW is a Tuesday 09:00 WIB with no holidays in the
table.
"""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import product
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import (
    ArchiveReason,
    Attachment,
    Channel,
    Complaint,
    Event,
    Priority,
    Status,
)
from complaints.services import access_code_matches
from complaints.workflow import Action, TransitionError
from disposition import services as ds
from disposition.calendar import WIB, WorkingCalendar
from disposition.clocks import ClockStatus, clock_state
from disposition.models import (
    ClockKind,
    ClockUnit,
    Disposition,
    DispositionStatus,
    Role,
    SlaClock,
)
from disposition.selectors import (
    SORT_DUE,
    SORT_NEWEST,
    SORT_OLDEST,
    InboxCursor,
    InboxFilters,
    at_risk_clocks_q,
    inbox_page,
)
from disposition.views import inbox as inbox_views
from tests.builders import photo, reach, reach_from_lapor, submit
from tests.conftest import NOW
from tests.factories import (
    CategoryFactory,
    ClassificationFactory,
    DesaFactory,
    KecamatanFactory,
    OPDFactory,
)

pytestmark = pytest.mark.django_db

INBOX = reverse("kelola:inbox")
BULK = reverse("kelola:inbox_bulk")
CREATE = reverse("kelola:report_create")
CREATED = reverse("kelola:report_created")
VIEW_NOW = NOW + timedelta(hours=1)
DENIED = (
    "citizen",
    "admin_opd",
    "pejabat_penghubung",
    "other_opd_admin",
    "other_pejabat_penghubung",
)


@pytest.fixture(autouse=True)
def _at_view_now():
    with time_machine.travel(VIEW_NOW, tick=False):
        yield


@pytest.fixture
def client_as(client, staff_client, request):
    """client_as("admin_kabupaten") → a logged-in client (second factor verified)."""

    def make(who):
        if who == "anonymous":
            return client
        return staff_client(request.getfixturevalue(who))

    return make


@pytest.fixture
def ak(client_as):
    return client_as("admin_kabupaten")


def row_ids(response) -> list[int]:
    """The reports listed, in order (each row has one checkbox named "pilih")."""
    return [int(pk) for pk in re.findall(r'name="pilih" value="(\d+)"', response.content.decode())]


def ids(*complaints) -> set[int]:
    return {c.pk for c in complaints}


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def state_of(*complaints) -> list[tuple]:
    """What a bulk action could change, to assert that a refusal changed nothing."""
    return [
        (
            c.pk,
            Complaint.objects.get(pk=c.pk).status,
            Event.objects.filter(complaint=c).count(),
            Disposition.objects.filter(complaint=c).count(),
        )
        for c in complaints
    ]


def with_returned_supporting_opd(world, *, handled: bool = False) -> Complaint:
    """Dispositioned to two OPDs; the supporting one returned it. ``handled``: Admin
    Kabupaten dispositioned the report again afterwards."""
    complaint = reach(world, Status.VERIFIED)
    ds.disposition_create(
        complaint=complaint,
        actor=world.ak,
        opds=[world.opd, world.other_opd],
        lead=world.opd,
        now=world.now,
    )
    ds.disposition_return(
        disposition=complaint.dispositions.get(opd=world.other_opd),
        actor=world.other_ao,
        reason="Bukan tupoksi DPUPR.",
        now=world.now,
    )
    if handled:
        dishub = OPDFactory(name="Dinas Perhubungan", short_name="Dishub")
        ds.disposition_create(
            complaint=complaint,
            actor=world.ak,
            opds=[dishub],
            lead=None,
            now=world.now + timedelta(minutes=5),
        )
    return Complaint.objects.get(pk=complaint.pk)


# --- who may use it -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [INBOX, CREATE, CREATED])
def test_anonymous_visitor_is_sent_to_the_staff_login(client_as, url):
    response = client_as("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("kelola:login"))


@pytest.mark.parametrize(("who", "url"), list(product(DENIED, [INBOX, CREATE, CREATED])))
def test_everyone_but_admin_kabupaten_gets_404(client_as, world, who, url):
    assert client_as(who).get(url).status_code == 404


def test_admin_kabupaten_without_second_factor_is_asked_for_it(staff_client, admin_kabupaten):
    response = staff_client(admin_kabupaten, verified=False).get(INBOX)
    assert response.status_code == 302
    assert response["Location"] == reverse("kelola:second_factor")


@pytest.mark.parametrize("url", [INBOX, CREATE, CREATED])
def test_admin_kabupaten_opens_the_pages(ak, url):
    assert ak.get(url).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", *DENIED])
def test_others_cannot_bulk_archive_or_enter_reports(client_as, world, who):
    received = reach(world, Status.RECEIVED)
    before = state_of(received)
    count = Complaint.objects.count()
    client = client_as(who)
    archive = client.post(BULK, {"aksi": "arsip_spam", "pilih": [received.pk], "konfirmasi": "1"})
    entry = client.post(
        CREATE,
        {
            "channel": Channel.WHATSAPP,
            "classification": str(world.classification.pk),
            "text": "Laporan masuk lewat WhatsApp tentang jalan rusak di desa.",
            "priority": Priority.NORMAL,
        },
    )
    expected = 302 if who == "anonymous" else 404
    assert archive.status_code == entry.status_code == expected
    assert state_of(received) == before
    assert Complaint.objects.count() == count


# --- queues -------------------------------------------------------------------------------


@pytest.fixture
def queues(world):
    return SimpleNamespace(
        received=reach(world, Status.RECEIVED),
        waiting=reach(world, Status.WAITING_REPORTER),
        verified=reach(world, Status.VERIFIED),
        from_lapor=reach_from_lapor(world),
        returned=reach(world, Status.RETURNED),
        partly_returned=with_returned_supporting_opd(world),
        handled=with_returned_supporting_opd(world, handled=True),
        dispositioned=reach(world, Status.DISPOSITIONED),
        archived=reach(world, Status.ARCHIVED),
    )


def test_each_queue_holds_its_reports(ak, queues):
    q = queues
    expected = {
        "verifikasi": ids(q.received),
        "menunggu": ids(q.waiting),
        "disposisi": ids(q.verified, q.from_lapor),
        # The lead OPD returned it, or a supporting OPD did and nobody re-dispositioned since.
        "dikembalikan": ids(q.returned, q.partly_returned),
        "semua": ids(*vars(q).values()),
    }
    for queue, wanted in expected.items():
        assert set(row_ids(ak.get(INBOX, {"antrian": queue}))) == wanted, queue


def test_inbox_opens_on_the_verification_queue_with_counts_on_the_tabs(ak, queues):
    page = ak.get(INBOX)
    assert set(row_ids(page)) == ids(queues.received)
    html = page.content.decode()
    assert re.search(r"Dikembalikan\s*<span class=\"inbox-tab-count\">2</span>", html)
    assert re.search(r"Siap disposisi\s*<span class=\"inbox-tab-count\">2</span>", html)


def test_a_row_shows_what_admin_kabupaten_needs_at_a_glance(ak, world, queues):
    html = ak.get(INBOX, {"antrian": "dikembalikan"}).content.decode()
    complaint = queues.partly_returned
    assert reverse("kelola:report_detail", args=[complaint.tracking_number]) in html
    assert complaint.public_title in html
    assert world.category.name in html
    assert world.desa.name in html
    assert world.desa.kecamatan.name in html
    assert "Bukan tupoksi DPUPR." in html
    assert "1 Des 2026, 09.00" in html  # received, WIB
    assert "Situs web" in html


def test_flags_are_badges(ak, world):
    submit(world, is_secret=True, is_anonymous=True)
    html = ak.get(INBOX).content.decode()
    assert ">Rahasia</span>" in html
    assert ">Anonim</span>" in html


def test_an_invalid_queue_falls_back_to_the_verification_queue(ak, queues):
    page = ak.get(INBOX, {"antrian": "tidak-ada"})
    assert page.status_code == 200
    assert set(row_ids(page)) == ids(queues.received)


# --- filters and search ---------------------------------------------------------------------


@pytest.fixture
def varied(world):
    kaliwungu = DesaFactory(
        code="3319012001",
        name="Bakalan Krapyak",
        kecamatan=KecamatanFactory(code="331901", name="Kaliwungu"),
    )
    road = CategoryFactory(parent=world.category, slug="jalan-rusak", name="Jalan Rusak")
    health = CategoryFactory(slug="kesehatan", name="Kesehatan")
    aspirasi = ClassificationFactory(code="aspirasi", name="Aspirasi", lapor_id=2)
    to_other = reach(world, Status.VERIFIED)
    ds.disposition_create(
        complaint=to_other,
        actor=world.ak,
        opds=[world.other_opd],
        lead=world.other_opd,
        now=world.now,
    )
    return SimpleNamespace(
        web=reach(world, Status.RECEIVED),
        whatsapp=reach(
            world,
            Status.RECEIVED,
            channel=Channel.WHATSAPP,
            kecamatan=kaliwungu.kecamatan,
            desa=kaliwungu,
            title="Lampu mati",
            text="Lampu penerangan di gang masjid mati total sejak minggu lalu, gelap sekali.",
            classification=aspirasi,
            category=road,
        ),
        old=reach(world, Status.RECEIVED, now=NOW - timedelta(days=10), category=health),
        to_opd=reach(world, Status.DISPOSITIONED),
        to_other=to_other,
        returned=reach(world, Status.RETURNED),
        aspirasi=aspirasi,
        kaliwungu=kaliwungu,
        road=road,
    )


@pytest.mark.parametrize(
    ("params", "wanted"),
    [
        ({"status": "received"}, ["web", "whatsapp", "old"]),
        ({"status": "returned"}, ["returned"]),
        ({"kanal": "whatsapp"}, ["whatsapp"]),
        ({"klasifikasi": "aspirasi"}, ["whatsapp"]),
        ({"kategori": "jalan-rusak"}, ["whatsapp"]),
        # A top-level category includes its sub-categories.
        ({"kategori": "parent"}, ["whatsapp", "to_opd", "to_other", "returned"]),
        ({"kecamatan": "331901"}, ["whatsapp"]),
        # A live disposition only: the OPD that returned a report no longer holds it.
        ({"opd": "opd"}, ["to_opd"]),
        ({"opd": "other_opd"}, ["to_other"]),
        ({"dari": "2026-12-01"}, ["web", "whatsapp", "to_opd", "to_other", "returned"]),
        ({"sampai": "2026-11-30"}, ["old"]),
        ({"dari": "2026-11-21", "sampai": "2026-11-21"}, ["old"]),
        ({"q": "lampu"}, ["whatsapp"]),
        ({"q": "lampu", "kanal": "web"}, []),
        ({"q": "lampu", "urut": "tenggat"}, ["whatsapp"]),
        ({"q": "penerangan -gelap"}, []),
        ({"kanal": "whatsapp", "kecamatan": "331905"}, []),
    ],
)
def test_each_filter_narrows_the_list(ak, world, varied, params, wanted):
    replace = {
        "aspirasi": str(varied.aspirasi.pk),
        "parent": world.category.slug,
        "opd": str(world.opd.pk),
        "other_opd": str(world.other_opd.pk),
    }
    query = {"antrian": "semua", **{k: replace.get(v, v) for k, v in params.items()}}
    response = ak.get(INBOX, query)
    assert response.status_code == 200
    assert set(row_ids(response)) == {getattr(varied, name).pk for name in wanted}


def test_search_finds_a_tracking_number_and_a_lapor_id(ak, world, varied):
    from_lapor = reach_from_lapor(world, lapor_id="7654321")
    number = varied.to_opd.tracking_number
    assert row_ids(ak.get(INBOX, {"antrian": "semua", "q": number.lower()})) == [varied.to_opd.pk]
    assert row_ids(ak.get(INBOX, {"antrian": "semua", "q": "7654321"})) == [from_lapor.pk]


def test_invalid_filter_values_are_reported_and_the_valid_ones_still_apply(ak, varied):
    response = ak.get(
        INBOX, {"antrian": "semua", "kanal": "whatsapp", "status": "nonsense", "dari": "31-31-2026"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pilihan tidak dikenal" in html
    assert "Tanggal tidak valid" in html
    assert set(row_ids(response)) == {varied.whatsapp.pk}


def test_htmx_gets_the_results_only(ak, varied):
    response = ak.get(INBOX, {"antrian": "semua", "q": "lampu"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.startswith('<section id="inbox-results"')
    assert row_ids(response) == [varied.whatsapp.pk]
    assert "HX-Request" in response["Vary"]


# --- clocks: states on the rows, and the SLA filter -----------------------------------------


@pytest.fixture
def timed(world):
    """Three reports to verify, received at different times; at VIEW_NOW (Tuesday 10:00) their
    3-working-day verification clocks are overdue, at risk and on time."""
    return SimpleNamespace(
        # Tue 24 Nov 09:00 + 3 working days = Fri 27 Nov 09:00: overdue.
        overdue=reach(world, Status.RECEIVED, now=NOW - timedelta(days=7)),
        # Fri 27 Nov 09:00 + 3 working days = Wed 2 Dec 09:00: 23 working hours left.
        at_risk=reach(world, Status.RECEIVED, now=NOW - timedelta(days=4)),
        # Tue 1 Dec 09:00 + 3 working days = Fri 4 Dec 09:00.
        on_time=reach(world, Status.RECEIVED),
    )


def test_rows_show_each_clock_state_with_its_due_time(ak, timed):
    html = ak.get(INBOX).content.decode()
    rows = html.split('name="pilih"')[1:]
    by_pk = {int(re.match(r' value="(\d+)"', row)[1]): row for row in rows}
    assert "Terlambat" in by_pk[timed.overdue.pk]
    assert "27 Nov 09.00" in by_pk[timed.overdue.pk]
    assert "Hampir tenggat" in by_pk[timed.at_risk.pk]
    assert "2 Des 09.00" in by_pk[timed.at_risk.pk]
    assert "Tepat waktu" in by_pk[timed.on_time.pk]
    assert "4 Des 09.00" in by_pk[timed.on_time.pk]
    assert "Verifikasi" in by_pk[timed.on_time.pk]


def test_disposition_clocks_name_their_opd(ak, world):
    reach(world, Status.DISPOSITIONED)
    html = ak.get(INBOX, {"antrian": "semua"}).content.decode()
    assert "Tanggapan awal · Dinkes" in html
    assert "Penyelesaian · Dinkes" in html


@pytest.mark.parametrize(("sla", "wanted"), [("terlambat", "overdue"), ("berisiko", "at_risk")])
def test_sla_filter(ak, timed, sla, wanted):
    response = ak.get(INBOX, {"antrian": "semua", "sla": sla})
    assert row_ids(response) == [getattr(timed, wanted).pk]


def test_a_paused_clock_is_neither_overdue_nor_at_risk(ak, world):
    waiting = reach(world, Status.WAITING_REPORTER, now=NOW - timedelta(days=7))
    for sla in ("terlambat", "berisiko"):
        assert waiting.pk not in row_ids(ak.get(INBOX, {"antrian": "semua", "sla": sla}))
    assert "Dijeda" in ak.get(INBOX, {"antrian": "menunggu"}).content.decode()


CLOCK_SHAPES = [
    (ClockUnit.WORKING_DAYS, 1),
    (ClockUnit.WORKING_DAYS, 2),
    (ClockUnit.WORKING_DAYS, 5),
    (ClockUnit.CALENDAR_DAYS, 1),
    (ClockUnit.CALENDAR_DAYS, 60),
    (ClockUnit.HOURS, 4),
    (ClockUnit.HOURS, 24),
    (ClockUnit.HOURS, 25),
]


def test_sla_filters_agree_with_clock_state(make_sla_complaint, wib):
    """The SQL form of "overdue" and "at risk" picks exactly the clocks clock_state names so,
    around every boundary: weekends, a holiday, half budgets, a second either side."""
    holiday = wib(2026, 12, 25).date()  # a Friday
    calendar = WorkingCalendar([holiday])
    nows = [
        wib(2026, 12, 1, 10),  # Tuesday morning
        wib(2026, 12, 4, 15, 30),  # Friday afternoon: the weekend is next
        wib(2026, 12, 24, 23, 59, 59),  # before a long weekend with a holiday
        wib(2026, 12, 26, 11),  # Saturday
    ]
    second = timedelta(seconds=1)
    clocks = []
    for now in nows:
        for unit, amount in CLOCK_SHAPES:
            budget = amount * {"working_days": 86400, "calendar_days": 86400, "hours": 3600}[unit]
            edges = {
                calendar.add_seconds(now, 86400 + 1, ClockUnit.WORKING_DAYS),
                calendar.add_seconds(now, budget // 2 + 1, unit),
                now,
            }
            dues = {now - second, now + timedelta(days=8), now + timedelta(hours=30)}
            for edge in edges:
                dues |= {edge - second, edge - timedelta(microseconds=1), edge, edge + second}
            for due in dues:
                complaint = make_sla_complaint()
                clocks.append(
                    SlaClock.objects.create(
                        complaint=complaint,
                        kind=ClockKind.VERIFICATION,
                        amount=amount,
                        unit=unit,
                        started_at=now - timedelta(days=30),
                        due_at=due,
                    )
                )
        running = SlaClock.objects.filter(pk__in=[c.pk for c in clocks])
        states = {c.pk: clock_state(c, now=now, calendar=calendar) for c in clocks}
        at_risk = set(
            running.filter(at_risk_clocks_q(now=now, calendar=calendar)).values_list(
                "pk", flat=True
            )
        )
        overdue = set(running.filter(due_at__lt=now).values_list("pk", flat=True))
        assert at_risk == {pk for pk, s in states.items() if s == ClockStatus.AT_RISK}, now
        assert overdue == {pk for pk, s in states.items() if s == ClockStatus.OVERDUE}, now
        assert at_risk
        assert overdue
        SlaClock.objects.filter(pk__in=[c.pk for c in clocks]).delete()
        clocks = []


# --- orders and keyset pages ----------------------------------------------------------------


@pytest.fixture
def many(world):
    """Reports sharing timestamps (the keyset must order ties by id), some with no running
    deadline (they come last in the "due soonest" order)."""
    reports = []
    for offset in (0, 0, 0, -1, -1, -2, 0, -3, -3, -3):
        reports.append(reach(world, Status.RECEIVED, now=NOW + timedelta(days=offset)))
    reports.append(reach(world, Status.WAITING_REPORTER, now=NOW - timedelta(days=2)))
    reports.append(reach(world, Status.WAITING_REPORTER, now=NOW - timedelta(days=2)))
    reports.append(reach(world, Status.ARCHIVED))
    return reports


def _walk(ak, params) -> list[int]:
    """Follow the "next page" links from the first page; the ids in order."""
    seen, query = [], dict(params)
    for _ in range(50):
        response = ak.get(INBOX, query)
        seen.extend(row_ids(response))
        match = re.search(r'rel="next" href="[^"]*setelah=([^"&]+)', response.content.decode())
        if not match:
            return seen
        query["setelah"] = match[1]
    raise AssertionError("pagination does not end")


@pytest.mark.parametrize("sort", [SORT_NEWEST, SORT_OLDEST, SORT_DUE])
def test_keyset_pages_continue_exactly_where_the_last_ended(ak, many, monkeypatch, sort):
    params = {"antrian": "semua", "urut": sort}
    whole = row_ids(ak.get(INBOX, params))
    assert sorted(whole) == sorted(c.pk for c in many)
    for size in (1, 3, 4):
        monkeypatch.setattr(inbox_views, "INBOX_PAGE_SIZE", size)
        walked = _walk(ak, params)
        assert walked == whole, size  # same order, no duplicate, no gap


def test_orders(ak, world, many):
    complaints = {c.pk: Complaint.objects.get(pk=c.pk) for c in many}

    def listed(sort):
        return row_ids(ak.get(INBOX, {"antrian": "semua", "urut": sort}))

    newest = listed(SORT_NEWEST)
    assert newest == sorted(
        complaints, key=lambda pk: (complaints[pk].created_at, pk), reverse=True
    )
    assert listed(SORT_OLDEST) == newest[::-1]
    due = listed(SORT_DUE)
    clocked = [pk for pk in due if complaints[pk].status == Status.RECEIVED]
    rest = [pk for pk in due if complaints[pk].status != Status.RECEIVED]
    # Running deadlines first, earliest first; then the others newest first.
    assert due == clocked + rest
    dues = {
        c.complaint_id: (c.due_at, c.pk)
        for c in SlaClock.objects.filter(kind=ClockKind.VERIFICATION, state="running")
    }
    assert clocked == sorted(clocked, key=lambda pk: dues[pk])
    assert rest == sorted(rest, key=lambda pk: (complaints[pk].created_at, pk), reverse=True)


def test_work_queues_open_by_deadline_and_all_by_newest(ak, many):
    assert 'value="tenggat" selected' in ak.get(INBOX).content.decode()
    assert 'value="terbaru" selected' in ak.get(INBOX, {"antrian": "semua"}).content.decode()


def test_a_malformed_or_foreign_cursor_gives_the_first_page(ak, many):
    first = row_ids(ak.get(INBOX, {"antrian": "semua"}))
    for cursor in ("x", "d123-4", "c-1", "c99999999999999999999-1", "'; drop table"):
        assert row_ids(ak.get(INBOX, {"antrian": "semua", "setelah": cursor})) == first
    assert InboxCursor.decode("d5-6", sort=SORT_NEWEST) is None
    assert InboxCursor.decode("c5-6", sort=SORT_OLDEST).id == 6


def test_the_count_is_capped_and_never_exact_beyond_the_cap(world, many, monkeypatch):
    monkeypatch.setattr("disposition.selectors.INBOX_COUNT_LIMIT", 5)
    page = inbox_page(world.ak, InboxFilters(queue="semua"), None, VIEW_NOW)
    assert (page.count, page.count_is_capped) == (5, True)
    page = inbox_page(world.ak, InboxFilters(queue="menunggu"), None, VIEW_NOW)
    assert (page.count, page.count_is_capped) == (2, False)


# --- query count ----------------------------------------------------------------------------

# Session, user, second factor, staff role (4); filter options (4); the capped count; the page
# (2 in the "due soonest" order when it reaches the reports without a running deadline); open
# clocks and dispositions (2); the four capped queue counts.
INBOX_QUERY_PIN = 17


def _queries(client, params) -> int:
    client.get(INBOX, params)  # warm: the session, the cached calendar
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(INBOX, params).status_code == 200
    return len(ctx.captured_queries)


def _mixed(world, count):
    statuses = [
        Status.RECEIVED,
        Status.VERIFIED,
        Status.DISPOSITIONED,
        Status.RETURNED,
        Status.WAITING_REPORTER,
        Status.RESPONDED,
        Status.ARCHIVED,
    ]
    for i in range(count):
        reach(world, statuses[i % len(statuses)], is_anonymous=bool(i % 2))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"antrian": "semua"},
        {"antrian": "semua", "urut": "tenggat"},
        {"antrian": "dikembalikan"},
        {"antrian": "semua", "sla": "terlambat", "q": "jalan", "opd": "0"},
    ],
)
def test_the_inbox_costs_the_same_queries_for_5_or_40_reports(ak, world, params):
    if params.get("opd"):
        params = {**params, "opd": str(world.opd.pk)}
    _mixed(world, 5)
    few = _queries(ak, params)
    _mixed(world, 35)
    many = _queries(ak, params)
    assert few == many <= INBOX_QUERY_PIN


# --- bulk actions ---------------------------------------------------------------------------


@pytest.fixture
def sortable(world):
    return SimpleNamespace(
        received=reach(world, Status.RECEIVED),
        verified=reach(world, Status.VERIFIED),
        returned=reach(world, Status.RETURNED),
        dispositioned=reach(world, Status.DISPOSITIONED),
        from_lapor=reach_from_lapor(world),
    )


def test_bulk_action_asks_for_confirmation_first_and_changes_nothing(ak, sortable):
    chosen = [sortable.received, sortable.dispositioned]
    before = state_of(*chosen)
    response = ak.post(BULK, {"aksi": "arsip_spam", "pilih": [c.pk for c in chosen]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Arsipkan sebagai spam?" in html
    assert sortable.received.tracking_number in html
    assert "Dilewati" in html  # the dispositioned one cannot be archived
    assert "Ya, arsipkan 2 laporan" in html
    assert state_of(*chosen) == before


def test_bulk_archive_archives_what_it_can_and_says_why_not_for_the_rest(ak, world, sortable):
    chosen = [sortable.received, sortable.verified, sortable.dispositioned]
    before = state_of(sortable.dispositioned)
    response = ak.post(
        BULK,
        {
            "aksi": "arsip_spam",
            "pilih": [c.pk for c in chosen],
            "konfirmasi": "1",
            "kembali": "antrian=semua&q=jalan",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?antrian=semua&q=jalan"
    messages = flash(response)
    assert "2 laporan diarsipkan sebagai spam." in messages
    assert "1 laporan tidak diproses; alasannya tercantum di bawah." in messages
    for complaint in (sortable.received, sortable.verified):
        complaint.refresh_from_db()
        assert (complaint.status, complaint.archive_reason) == (Status.ARCHIVED, ArchiveReason.SPAM)
        event = complaint.events.get(action=Action.ARCHIVE)
        assert event.actor == world.admin_kabupaten
    assert state_of(sortable.dispositioned) == before
    # The refusal, with its reason, on the inbox the browser returns to (once).
    html = ak.get(response["Location"]).content.decode()
    assert sortable.dispositioned.tracking_number in html
    assert "tidak dapat dilakukan pada status “Didisposisikan”" in html
    assert "Laporan yang tidak diproses" not in ak.get(INBOX).content.decode()


def test_bulk_disposition_routes_verified_and_returned_reports_to_one_opd(ak, world, sortable):
    chosen = [
        sortable.received,
        sortable.verified,
        sortable.returned,
        sortable.dispositioned,
        sortable.from_lapor,
    ]
    refused_before = state_of(sortable.received, sortable.dispositioned)
    response = ak.post(
        BULK,
        {
            "aksi": "disposisi",
            "opd": str(world.other_opd.pk),
            "pilih": [c.pk for c in chosen],
            "konfirmasi": "1",
        },
    )
    assert response.status_code == 302
    messages = flash(response)
    assert f"3 laporan didisposisikan ke {world.other_opd.name}." in messages
    assert "2 laporan tidak diproses; alasannya tercantum di bawah." in messages
    for complaint in (sortable.verified, sortable.returned, sortable.from_lapor):
        complaint.refresh_from_db()
        assert complaint.status == Status.DISPOSITIONED
        live = complaint.dispositions.exclude(status=DispositionStatus.RETURNED).get()
        assert (live.opd, live.is_lead, live.created_by) == (
            world.other_opd,
            True,
            world.admin_kabupaten,
        )
    assert state_of(sortable.received, sortable.dispositioned) == refused_before
    html = ak.get(response["Location"]).content.decode()
    assert "Berstatus “Diterima”" in html
    assert "Berstatus “Didisposisikan”" in html


def test_bulk_disposition_warns_about_an_opd_without_an_active_admin(ak, sortable):
    lonely = OPDFactory(name="Dinas Arsip dan Perpustakaan", short_name="Arpus")
    confirm = ak.post(
        BULK, {"aksi": "disposisi", "opd": str(lonely.pk), "pilih": [sortable.verified.pk]}
    )
    assert "belum memiliki Admin OPD aktif" in confirm.content.decode()
    done = ak.post(
        BULK,
        {
            "aksi": "disposisi",
            "opd": str(lonely.pk),
            "pilih": [sortable.verified.pk],
            "konfirmasi": "1",
        },
    )
    assert any("belum memiliki Admin OPD aktif" in m for m in flash(done))
    sortable.verified.refresh_from_db()
    assert sortable.verified.status == Status.DISPOSITIONED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"aksi": "disposisi", "konfirmasi": "1"}, "Pilih OPD tujuan disposisi."),
        ({"aksi": "", "konfirmasi": "1"}, "Pilih tindakan."),
        ({"aksi": "hapus", "konfirmasi": "1"}, "Pilihan tidak dikenal; pilih dari daftar."),
        ({"aksi": "arsip_spam", "pilih": [], "konfirmasi": "1"}, "Pilih minimal satu laporan."),
        ({"aksi": "arsip_spam", "pilih": ["x"], "konfirmasi": "1"}, "Pilihan laporan tidak valid."),
    ],
)
def test_a_bulk_form_refusal_says_why_and_changes_nothing(ak, sortable, data, message):
    chosen = [sortable.verified, sortable.received]
    before = state_of(*chosen)
    data = {"pilih": [c.pk for c in chosen], **data}
    response = ak.post(BULK, data)
    assert response.status_code == 302
    assert message in flash(response)
    assert state_of(*chosen) == before


def test_bulk_reports_ids_that_do_not_exist(ak, sortable):
    response = ak.post(
        BULK,
        {"aksi": "arsip_spam", "pilih": [sortable.received.pk, 987654], "konfirmasi": "1"},
    )
    assert "1 laporan diarsipkan sebagai spam." in flash(response)
    html = ak.get(response["Location"]).content.decode()
    assert "1 laporan yang dipilih tidak ditemukan." in html


def test_each_report_is_its_own_transaction(ak, world, sortable, monkeypatch):
    """A report refused half-way (after its disposition row was written) is rolled back on
    its own: the reports before and after it are dispositioned, it is left as it was."""
    victim = sortable.returned
    before = state_of(victim)
    real_event_write = ds.event_write

    def failing_event_write(**kwargs):
        if kwargs["complaint"].pk == victim.pk and kwargs["action"] == Action.DISPOSITION:
            raise TransitionError("Gangguan uji di tengah jalan.", code="test")
        return real_event_write(**kwargs)

    monkeypatch.setattr(ds, "event_write", failing_event_write)
    response = ak.post(
        BULK,
        {
            "aksi": "disposisi",
            "opd": str(world.other_opd.pk),
            "pilih": [sortable.verified.pk, victim.pk, sortable.from_lapor.pk],
            "konfirmasi": "1",
        },
    )
    assert f"2 laporan didisposisikan ke {world.other_opd.name}." in flash(response)
    assert state_of(victim) == before
    for complaint in (sortable.verified, sortable.from_lapor):
        complaint.refresh_from_db()
        assert complaint.status == Status.DISPOSITIONED
    assert "Gangguan uji di tengah jalan." in ak.get(response["Location"]).content.decode()


def test_bulk_cannot_reach_a_report_by_a_forged_return_address(ak, sortable):
    response = ak.post(
        BULK,
        {
            "aksi": "arsip_spam",
            "pilih": [sortable.received.pk],
            "konfirmasi": "1",
            "kembali": "https://evil.example/",
        },
    )
    assert response["Location"].startswith(INBOX)


# --- staff entry ----------------------------------------------------------------------------


def entry(world, **overrides):
    data = {
        "channel": Channel.WHATSAPP,
        "classification": str(world.classification.pk),
        "category": str(world.category.pk),
        "title": "Jalan berlubang",
        "text": "Pelapor menelepon: jalan di depan SD 2 Jepang berlubang besar dan membahayakan.",
        "kecamatan": str(world.desa.kecamatan_id),
        "desa": str(world.desa.pk),
        "address": "Depan SD 2 Jepang",
        "incident_date": "2026-11-30",
        "priority": Priority.URGENT,
        "reporter_name": "Bu Sumiyati",
        "reporter_phone": "0812 3456 7890",
        "reporter_email": "",
        "reporter_nik": "",
    }
    data.update(overrides)
    return data


def test_staff_entry_offers_only_the_channels_staff_take_reports_from(ak, world):
    html = ak.get(CREATE).content.decode()
    assert 'value="whatsapp"' in html
    assert 'value="offline"' in html
    for channel in ("web", "lapor", "android", "open311"):
        assert f'name="channel" value="{channel}"' not in html
    assert 'name="consent"' not in html


def test_staff_entry_records_the_channel_and_the_staff_member(ak, world):
    response = ak.post(CREATE, {**entry(world), "attachments": [photo()]})
    assert response.status_code == 302
    assert response["Location"] == CREATED
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WHATSAPP
    assert complaint.status == Status.RECEIVED
    assert complaint.priority == Priority.URGENT
    assert complaint.submitted_by == world.admin_kabupaten
    assert complaint.reporter.phone == "+6281234567890"
    assert complaint.reporter.user is None
    event = complaint.events.get(action=Action.SUBMIT)
    assert (event.actor, event.actor_role) == (world.admin_kabupaten, Role.ADMIN_KABUPATEN)
    assert event.data["channel"] == Channel.WHATSAPP
    assert Attachment.objects.filter(complaint=complaint).count() == 1
    assert f"Laporan {complaint.tracking_number} tercatat (WhatsApp)." in flash(response)


def test_the_access_code_is_shown_once(ak, world):
    ak.post(CREATE, entry(world, channel=Channel.OFFLINE))
    complaint = Complaint.objects.get()
    html = ak.get(CREATED).content.decode()
    assert complaint.tracking_number in html
    code = re.search(r'aria-labelledby="label-code">([0-9A-Z]{10})<', html)[1]
    assert access_code_matches(complaint, code)
    assert "Langsung / telepon" in html
    assert reverse("kelola:report_detail", args=[complaint.tracking_number]) in html
    again = ak.get(CREATED).content.decode()
    assert code not in again
    assert "Kode akses sudah ditampilkan" in again
    assert "no-store" in ak.get(CREATED)["Cache-Control"]


def test_a_refused_entry_keeps_what_was_typed(ak, world):
    response = ak.post(
        CREATE,
        entry(world, text="terlalu pendek", reporter_phone="12", reporter_nik="123"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Complaint.objects.exists()
    assert "Laporan belum tercatat" in html
    assert "Nomor telepon tidak valid." in html
    assert 'value="Jalan berlubang"' in html
    assert 'value="Bu Sumiyati"' in html
    assert "terlalu pendek</textarea>" in html
    assert 'value="urgent" selected' in html


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.LAPOR, Channel.ANDROID, ""])
def test_staff_entry_refuses_other_channels(ak, world, channel):
    response = ak.post(CREATE, entry(world, channel=channel))
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_a_report_entered_by_staff_waits_in_the_verification_queue(ak, world):
    ak.post(CREATE, entry(world))
    complaint = Complaint.objects.get()
    assert row_ids(ak.get(INBOX)) == [complaint.pk]


def test_staff_entry_uses_the_wib_calendar_for_the_verification_deadline(ak, world):
    ak.post(CREATE, entry(world))
    html = ak.get(CREATED).content.decode()
    clock = SlaClock.objects.get(kind=ClockKind.VERIFICATION)
    assert clock.due_at.astimezone(WIB).strftime("%H.%M") in html
    assert "Jumat, 4 Desember 2026" in html


def test_the_selector_reads_through_complaints_for(world, varied):
    """inbox_page scopes through complaints_for: an OPD role would see its own reports only."""
    page = inbox_page(world.ao, InboxFilters(queue="semua"), None, VIEW_NOW)
    assert {row.complaint.pk for row in page.rows} == {varied.to_opd.pk, varied.returned.pk}
