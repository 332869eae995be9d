"""SLA clock services: policies, start/pause/resume/stop/cancel, and what a clock shows."""

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError

from complaints.models import Category, Channel, Classification, Priority
from disposition.calendar import WorkingCalendar, invalidate_working_calendar, working_calendar
from disposition.clocks import (
    ClockStatus,
    clock_start,
    clock_state,
    clock_stop,
    clocks_cancel,
    clocks_pause,
    clocks_resume,
    due_after_resume,
    policy_for,
    remaining_at,
)
from disposition.models import OPD, ClockKind, ClockUnit, Holiday, SlaClock, SlaPolicy

WD = ClockUnit.WORKING_DAYS
DAY = 86_400
VERIFICATION = ClockKind.VERIFICATION
INITIAL = ClockKind.INITIAL_RESPONSE
RESOLUTION = ClockKind.RESOLUTION
REPORTER_INFO = ClockKind.REPORTER_INFO


def _clock(change: dict) -> SlaClock:
    return SlaClock.objects.get(pk=change["clock"])


@pytest.fixture
def disposition(sla_complaint, make_sla_disposition):
    return make_sla_disposition(sla_complaint)


@pytest.fixture
def classification(db):
    return Classification.objects.create(code="pengaduan-uji", name="Pengaduan (uji)")


@pytest.fixture
def public_works(db):
    return Category.objects.create(slug="pu-uji", name="Pekerjaan Umum (uji)")


@pytest.fixture
def roads(public_works):
    return Category.objects.create(slug="jalan-uji", name="Jalan (uji)", parent=public_works)


def _policy(kind=INITIAL, amount=5, unit=WD, **scope):
    return SlaPolicy.objects.create(clock=kind, amount=amount, unit=unit, **scope)


# --- policies -------------------------------------------------------------------------------


def test_settings_defaults_apply_when_the_policy_table_is_empty(make_sla_complaint):
    assert not SlaPolicy.objects.exists()
    normal = make_sla_complaint()
    urgent = make_sla_complaint(priority=Priority.URGENT)

    policy = policy_for(complaint=normal, kind=INITIAL)
    assert (policy.pk, policy.amount, policy.unit) == (None, 5, WD)
    assert policy_for(complaint=urgent, kind=INITIAL).amount == 1
    assert policy_for(complaint=urgent, kind=VERIFICATION).amount == 3
    resolution = policy_for(complaint=normal, kind=RESOLUTION)
    assert (resolution.amount, resolution.unit) == (60, ClockUnit.CALENDAR_DAYS)


def test_no_policy_anywhere_gives_none(sla_complaint, settings):
    settings.SLA_DEFAULT_POLICIES = []
    assert policy_for(complaint=sla_complaint, kind=INITIAL) is None


def test_urgent_report_gets_one_working_day_for_its_initial_response(make_sla_complaint):
    _policy(amount=5)
    urgent_rule = _policy(amount=1, priority=Priority.URGENT)
    assert policy_for(complaint=make_sla_complaint(priority=Priority.URGENT), kind=INITIAL) == (
        urgent_rule
    )


def test_category_specific_policy_beats_the_default(make_sla_complaint, public_works):
    _policy(amount=5)
    specific = _policy(amount=7, category=public_works)
    assert policy_for(complaint=make_sla_complaint(category=public_works), kind=INITIAL) == (
        specific
    )
    assert policy_for(complaint=make_sla_complaint(), kind=INITIAL).amount == 5


def test_any_table_row_beats_the_settings_defaults(make_sla_complaint, public_works):
    # Settings would give an urgent report 1 day; the table only knows the category's rule.
    category_rule = _policy(amount=7, category=public_works)
    complaint = make_sla_complaint(category=public_works, priority=Priority.URGENT)
    assert policy_for(complaint=complaint, kind=INITIAL) == category_rule


def test_priority_beats_category_at_equal_specificity(make_sla_complaint, public_works):
    _policy(amount=7, category=public_works)
    urgent_rule = _policy(amount=1, priority=Priority.URGENT)
    complaint = make_sla_complaint(category=public_works, priority=Priority.URGENT)
    assert policy_for(complaint=complaint, kind=INITIAL) == urgent_rule


def test_more_matching_fields_win(make_sla_complaint, public_works, classification):
    _policy(amount=1, priority=Priority.URGENT)
    two_fields = _policy(amount=3, category=public_works, channel=Channel.LAPOR)
    complaint = make_sla_complaint(
        category=public_works, priority=Priority.URGENT, channel=Channel.LAPOR
    )
    assert policy_for(complaint=complaint, kind=INITIAL) == two_fields
    three_fields = _policy(
        amount=2, category=public_works, channel=Channel.LAPOR, classification=classification
    )
    complaint.classification = classification
    assert policy_for(complaint=complaint, kind=INITIAL) == three_fields


def test_policy_on_a_parent_category_covers_its_children(make_sla_complaint, public_works, roads):
    parent_rule = _policy(amount=7, category=public_works)
    assert policy_for(complaint=make_sla_complaint(category=roads), kind=INITIAL) == parent_rule
    child_rule = _policy(amount=4, category=roads)
    assert policy_for(complaint=make_sla_complaint(category=roads), kind=INITIAL) == child_rule
    assert policy_for(complaint=make_sla_complaint(category=public_works), kind=INITIAL) == (
        parent_rule
    )


def test_non_matching_and_inactive_policies_are_ignored(make_sla_complaint, public_works):
    _policy(amount=9, priority=Priority.HIGH)
    _policy(amount=9, category=public_works)
    _policy(amount=9, channel=Channel.WHATSAPP)
    _policy(amount=9, kind=VERIFICATION)
    _policy(amount=2, is_active=False)
    assert policy_for(complaint=make_sla_complaint(), kind=INITIAL).pk is None


# --- start ----------------------------------------------------------------------------------


def test_start_snapshots_the_policy_and_computes_due(sla_complaint, disposition, wib):
    policy = _policy(amount=5)
    change = clock_start(
        complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=wib(2026, 6, 5, 15)
    )
    clock = _clock(change)
    assert (clock.state, clock.amount, clock.unit, clock.policy) == ("running", 5, WD, policy)
    assert clock.due_at == wib(2026, 6, 12, 15)
    assert change == {
        "kind": "initial_response",
        "op": "start",
        "clock": clock.pk,
        "disposition": disposition.pk,
        "amount": 5,
        "unit": "working_days",
        "policy": policy.pk,
        "started_at": "2026-06-05T08:00:00+00:00",
        "due_at": "2026-06-12T08:00:00+00:00",
    }

    # Editing the policy later does not move a running deadline.
    SlaPolicy.objects.filter(pk=policy.pk).update(amount=1)
    clock.refresh_from_db()
    assert clock.due_at == wib(2026, 6, 12, 15)


def test_start_from_settings_default_leaves_policy_empty(sla_complaint, wib):
    clock = _clock(clock_start(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 6, 8, 9)))
    assert clock.policy is None
    assert clock.due_at == wib(2026, 6, 11, 9)


def test_start_is_idempotent(sla_complaint, disposition, wib):
    first = clock_start(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 6, 8, 9))
    again = clock_start(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 6, 9, 9))
    assert again["op"] == "already_open"
    assert again["clock"] == first["clock"]
    assert again["due_at"] == first["due_at"]
    # The same kind on a disposition is a different clock.
    on_disposition = clock_start(
        complaint=sla_complaint, disposition=disposition, kind=VERIFICATION, now=wib(2026, 6, 8)
    )
    assert on_disposition["op"] == "start"
    assert SlaClock.objects.count() == 2


def test_database_refuses_a_second_open_clock(sla_complaint, wib):
    clock = _clock(clock_start(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 6, 8)))
    clock.pk = None
    with pytest.raises(IntegrityError):
        clock.save()


def test_lapor_report_clock_starts_at_lapors_disposition_time(make_sla_complaint, wib):
    complaint = make_sla_complaint(channel=Channel.LAPOR)
    pulled_at = wib(2026, 6, 17, 10)
    change = clock_start(
        complaint=complaint, kind=VERIFICATION, now=pulled_at, started_at=wib(2026, 6, 8, 9)
    )
    clock = _clock(change)
    assert clock.started_at == wib(2026, 6, 8, 9)
    assert clock.due_at == wib(2026, 6, 11, 9)
    assert clock_state(clock, now=pulled_at) == ClockStatus.OVERDUE


def test_start_refuses_naive_times_and_foreign_dispositions(
    make_sla_complaint, make_sla_disposition, wib
):
    complaint = make_sla_complaint()
    with pytest.raises(ValueError, match="aware"):
        clock_start(
            complaint=complaint, kind=VERIFICATION, now=wib(2026, 6, 8).replace(tzinfo=None)
        )
    other = make_sla_disposition(make_sla_complaint())
    with pytest.raises(ValueError, match="another complaint"):
        clock_start(complaint=complaint, disposition=other, kind=INITIAL, now=wib(2026, 6, 8))


# --- working calendar in practice -----------------------------------------------------------


def test_clock_over_idul_fitri_2026_skips_the_cuti_bersama(
    sla_complaint, disposition, wib, holidays_2026_2027
):
    clock = _clock(
        clock_start(
            complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=wib(2026, 3, 17, 10)
        )
    )
    assert clock.due_at == wib(2026, 3, 31, 10)


def test_clock_started_at_the_end_of_2026_uses_2027_holidays(
    sla_complaint, disposition, wib, holidays_2026_2027
):
    clock = _clock(
        clock_start(
            complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=wib(2026, 12, 29, 9)
        )
    )
    # 1 Jan (New Year) and 5 Jan 2027 (Isra Mikraj) are not working days.
    assert clock.due_at == wib(2027, 1, 7, 9)


def test_a_holiday_added_later_does_not_move_a_stored_due_time(sla_complaint, wib):
    clock = _clock(clock_start(complaint=sla_complaint, kind=INITIAL, now=wib(2026, 6, 8, 9)))
    assert clock.due_at == wib(2026, 6, 15, 9)

    Holiday.objects.create(date=date(2026, 6, 11), name="Libur mendadak", source="manual")
    invalidate_working_calendar()

    clock.refresh_from_db()
    assert clock.due_at == wib(2026, 6, 15, 9)
    # …but the due time is derivable from what the clock stores, so it can be recomputed.
    assert working_calendar().add(clock.started_at, clock.amount, clock.unit) == wib(2026, 6, 16, 9)


def test_due_time_is_derivable_from_start_and_the_recorded_pauses(sla_complaint, wib):
    start = clock_start(complaint=sla_complaint, kind=INITIAL, now=wib(2026, 6, 8, 9))
    [pause] = clocks_pause(complaint=sla_complaint, now=wib(2026, 6, 10, 14))
    [resume] = clocks_resume(complaint=sla_complaint, now=wib(2026, 6, 20, 11))
    clock = _clock(start)

    # Replaying what the events record, with the calendar of the day, gives the stored due.
    calendar = working_calendar()
    due = calendar.add(clock.started_at, clock.amount, clock.unit)
    remaining = remaining_at(
        calendar, due, clock.unit, now=datetime.fromisoformat(pause["paused_at"])
    )
    assert remaining == pause["remaining_seconds"]
    due = due_after_resume(
        calendar, remaining, clock.unit, now=datetime.fromisoformat(resume["resumed_at"])
    )
    assert due == clock.due_at


# --- pause and resume -----------------------------------------------------------------------


def test_pause_and_resume_keep_the_remaining_working_time(sla_complaint, disposition, wib):
    clock = _clock(
        clock_start(
            complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=wib(2026, 6, 8, 9)
        )
    )
    assert clock.due_at == wib(2026, 6, 15, 9)

    [paused] = clocks_pause(complaint=sla_complaint, now=wib(2026, 6, 10, 9))
    clock.refresh_from_db()
    assert (clock.state, clock.due_at, clock.paused_at) == ("paused", None, wib(2026, 6, 10, 9))
    assert clock.remaining_seconds == 3 * DAY
    assert paused["op"] == "pause"
    assert paused["remaining_seconds"] == 3 * DAY

    # A week later (16 June is Islamic New Year, but the clock was paused then).
    [resumed] = clocks_resume(complaint=sla_complaint, now=wib(2026, 6, 17, 9))
    clock.refresh_from_db()
    assert clock.state == "running"
    assert clock.due_at == wib(2026, 6, 22, 9)
    assert (clock.paused_at, clock.remaining_seconds) == (None, None)
    assert resumed["due_at"] == "2026-06-22T02:00:00+00:00"
    assert WorkingCalendar().elapsed(wib(2026, 6, 17, 9), clock.due_at, WD) == 3 * DAY


def test_pause_covers_dispositions_but_not_the_reporters_clock(
    sla_complaint, make_sla_disposition, wib
):
    now = wib(2026, 6, 8, 9)
    lead = make_sla_disposition(sla_complaint)
    other_opd = OPD.objects.create(name="Kecamatan Jati (uji)", short_name="Jati", kind="kecamatan")
    second = make_sla_disposition(sla_complaint, opd=other_opd, is_lead=False)
    for disposition in (lead, second):
        clock_start(complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=now)
    clock_start(complaint=sla_complaint, kind=REPORTER_INFO, now=now)

    paused = clocks_pause(complaint=sla_complaint, now=now + timedelta(hours=1))
    assert sorted(p["disposition"] for p in paused) == sorted([lead.pk, second.pk])
    assert SlaClock.objects.get(kind=REPORTER_INFO).state == "running"
    assert clocks_pause(complaint=sla_complaint, now=now + timedelta(hours=2)) == []


def test_overdue_clock_stays_overdue_after_resume(make_sla_complaint, wib):
    complaint = make_sla_complaint(priority=Priority.URGENT)
    clock = _clock(clock_start(complaint=complaint, kind=INITIAL, now=wib(2026, 6, 8, 9)))
    assert clock.due_at == wib(2026, 6, 9, 9)

    [paused] = clocks_pause(complaint=complaint, now=wib(2026, 6, 10, 9))
    assert paused["remaining_seconds"] == -DAY

    resume_at = wib(2026, 6, 15, 9)
    clocks_resume(complaint=complaint, now=resume_at)
    clock.refresh_from_db()
    # Overdue by one working day before the pause, and by exactly that at the resume.
    assert clock.due_at == wib(2026, 6, 12, 9)
    assert clock_state(clock, now=resume_at) == ClockStatus.OVERDUE
    assert clock_stop(complaint=complaint, kind=INITIAL, now=resume_at)["met"] is False


def test_clock_overdue_only_over_a_weekend_stays_overdue(sla_complaint, wib):
    # 3 working days from Wednesday 00:00 end at Saturday 00:00.
    clock = _clock(clock_start(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 6, 10)))
    assert clock.due_at == wib(2026, 6, 13)

    [paused] = clocks_pause(complaint=sla_complaint, now=wib(2026, 6, 14, 12))
    assert paused["remaining_seconds"] == -1

    clocks_resume(complaint=sla_complaint, now=wib(2026, 6, 15, 10))
    clock.refresh_from_db()
    assert clock.due_at < wib(2026, 6, 15, 10)
    assert clock_state(clock, now=wib(2026, 6, 15, 10)) == ClockStatus.OVERDUE


def test_resume_without_paused_clocks_does_nothing(sla_complaint, wib):
    clock_start(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 6, 8))
    assert clocks_resume(complaint=sla_complaint, now=wib(2026, 6, 9)) == []


# --- stop and cancel ------------------------------------------------------------------------


def test_stop_on_time_is_met_and_late_is_missed(make_sla_complaint, wib):
    on_time, late = make_sla_complaint(), make_sla_complaint()
    for complaint in (on_time, late):
        clock_start(complaint=complaint, kind=VERIFICATION, now=wib(2026, 6, 8, 9))

    met = clock_stop(complaint=on_time, kind=VERIFICATION, now=wib(2026, 6, 11, 9))
    missed = clock_stop(complaint=late, kind=VERIFICATION, now=wib(2026, 6, 11, 9, 0, 1))
    assert (met["op"], met["met"]) == ("stop", True)
    assert missed["met"] is False
    clock = _clock(met)
    assert (clock.state, clock.stopped_at, clock.met) == ("stopped", wib(2026, 6, 11, 9), True)
    assert clock_stop(complaint=on_time, kind=VERIFICATION, now=wib(2026, 6, 12)) is None


def test_stop_of_a_paused_clock_is_met_while_time_was_left(sla_complaint, wib):
    clock_start(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 6, 8, 9))
    clocks_pause(complaint=sla_complaint, now=wib(2026, 6, 9, 9))
    # Long after the original due time, but the clock was paused with two days left.
    change = clock_stop(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 7, 1))
    assert change["met"] is True
    assert change["due_at"] is None


def test_stop_is_per_disposition(sla_complaint, disposition, wib):
    clock_start(complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=wib(2026, 6, 8))
    assert clock_stop(complaint=sla_complaint, kind=INITIAL, now=wib(2026, 6, 9)) is None
    change = clock_stop(
        complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=wib(2026, 6, 9)
    )
    assert change["disposition"] == disposition.pk


@pytest.fixture
def busy_complaint(sla_complaint, make_sla_disposition, wib):
    """A report with its own verification clock and two dispositions with two clocks each."""
    now = wib(2026, 6, 8, 9)
    lead = make_sla_disposition(sla_complaint)
    other_opd = OPD.objects.create(name="Kecamatan Bae (uji)", short_name="Bae", kind="kecamatan")
    second = make_sla_disposition(sla_complaint, opd=other_opd, is_lead=False)
    clock_start(complaint=sla_complaint, kind=VERIFICATION, now=now)
    for disposition in (lead, second):
        clock_start(complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=now)
        clock_start(complaint=sla_complaint, disposition=disposition, kind=RESOLUTION, now=now)
    clocks_pause(complaint=sla_complaint, now=now + timedelta(hours=1))
    return sla_complaint, lead, second


def test_cancel_for_a_returned_disposition_touches_only_its_clocks(busy_complaint, wib):
    complaint, lead, second = busy_complaint
    cancelled = clocks_cancel(complaint=complaint, disposition=second, now=wib(2026, 6, 9))
    assert {(c["disposition"], c["kind"]) for c in cancelled} == {
        (second.pk, INITIAL),
        (second.pk, RESOLUTION),
    }
    assert cancelled[0]["state_before"] == "paused"
    assert SlaClock.objects.filter(state="cancelled").count() == 2
    clock = _clock(cancelled[0])
    assert (clock.stopped_at, clock.met) == (wib(2026, 6, 9), None)


def test_cancel_without_disposition_ends_every_open_clock_of_the_report(busy_complaint, wib):
    complaint, lead, second = busy_complaint
    clock_stop(complaint=complaint, kind=VERIFICATION, now=wib(2026, 6, 9))
    cancelled = clocks_cancel(complaint=complaint, now=wib(2026, 6, 9))
    assert len(cancelled) == 4
    assert not SlaClock.objects.filter(state__in=["running", "paused"]).exists()
    # The stopped clock keeps its result.
    assert SlaClock.objects.get(kind=VERIFICATION).state == "stopped"


def test_cancel_can_be_limited_to_kinds(busy_complaint, wib):
    complaint, lead, second = busy_complaint
    cancelled = clocks_cancel(complaint=complaint, now=wib(2026, 6, 9), kinds=[INITIAL])
    assert {c["disposition"] for c in cancelled} == {lead.pk, second.pk}
    assert SlaClock.objects.filter(kind=RESOLUTION, state="paused").count() == 2


# --- what a clock shows ---------------------------------------------------------------------


@pytest.fixture
def five_day_clock(sla_complaint, disposition, wib):
    """Initial response from Monday 8 June 09:00: due Monday 15 June 09:00."""
    change = clock_start(
        complaint=sla_complaint, disposition=disposition, kind=INITIAL, now=wib(2026, 6, 8, 9)
    )
    return _clock(change)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ((2026, 6, 9, 9), ClockStatus.ON_TIME),
        # Thursday 09:00: Thursday, Friday and Monday morning left, 2 working days.
        ((2026, 6, 11, 9), ClockStatus.ON_TIME),
        # Friday 09:01: less than one working day left (the weekend does not count).
        ((2026, 6, 12, 9, 1), ClockStatus.AT_RISK),
        ((2026, 6, 13, 12), ClockStatus.AT_RISK),
        ((2026, 6, 15, 9), ClockStatus.AT_RISK),
        ((2026, 6, 15, 9, 0, 1), ClockStatus.OVERDUE),
    ],
)
def test_running_clock_state(five_day_clock, wib, when, expected):
    assert clock_state(five_day_clock, now=wib(*when)) == expected


def test_at_risk_threshold_comes_from_settings(five_day_clock, wib, settings):
    settings.SLA_AT_RISK_WORKING_DAYS = 2
    assert clock_state(five_day_clock, now=wib(2026, 6, 11, 9)) == ClockStatus.AT_RISK
    assert clock_state(five_day_clock, now=wib(2026, 6, 10, 9)) == ClockStatus.ON_TIME


def test_short_clock_is_at_risk_in_the_last_half_of_its_budget(make_sla_complaint, wib):
    complaint = make_sla_complaint(priority=Priority.URGENT)
    clock = _clock(clock_start(complaint=complaint, kind=INITIAL, now=wib(2026, 6, 8, 9)))
    assert clock.due_at == wib(2026, 6, 9, 9)
    assert clock_state(clock, now=wib(2026, 6, 8, 20, 59)) == ClockStatus.ON_TIME
    assert clock_state(clock, now=wib(2026, 6, 8, 21)) == ClockStatus.AT_RISK


def test_hours_clock_is_at_risk_in_its_last_half(sla_complaint, wib):
    _policy(kind=VERIFICATION, amount=8, unit=ClockUnit.HOURS)
    clock = _clock(clock_start(complaint=sla_complaint, kind=VERIFICATION, now=wib(2026, 6, 6, 9)))
    assert clock.due_at == wib(2026, 6, 6, 17)  # a Saturday: wall-clock hours
    assert clock_state(clock, now=wib(2026, 6, 6, 12, 59)) == ClockStatus.ON_TIME
    assert clock_state(clock, now=wib(2026, 6, 6, 13)) == ClockStatus.AT_RISK


def test_finished_clock_states(make_sla_complaint, wib):
    a, b, c, d = (make_sla_complaint() for _ in range(4))
    for complaint in (a, b, c, d):
        clock_start(complaint=complaint, kind=VERIFICATION, now=wib(2026, 6, 8, 9))
    clocks_pause(complaint=a, now=wib(2026, 6, 9))
    met = _clock(clock_stop(complaint=b, kind=VERIFICATION, now=wib(2026, 6, 10)))
    missed = _clock(clock_stop(complaint=c, kind=VERIFICATION, now=wib(2026, 6, 12)))
    [cancelled] = clocks_cancel(complaint=d, now=wib(2026, 6, 10))

    now = wib(2026, 7, 1)
    assert clock_state(SlaClock.objects.get(complaint=a), now=now) == ClockStatus.PAUSED
    assert clock_state(met, now=now) == ClockStatus.MET
    assert clock_state(missed, now=now) == ClockStatus.MISSED
    assert clock_state(_clock(cancelled), now=now) == ClockStatus.CANCELLED


def test_clock_state_with_a_preloaded_calendar_makes_no_query(
    make_sla_complaint, wib, django_assert_num_queries
):
    for _ in range(3):
        clock_start(complaint=make_sla_complaint(), kind=VERIFICATION, now=wib(2026, 6, 8, 9))
    clocks = list(SlaClock.objects.all())
    calendar = working_calendar()
    with django_assert_num_queries(0):
        states = [clock_state(c, now=wib(2026, 6, 10, 12), calendar=calendar) for c in clocks]
    assert states == [ClockStatus.AT_RISK] * 3


def test_clock_state_values_are_plain_strings(five_day_clock, wib):
    state = clock_state(five_day_clock, now=wib(2026, 6, 9))
    assert state == "on_time"
    assert ClockStatus(state).label == "Tepat waktu"
