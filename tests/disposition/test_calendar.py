"""Working-day arithmetic, the cached calendar and holiday seeding (DOMAIN.md §4)."""

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest

from disposition.calendar import (
    WorkingCalendar,
    holidays_seed,
    invalidate_working_calendar,
    working_calendar,
)
from disposition.models import ClockUnit, Holiday
from disposition.tasks import seed_holidays

WD = ClockUnit.WORKING_DAYS
DAY = 86_400

# What the holidays package (0.109) gives for Idul Fitri 2026: the feast itself in the public
# category, on a weekend, and three cuti bersama days in the government category.
IDUL_FITRI_2026 = {date(2026, 3, 21), date(2026, 3, 22)}
IDUL_FITRI_2026_CUTI_BERSAMA = {date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)}


# --- plain arithmetic, no database ----------------------------------------------------------


def test_friday_afternoon_plus_one_working_day_is_monday_afternoon(wib):
    cal = WorkingCalendar()
    assert cal.add(wib(2026, 6, 5, 15), 1, WD) == wib(2026, 6, 8, 15)


def test_start_on_saturday_counts_from_monday_midnight(wib):
    cal = WorkingCalendar()
    assert cal.add(wib(2026, 6, 6, 10), 1, WD) == wib(2026, 6, 9)


def test_whole_friday_ends_at_saturday_midnight_not_monday(wib):
    cal = WorkingCalendar()
    assert cal.add(wib(2026, 6, 5), 1, WD) == wib(2026, 6, 6)


def test_five_working_days_span_a_weekend(wib):
    cal = WorkingCalendar()
    assert cal.add(wib(2026, 6, 3, 9, 30), 5, WD) == wib(2026, 6, 10, 9, 30)


def test_results_are_utc(wib):
    due = WorkingCalendar().add(wib(2026, 6, 5, 15), 1, WD)
    assert due.tzinfo is UTC
    assert due == datetime(2026, 6, 8, 8, tzinfo=UTC)


def test_working_day_is_judged_by_the_wib_date_not_the_utc_date(wib):
    # 18:00 UTC Friday is 01:00 WIB Saturday: no working time left that week.
    cal = WorkingCalendar()
    start = datetime(2026, 6, 5, 18, tzinfo=UTC)
    assert cal.add(start, 1, WD) == wib(2026, 6, 9)


def test_holiday_is_skipped(wib):
    cal = WorkingCalendar({date(2026, 6, 8)})
    assert cal.add(wib(2026, 6, 5, 15), 1, WD) == wib(2026, 6, 9, 15)
    assert not cal.is_working_day(date(2026, 6, 8))
    assert not cal.is_working_day(date(2026, 6, 6))
    assert cal.is_working_day(date(2026, 6, 9))


def test_calendar_days_and_hours_are_wall_clock_time(wib):
    cal = WorkingCalendar({date(2026, 6, 8)})
    assert cal.add(wib(2026, 6, 5, 15), 60, ClockUnit.CALENDAR_DAYS) == wib(2026, 8, 4, 15)
    assert cal.add(wib(2026, 6, 5, 15), 24, ClockUnit.HOURS) == wib(2026, 6, 6, 15)
    assert cal.elapsed(wib(2026, 6, 5), wib(2026, 6, 8), ClockUnit.CALENDAR_DAYS) == 3 * DAY


def test_elapsed_counts_only_working_time(wib):
    cal = WorkingCalendar({date(2026, 6, 8)})
    # Friday 15:00 → Tuesday 15:00: 9 h of Friday, Monday is a holiday, 15 h of Tuesday.
    assert cal.elapsed(wib(2026, 6, 5, 15), wib(2026, 6, 9, 15), WD) == DAY
    assert cal.elapsed(wib(2026, 6, 6, 1), wib(2026, 6, 7, 23), WD) == 0
    assert cal.elapsed(wib(2026, 6, 9, 15), wib(2026, 6, 5, 15), WD) == -DAY


def test_elapsed_floors_to_whole_seconds(wib):
    cal = WorkingCalendar()
    start = wib(2026, 6, 3, 9)
    assert cal.elapsed(start, start + timedelta(microseconds=500_000), WD) == 0
    assert cal.elapsed(start + timedelta(microseconds=500_000), start, WD) == -1


def test_add_seconds_backwards_is_the_inverse_of_forwards(wib):
    cal = WorkingCalendar({date(2026, 6, 8)})
    monday = wib(2026, 6, 9, 9)
    back = cal.add_seconds(monday, -DAY, WD)
    assert back == wib(2026, 6, 5, 9)
    assert cal.elapsed(back, monday, WD) == DAY
    # Going back a whole day from Tuesday 00:00 lands on the start of the stretch, not Friday.
    assert cal.add_seconds(wib(2026, 6, 10), -DAY, WD) == wib(2026, 6, 9)


@pytest.mark.parametrize("seconds", [0, 1, 3_600, DAY - 1, DAY, DAY + 1, 7 * DAY + 123])
@pytest.mark.parametrize("start_hour", [0, 9, 23])
@pytest.mark.parametrize("start_day", range(1, 8))
def test_elapsed_after_add_seconds_gives_back_the_seconds(wib, seconds, start_hour, start_day):
    cal = WorkingCalendar({date(2026, 6, 1), date(2026, 6, 10)})
    start = wib(2026, 6, start_day, start_hour)
    assert cal.elapsed(start, cal.add_seconds(start, seconds, WD), WD) == seconds
    assert cal.elapsed(cal.add_seconds(start, -seconds, WD), start, WD) == seconds


def test_sixty_working_days_is_computed_by_dates(wib):
    cal = WorkingCalendar()
    due = cal.add(wib(2026, 6, 1, 8), 60, WD)
    assert due == wib(2026, 8, 24, 8)
    assert cal.elapsed(wib(2026, 6, 1, 8), due, WD) == 60 * DAY


def test_naive_datetimes_are_refused():
    cal = WorkingCalendar()
    with pytest.raises(ValueError, match="aware"):
        cal.add(datetime(2026, 6, 1, 8), 1, WD)  # noqa: DTZ001


# --- the holiday table and the package ------------------------------------------------------


def test_package_gives_idul_fitri_2026_with_its_cuti_bersama():
    def holidays_of(category):
        return holidays.country_holidays("ID", years=2026, categories=(category,), language="id")

    public, government = holidays_of("public"), holidays_of("government")
    assert {d for d in public if "Idul Fitri" in public[d]} == IDUL_FITRI_2026
    assert {d for d in government if "Idul Fitri" in government[d]} == (
        IDUL_FITRI_2026_CUTI_BERSAMA
    )
    assert all(name.startswith("Cuti Bersama") for name in government.values())


def test_seed_flags_cuti_bersama_from_the_government_category(holidays_2026_2027):
    rows = {h.date: h for h in Holiday.objects.filter(date__year=2026)}
    for day in IDUL_FITRI_2026_CUTI_BERSAMA:
        assert rows[day].is_cuti_bersama
        assert rows[day].name == "Cuti Bersama Hari Raya Idul Fitri"
    for day in IDUL_FITRI_2026:
        assert not rows[day].is_cuti_bersama
    assert all(h.source == Holiday.Source.SEED and h.is_active for h in rows.values())


def test_idul_fitri_2026_week_has_no_working_day_after_tuesday(wib, holidays_2026_2027):
    cal = working_calendar()
    # Wed 18 cuti Nyepi, Thu 19 Nyepi, Fri 20 cuti, weekend feast, Mon 23 and Tue 24 cuti.
    assert [d for d in _dates(date(2026, 3, 16), date(2026, 3, 26)) if cal.is_working_day(d)] == [
        date(2026, 3, 16),
        date(2026, 3, 17),
        date(2026, 3, 25),
    ]
    # An OPD's 5-working-day initial response, dispositioned Tuesday 17 March 10:00.
    assert cal.add(wib(2026, 3, 17, 10), 5, WD) == wib(2026, 3, 31, 10)
    # Admin Kabupaten's 3 working days from Monday 16 March 08:00.
    assert cal.add(wib(2026, 3, 16, 8), 3, WD) == wib(2026, 3, 26, 8)


def test_year_boundary_uses_next_years_seeded_holidays(wib, holidays_2026_2027):
    cal = working_calendar()
    # From Tue 29 Dec 2026 09:00: 29, 30, 31 Dec; 1 Jan (New Year) and 5 Jan (Isra Mikraj
    # 2027) are holidays; 4 and 6 Jan count; the fifth day ends Thu 7 Jan 09:00.
    assert cal.add(wib(2026, 12, 29, 9), 5, WD) == wib(2027, 1, 7, 9)
    assert WorkingCalendar({date(2027, 1, 1)}).add(wib(2026, 12, 29, 9), 5, WD) == wib(
        2027, 1, 6, 9
    )


def test_seed_is_idempotent(holidays_2026_2027):
    count = Holiday.objects.count()
    assert count > 40
    assert holidays_seed(years=[2026, 2027]) == 0
    assert Holiday.objects.count() == count


def test_seed_returns_the_number_created(db):
    assert holidays_seed(years=[2026]) == len(
        holidays.country_holidays("ID", years=2026, categories=("public", "government"))
    )
    assert holidays_seed(years=[]) == 0


def test_seed_renames_its_own_rows_but_leaves_admin_edits_alone(holidays_2026_2027):
    Holiday.objects.filter(date=date(2026, 8, 17)).update(name="old package name")
    Holiday.objects.filter(date=date(2026, 3, 20)).update(
        name="Libur Idul Fitri (SKB revisi)", source=Holiday.Source.MANUAL, is_cuti_bersama=False
    )
    Holiday.objects.filter(date=date(2026, 3, 24)).update(
        is_active=False, source=Holiday.Source.MANUAL
    )
    # An admin who only switched a seeded date off, leaving its source alone.
    Holiday.objects.filter(date=date(2026, 12, 24)).update(is_active=False)
    # A regency-only day off an admin added.
    Holiday.objects.create(
        date=date(2026, 9, 1), name="Hari Jadi Kudus", source=Holiday.Source.MANUAL
    )

    assert holidays_seed(years=[2026, 2027]) == 0

    independence = Holiday.objects.get(date=date(2026, 8, 17))
    assert independence.name == "Hari Kemerdekaan Republik Indonesia"
    edited = Holiday.objects.get(date=date(2026, 3, 20))
    assert edited.name == "Libur Idul Fitri (SKB revisi)"
    assert not edited.is_cuti_bersama
    assert not Holiday.objects.get(date=date(2026, 3, 24)).is_active
    assert not Holiday.objects.get(date=date(2026, 12, 24)).is_active
    assert Holiday.objects.get(date=date(2026, 9, 1)).name == "Hari Jadi Kudus"


def test_seed_task_seeds_this_and_next_year_in_wib(db):
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Kudus.
    created = seed_holidays.run(now="2026-12-31T18:00:00+00:00")
    years = set(Holiday.objects.values_list("date__year", flat=True))
    assert years == {2027, 2028}
    assert created == Holiday.objects.count()
    assert seed_holidays.run(now="2026-12-31T18:00:00+00:00") == 0


def test_seed_task_refuses_a_naive_time(db):
    with pytest.raises(ValueError, match="aware"):
        seed_holidays.run(now="2026-12-31T18:00:00")


# --- the cached calendar --------------------------------------------------------------------


def test_working_calendar_is_cached_until_invalidated(
    db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    Holiday.objects.create(date=date(2026, 6, 8), name="Libur A")
    with django_assert_num_queries(1):
        assert not working_calendar().is_working_day(date(2026, 6, 8))
    with django_assert_num_queries(0):
        working_calendar()

    Holiday.objects.create(date=date(2026, 6, 9), name="Libur B")
    assert working_calendar().is_working_day(date(2026, 6, 9))  # still the cached one

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invalidate_working_calendar()
    assert len(callbacks) == 1
    assert not working_calendar().is_working_day(date(2026, 6, 9))


def test_working_calendar_ignores_deactivated_holidays(db):
    Holiday.objects.create(date=date(2026, 6, 8), name="Libur", is_active=False)
    assert working_calendar().is_working_day(date(2026, 6, 8))


def _dates(first, end):
    day = first
    while day < end:
        yield day
        day += timedelta(days=1)
