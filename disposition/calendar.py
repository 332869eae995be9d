"""Working-day arithmetic for the SLA clocks, and the holiday table it reads (DOMAIN.md §4).

A working day is a Monday-Friday date in Asia/Jakarta (WIB) that is not an active ``Holiday``
(national holiday or *cuti bersama*). The model of working time is deliberately simple and
shift-free: every working *date* contributes its whole 24 hours of working time, every other
date none. So "N working days" is N × 86 400 working seconds:

* Friday 15:00 WIB + 1 working day = Monday 15:00 WIB (9 h of Friday, 15 h of Monday);
* Saturday 10:00 + 1 working day = Tuesday 00:00 (counting starts Monday 00:00);
* Friday 00:00 + 1 working day = Saturday 00:00, i.e. the end of Friday.

Where a result could be any instant of a stretch with no working time in it (the weekend after
a Friday deadline), the instant nearest the start is returned: the end of Friday going forward,
the start of Monday going backward. Pausing falls out of this: measure the working seconds left
at the pause (``elapsed``), add them back from the resume time (``add_seconds``).

Everything takes and returns aware datetimes (returned in UTC); dates are computed in WIB.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_package
from django.core.cache import cache
from django.db import transaction

from disposition.models import ClockUnit, Holiday

logger = logging.getLogger(__name__)

WIB = ZoneInfo("Asia/Jakarta")
DAY_SECONDS = 86_400
_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)

# Seconds in one unit of each clock unit, in that unit's own time (working seconds for
# working days, wall seconds otherwise).
UNIT_SECONDS = {
    ClockUnit.WORKING_DAYS: DAY_SECONDS,
    ClockUnit.CALENDAR_DAYS: DAY_SECONDS,
    ClockUnit.HOURS: 3_600,
}

# Bump the version when the cached value's shape changes, so a deploy never reads an old one.
CALENDAR_CACHE_KEY = "disposition:working-calendar:v1"
# Bounds how long a process can keep an outdated calendar if an invalidation raced a reader
# (see invalidate_working_calendar).
CALENDAR_CACHE_SECONDS = 300


def require_aware(value: datetime, name: str) -> None:
    """Fail loudly on a naive datetime: every time here is an instant (ruff DTZ, STYLE.md)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")


def _unit(unit: str) -> ClockUnit:
    try:
        return ClockUnit(unit)
    except ValueError:
        raise ValueError(f"unknown clock unit: {unit!r}") from None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=WIB)


def _since_midnight(local: datetime) -> timedelta:
    return timedelta(
        hours=local.hour,
        minutes=local.minute,
        seconds=local.second,
        microseconds=local.microsecond,
    )


def _floor_seconds(delta: timedelta) -> int:
    # Floor, not truncation: a clock overdue by half a second is overdue (-1), and one with
    # half a second left has 0 left, never more than it really has.
    return delta // _SECOND


class WorkingCalendar:
    """Working days of WIB: Monday-Friday minus the given holiday dates.

    Immutable and cheap to share: list pages build one (``working_calendar()``) and pass it to
    ``clock_state`` for every row. ``elapsed`` costs O(log holidays); ``add`` loops over dates
    (about 1.4 iterations per working day), never over seconds.
    """

    def __init__(self, holidays: Iterable[date] = ()):
        self.holidays = frozenset(holidays)
        # Only holidays on weekdays remove working time; kept sorted for counting by bisection.
        self._weekday_holidays = tuple(sorted(d for d in self.holidays if d.weekday() < 5))

    def __repr__(self) -> str:
        return f"<WorkingCalendar {len(self.holidays)} holidays>"

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def working_days_between(self, first: date, end: date) -> int:
        """Working dates in [first, end): end excluded; 0 if end <= first."""
        days = (end - first).days
        if days <= 0:
            return 0
        weeks, rest = divmod(days, 7)
        weekdays = weeks * 5
        start_weekday = first.weekday()
        weekdays += sum(1 for i in range(rest) if (start_weekday + i) % 7 < 5)
        lo = bisect_left(self._weekday_holidays, first)
        hi = bisect_left(self._weekday_holidays, end)
        return weekdays - (hi - lo)

    # --- public arithmetic ---------------------------------------------------------------

    def add(self, start: datetime, amount: int, unit: str) -> datetime:
        """``start`` plus ``amount`` units (working days, calendar days or hours)."""
        unit = _unit(unit)
        return self.add_seconds(start, amount * UNIT_SECONDS[unit], unit)

    def add_seconds(self, start: datetime, seconds: int, unit: str) -> datetime:
        """``start`` plus ``seconds`` of the unit's own time; negative goes back.

        For working days these are working seconds. Calendar days and hours are wall-clock
        time (WIB has no daylight saving, so a calendar day is always 86 400 s).
        """
        require_aware(start, "start")
        unit = _unit(unit)
        if unit != ClockUnit.WORKING_DAYS:
            return (start + timedelta(seconds=seconds)).astimezone(UTC)
        if seconds >= 0:
            return self._add_working(start, timedelta(seconds=seconds)).astimezone(UTC)
        return self._subtract_working(start, timedelta(seconds=-seconds)).astimezone(UTC)

    def elapsed(self, start: datetime, end: datetime, unit: str) -> int:
        """Seconds of the unit's own time from ``start`` to ``end``, floored.

        Negative when ``end`` is before ``start`` (then it is minus the time from ``end`` to
        ``start``): a clock's remaining time is ``elapsed(now, due_at, unit)``, negative once
        overdue. For working days only time on working dates counts.
        """
        require_aware(start, "start")
        require_aware(end, "end")
        unit = _unit(unit)
        if unit != ClockUnit.WORKING_DAYS:
            return _floor_seconds(end - start)
        if end < start:
            return _floor_seconds(-self._working_time(end, start))
        return _floor_seconds(self._working_time(start, end))

    # --- working time ----------------------------------------------------------------------

    def _working_time(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end], start <= end."""
        local_start, local_end = start.astimezone(WIB), end.astimezone(WIB)
        first, last = local_start.date(), local_end.date()
        if first == last:
            if not self.is_working_day(first):
                return timedelta(0)
            return _since_midnight(local_end) - _since_midnight(local_start)
        total = _DAY * self.working_days_between(first + _DAY, last)
        if self.is_working_day(first):
            total += _DAY - _since_midnight(local_start)
        if self.is_working_day(last):
            total += _since_midnight(local_end)
        return total

    def _add_working(self, start: datetime, left: timedelta) -> datetime:
        if not left:
            return start
        local = start.astimezone(WIB)
        day = local.date()
        if self.is_working_day(day):
            rest_of_day = _DAY - _since_midnight(local)
            if left <= rest_of_day:
                return local + left
            left -= rest_of_day
        day += _DAY
        while True:
            if self.is_working_day(day):
                if left <= _DAY:
                    # Exactly a day left ends at the next midnight: the end of this day, the
                    # earliest instant with that much working time behind it.
                    return _midnight(day) + left
                left -= _DAY
            day += _DAY

    def _subtract_working(self, start: datetime, left: timedelta) -> datetime:
        local = start.astimezone(WIB)
        day = local.date()
        if self.is_working_day(day):
            into_day = _since_midnight(local)
            if left <= into_day:
                return local - left
            left -= into_day
        day -= _DAY
        while True:
            if self.is_working_day(day):
                if left <= _DAY:
                    return _midnight(day) + (_DAY - left)
                left -= _DAY
            day -= _DAY


# --- the calendar of the Holiday table -------------------------------------------------------


def working_calendar() -> WorkingCalendar:
    """The calendar of all active Holiday rows, cached for a few minutes.

    Every clock operation and list page reads it, so it is cached (one cache read instead of a
    query); the holiday services call ``invalidate_working_calendar`` after a change. A cache
    outage falls back to the database rather than failing the caller's transition.
    """
    dates = None
    try:
        dates = cache.get(CALENDAR_CACHE_KEY)
    except Exception:
        logger.exception("working calendar: cache read failed, reading the Holiday table")
    if dates is None:
        dates = tuple(
            Holiday.objects.filter(is_active=True).order_by("date").values_list("date", flat=True)
        )
        try:
            cache.set(CALENDAR_CACHE_KEY, dates, CALENDAR_CACHE_SECONDS)
        except Exception:
            logger.exception("working calendar: cache write failed")
    return WorkingCalendar(dates)


def invalidate_working_calendar() -> None:
    """Forget the cached calendar; call after any change to the Holiday table.

    Deletes now (so the changing transaction itself sees the change) and again after commit:
    a reader that cached the old table between the first delete and the commit would otherwise
    keep it until the cache entry expires.
    """
    _delete_cached_calendar()
    transaction.on_commit(_delete_cached_calendar)


def _delete_cached_calendar() -> None:
    try:
        cache.delete(CALENDAR_CACHE_KEY)
    except Exception:
        logger.exception("working calendar: cache delete failed")


# --- seeding from the holidays package ------------------------------------------------------

HOLIDAY_COUNTRY = "ID"
HOLIDAY_CATEGORIES = ("public", "government")
# Names as published in Indonesia ("Cuti Bersama Hari Raya Idul Fitri").
HOLIDAY_LANGUAGE = "id"
_NAME_LENGTH = Holiday._meta.get_field("name").max_length


def holidays_seed(*, years: list[int]) -> int:
    """Load the national holidays and *cuti bersama* of ``years`` into the Holiday table.

    Source: the ``holidays`` package, country ID, categories ``public`` (national holidays) and
    ``government`` (cuti bersama: the package files every *cuti bersama* there, named
    "Cuti Bersama …" in Indonesian / "… Joint Holiday" in English; a date is flagged
    ``is_cuti_bersama`` by that category, not by parsing its name).

    Idempotent, so the monthly task may run it any number of times:

    * a date with no row is inserted (source ``seed``, active);
    * a ``seed`` row gets the package's current name and cuti-bersama flag, but its
      ``is_active`` is never touched: a seeded date an admin deactivated stays deactivated;
    * a ``manual`` row (an admin edited it) is left exactly as it is;
    * rows whose date the package no longer lists are left alone (an admin decides).

    Returns the number of rows created. Invalidates the cached calendar when anything changed.
    """
    if not years:
        return 0
    public = holidays_package.country_holidays(
        HOLIDAY_COUNTRY, years=years, categories=HOLIDAY_CATEGORIES, language=HOLIDAY_LANGUAGE
    )
    government = holidays_package.country_holidays(
        HOLIDAY_COUNTRY, years=years, categories=("government",), language=HOLIDAY_LANGUAGE
    )
    only_public = holidays_package.country_holidays(
        HOLIDAY_COUNTRY, years=years, categories=("public",), language=HOLIDAY_LANGUAGE
    )
    wanted = {
        day: (
            # A date that is also a national holiday is a holiday first.
            name[:_NAME_LENGTH],
            day in government and day not in only_public,
        )
        for day, name in public.items()
    }

    created = 0
    updated = []
    with transaction.atomic():
        existing = {h.date: h for h in Holiday.objects.filter(date__in=wanted)}
        for day, (name, is_cuti_bersama) in sorted(wanted.items()):
            row = existing.get(day)
            if row is None:
                # get_or_create, not bulk_create: two seeds running at once must not fail on
                # the unique date, and the count of created rows must stay exact.
                _, was_created = Holiday.objects.get_or_create(
                    date=day,
                    defaults={
                        "name": name,
                        "is_cuti_bersama": is_cuti_bersama,
                        "source": Holiday.Source.SEED,
                    },
                )
                created += was_created
            elif row.source == Holiday.Source.SEED and (
                row.name != name or row.is_cuti_bersama != is_cuti_bersama
            ):
                row.name, row.is_cuti_bersama = name, is_cuti_bersama
                updated.append(row)
        if updated:
            Holiday.objects.bulk_update(updated, ["name", "is_cuti_bersama"])
        if created or updated:
            invalidate_working_calendar()
    return created
