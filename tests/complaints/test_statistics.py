"""The statistics page, against figures computed by hand from reports built through the
services; what a rahasia report may and may not contribute; the chart; the query count."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import services as cs
from complaints.charts import MonthValue, monthly_bar_line_chart, nice_ceiling
from complaints.models import Status
from complaints.selectors.public import (
    ALL_STATUS_ORDER,
    headline_figures,
    public_statistics,
    statistics_years,
)
from disposition import services as ds
from disposition.models import ClockKind, ResponseKind
from tests.builders import lead_disposition, submit, verify
from tests.conftest import NOW
from tests.factories import CategoryFactory, DesaFactory, KecamatanFactory

WIB = ZoneInfo("Asia/Jakarta")
STATS = reverse("complaints:statistics")
SECRET_TEXT = "Teks publik laporan yang dirahasiakan"
SECRET_CATEGORY = "Kategori Khusus Rahasia"


def at(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def received(world, when, **fields):
    world.now = when
    complaint, _code = submit(world, **fields)
    return complaint


def verified(world, complaint, when, category, public_text="Isi publik laporan statistik."):
    world.now = when
    verify(world, complaint, category=category, public_text=public_text)


def dispositioned(world, complaint, when, opd):
    ds.disposition_create(complaint=complaint, actor=world.ak, opds=[opd], lead=opd, now=when)


def answered(complaint, actor, *, initial, final=None):
    disposition = lead_disposition(complaint)
    ds.disposition_accept(disposition=disposition, actor=actor, now=initial)
    ds.response_add(
        disposition=disposition,
        actor=actor,
        kind=ResponseKind.INITIAL,
        text="Tanggapan awal statistik.",
        now=initial,
    )
    if final is not None:
        ds.response_add(
            disposition=disposition,
            actor=actor,
            kind=ResponseKind.FINAL,
            text="Tindak lanjut akhir statistik.",
            now=final,
        )


@pytest.fixture
def dataset(world):
    """Eight reports; the expected figures are worked out in each test by hand.

    r1  received 10 Mar 2026, public, Top 1 › child, Mejobo, Dinkes, finished 2 Apr 2026
    r2  received 20 Mar 2026, public, Top 1 › child, Kota Kudus, DPUPR, dispositioned
    r3  received  5 May 2026, public, Top 2, Mejobo, verified only
    r4  received  6 May 2026, RAHASIA, secret category, Mejobo, Dinkes, dispositioned
        14 days later (verification deadline missed)
    r5  received  1 Jun 2026, not verified
    r6  received  2 Jun 2026, archived
    r7  received 31 Dec 2025 23.30 WIB (16.30 UTC), not verified
    r8  received  1 Jan 2026 00.30 WIB (31 Dec 2025 17.30 UTC), not verified
    """
    top1 = CategoryFactory(slug="top-satu", name="Top Satu")
    child = CategoryFactory(slug="anak-satu", name="Anak Satu", parent=top1)
    top2 = CategoryFactory(slug="top-dua", name="Top Dua")
    secret_category = CategoryFactory(slug="khusus-rahasia", name=SECRET_CATEGORY)
    kota = KecamatanFactory(code="331902", name="Kota Kudus")
    purwosari = DesaFactory(code="3319021001", name="Purwosari", kecamatan=kota)

    r1 = received(world, at(2026, 3, 10))
    verified(world, r1, at(2026, 3, 11), child)
    dispositioned(world, r1, at(2026, 3, 11), world.opd)
    answered(r1, world.ao, initial=at(2026, 3, 12), final=at(2026, 4, 2))

    r2 = received(world, at(2026, 3, 20), kecamatan=kota, desa=purwosari)
    verified(world, r2, at(2026, 3, 23), child)
    dispositioned(world, r2, at(2026, 3, 23), world.other_opd)

    r3 = received(world, at(2026, 5, 5))
    verified(world, r3, at(2026, 5, 5), top2)

    r4 = received(world, at(2026, 5, 6), is_secret=True)
    verified(world, r4, at(2026, 5, 6), secret_category, public_text=SECRET_TEXT)
    dispositioned(world, r4, at(2026, 5, 20), world.opd)

    received(world, at(2026, 6, 1))
    r6 = received(world, at(2026, 6, 2))
    cs.complaint_archive(complaint=r6, actor=world.ak, reason="spam", now=at(2026, 6, 2))

    r7 = received(world, at(2025, 12, 31, 23, 30))
    r8 = received(world, at(2026, 1, 1, 0, 30))
    world.now = NOW
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "r7": r7, "r8": r8}


def rows(tallies):
    return [(t.label, t.count) for t in tallies]


def test_totals_count_every_report_received_in_the_year_in_wib(dataset):
    stats = public_statistics(year=2026, now=NOW)
    assert stats.received == 7  # r1–r6 and r8 (2026 in WIB, though still 2025 in UTC)
    assert stats.finished == 1
    assert stats.public == 3
    assert rows(stats.by_status) == [
        ("Diterima", 2),
        ("Terverifikasi", 1),
        ("Didisposisikan", 2),
        ("Selesai", 1),
        ("Diarsipkan", 1),
    ]
    last_year = public_statistics(year=2025, now=NOW)
    assert (last_year.received, last_year.public) == (1, 0)


def test_breakdowns_count_public_reports_only_rolled_up_to_top_level_categories(world, dataset):
    stats = public_statistics(year=2026, now=NOW)
    assert rows(stats.by_category) == [("Top Satu", 2), ("Top Dua", 1)]
    assert rows(stats.by_kecamatan) == [("Kota Kudus", 1), ("Mejobo", 2)]
    # The rahasia r4 is also with Dinkes; only r1 counts.
    assert rows(stats.by_opd) == [(world.opd.name, 1), (world.other_opd.name, 1)]


def test_on_time_rates_per_clock_kind(dataset):
    stats = public_statistics(year=2026, now=NOW)
    by_kind = {o.kind: (o.met, o.total, o.rate) for o in stats.on_time}
    assert by_kind == {
        ClockKind.VERIFICATION: (2, 3, 66.7),  # r1, r2 on time; r4 ten working days
        ClockKind.INITIAL_RESPONSE: (1, 1, 100.0),
        ClockKind.RESOLUTION: (1, 1, 100.0),
    }
    assert (stats.on_time_overall.met, stats.on_time_overall.total) == (4, 5)
    assert stats.on_time_overall.rate == 80.0


def test_a_year_without_stopped_clocks_has_no_rate_instead_of_zero(dataset):
    stats = public_statistics(year=2025, now=NOW)
    assert stats.on_time_overall.rate is None


def test_the_monthly_trend_counts_received_and_finished_per_wib_month(dataset):
    stats = public_statistics(year=2026, now=NOW)
    trend = {p.month: (p.received, p.finished) for p in stats.trend}
    assert list(trend)[0] == date(2026, 1, 1)
    assert list(trend)[-1] == date(2026, 12, 1)
    assert trend[date(2026, 1, 1)] == (1, 0)  # r8, 31 Dec in UTC
    assert trend[date(2026, 3, 1)] == (2, 0)
    assert trend[date(2026, 4, 1)] == (0, 1)
    assert trend[date(2026, 5, 1)] == (2, 0)
    assert trend[date(2026, 6, 1)] == (2, 0)
    assert sum(r for r, _f in trend.values()) == 7


def test_the_current_years_trend_is_the_last_twelve_months(dataset):
    stats = public_statistics(year=2026, now=at(2026, 3, 15))
    months = [p.month for p in stats.trend]
    assert months[0] == date(2025, 4, 1)
    assert months[-1] == date(2026, 3, 1)
    assert {p.month: p.received for p in stats.trend}[date(2025, 12, 1)] == 1  # r7


def test_the_years_offered_reach_back_to_the_first_report(dataset):
    assert statistics_years(now=NOW) == [2026, 2025]


def test_headline_figures_for_the_home_page(dataset):
    figures = headline_figures(now=NOW)
    assert (figures.year, figures.received, figures.finished) == (2026, 7, 1)
    assert figures.on_time.rate == 80.0


@time_machine.travel(NOW, tick=False)
def test_the_statistics_page_shows_the_figures_a_chart_and_its_data_table(client, dataset):
    response = client.get(STATS)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["stats"].year == 2026
    assert 'role="img"' in page
    assert '<title id="trend-wide-title">' in page
    assert '<desc id="trend-narrow-desc">' in page
    assert "Tampilkan tabel data" in page
    assert '<th scope="row">Maret 2026</th><td class="num">2</td>' in page
    assert "Top Satu" in page
    assert "66,7%" in page


@time_machine.travel(NOW, tick=False)
def test_the_statistics_page_filters_by_year(client, dataset):
    response = client.get(STATS, {"tahun": "2025"})
    assert response.context["stats"].year == 2025
    assert response.context["stats"].received == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("value", ["1999", "abc"])
def test_an_unknown_year_is_explained_and_the_latest_year_shown(client, dataset, value):
    response = client.get(STATS, {"tahun": value})
    assert response.status_code == 200
    assert response.context["stats"].year == 2026
    assert "Belum ada data untuk tahun itu" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_statistics_page_never_contains_the_rahasia_report(client, dataset):
    page = client.get(STATS).content.decode()
    assert SECRET_CATEGORY not in page
    assert SECRET_TEXT not in page
    assert dataset["r4"].tracking_number not in page


@time_machine.travel(NOW, tick=False)
def test_the_statistics_page_makes_the_same_few_queries_for_3_and_30_reports(
    client, world, django_assert_max_num_queries
):
    def build(n):
        for _ in range(n):
            complaint, _code = submit(world)
            verify(world, complaint)
            dispositioned(world, complaint, NOW, world.opd)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(STATS).status_code == 200
        return len(ctx.captured_queries)

    build(3)
    with django_assert_max_num_queries(10):
        client.get(STATS)
    with_three = count()
    build(27)
    with django_assert_max_num_queries(10):
        client.get(STATS)
    assert count() == with_three


# --- the chart ------------------------------------------------------------------------------


def chart(points, **overrides):
    labels = {
        "chart_id": "c",
        "title": "Judul",
        "description": "Uraian",
        "bar_label": "Diterima",
        "line_label": "Selesai",
    }
    return str(monthly_bar_line_chart(points, **{**labels, **overrides}))


def test_the_chart_is_an_accessible_svg_with_escaped_text():
    svg = chart(
        [MonthValue(date(2026, m, 1), m, m // 2) for m in range(1, 13)],
        title="<script>alert(1)</script>",
    )
    assert svg.startswith("<svg")
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert "&lt;script&gt;" in svg
    assert "<script>" not in svg
    assert svg.count("<rect") == 12
    assert svg.count("<circle") == 12


def test_the_chart_draws_an_empty_year_without_failing():
    svg = chart([MonthValue(date(2026, m, 1), 0, 0) for m in range(1, 13)])
    assert 'height="0"' in svg


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 4), (3, 4), (7, 8), (17, 20), (95, 100), (300, 400), (1234, 2000)]
)
def test_the_axis_ends_at_a_round_number(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_the_status_table_lists_every_status_of_the_life_cycle():
    assert set(ALL_STATUS_ORDER) == set(Status)
