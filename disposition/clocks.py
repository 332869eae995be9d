"""SLA clock services: start, pause, resume, stop and cancel the deadlines of a report.

DOMAIN.md §4. These functions only write SlaClock rows. They write no Event: each returns a
small JSON-ready dict (or a list of them) describing what it did, which the calling service
embeds in the data of the event it records for the change, e.g.
``{"kind": "initial_response", "op": "start", "clock": 12, "due_at": "2026-…+00:00"}``.

They run inside the caller's transaction; the caller holds the row lock on the complaint, which
is what serialises clock changes of one report (so these take no locks of their own). ``now``
is always explicit and aware, so a LAPOR! import or a test can state the time.

Time is measured in each clock's own unit (calendar.py): working seconds for working-day
clocks, wall seconds for calendar-day and hour clocks. ``due_at`` is never stored on its own
authority: it is always ``started_at + amount`` advanced through the pauses (at each pause
``remaining_at``, at each resume ``due_after_resume``), so it can be recomputed from the clock
and the pause and resume dicts recorded in the events if the holiday table changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from disposition.calendar import (
    DAY_SECONDS,
    UNIT_SECONDS,
    WorkingCalendar,
    require_aware,
    working_calendar,
)
from disposition.models import ClockKind, ClockUnit, SlaClock, SlaPolicy

OPEN_STATES = (SlaClock.State.RUNNING, SlaClock.State.PAUSED)
# A category tree deeper than this is a data error (or a cycle); stop walking up.
_MAX_CATEGORY_DEPTH = 10


class ClockStatus(models.TextChoices):
    """What a clock shows on a page (``clock_state``); the values are plain strings."""

    ON_TIME = "on_time", _("Tepat waktu")
    AT_RISK = "at_risk", _("Mendekati batas waktu")
    OVERDUE = "overdue", _("Melewati batas waktu")
    PAUSED = "paused", _("Dijeda")
    MET = "met", _("Selesai tepat waktu")
    MISSED = "missed", _("Selesai terlambat")
    CANCELLED = "cancelled", _("Dibatalkan")


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _describe(clock: SlaClock, op: str, **extra) -> dict:
    return {
        "kind": clock.kind,
        "op": op,
        "clock": clock.pk,
        "disposition": clock.disposition_id,
        **extra,
    }


# --- policies -------------------------------------------------------------------------------


def _category_chain(category_id: int | None) -> list[int]:
    """The category and its ancestors, nearest first."""
    chain: list[int] = []
    while category_id is not None and len(chain) < _MAX_CATEGORY_DEPTH:
        if category_id in chain:
            break
        chain.append(category_id)
        category_id = (
            Category.objects.filter(pk=category_id).values_list("parent_id", flat=True).first()
        )
    return chain


def policy_for(*, complaint, kind: str) -> SlaPolicy | None:
    """The SLA policy that sets how long clock ``kind`` of ``complaint`` runs.

    Candidates are the active SlaPolicy rows of that clock whose classification, category,
    priority and channel each either match the complaint or are blank (blank matches anything).
    A policy on a category also matches the reports of its sub-categories. The most specific
    candidate wins, compared in this order:

    1. more non-blank fields;
    2. then, at equal count, a priority beats a category beats a classification beats a
       channel (an urgent report keeps its 1-working-day rule inside a category with a longer
       one); a nearer category beats an ancestor category;
    3. then the older policy (lower id). The table's one-active-policy-per-scope constraint
       means this last step is never reached in practice; it only makes the order total.

    If no row matches, the default of ``settings.SLA_DEFAULT_POLICIES`` for the complaint's
    priority, else the one for every priority, is returned as an *unsaved* SlaPolicy (pk None).
    None if settings have nothing for this clock either.
    """
    chain = _category_chain(complaint.category_id)
    classification = Q(classification__isnull=True)
    if complaint.classification_id is not None:
        classification |= Q(classification_id=complaint.classification_id)
    candidates = SlaPolicy.objects.filter(
        classification,
        Q(category__isnull=True) | Q(category_id__in=chain),
        Q(priority="") | Q(priority=complaint.priority),
        Q(channel="") | Q(channel=complaint.channel),
        clock=kind,
        is_active=True,
    )

    def specificity(policy: SlaPolicy):
        category_rank = len(chain) - chain.index(policy.category_id) if policy.category_id else 0
        fields = (
            bool(policy.priority),
            bool(policy.category_id),
            bool(policy.classification_id),
            bool(policy.channel),
        )
        return (
            sum(fields),
            fields[0],
            category_rank,
            fields[2],
            fields[3],
            -policy.pk,
        )

    best = max(candidates, key=specificity, default=None)
    if best is not None:
        return best

    defaults = [row for row in settings.SLA_DEFAULT_POLICIES if row[0] == kind]
    for wanted_priority in (complaint.priority, ""):
        for clock, priority, amount, unit in defaults:
            if priority == wanted_priority:
                return SlaPolicy(
                    clock=clock,
                    priority=priority,
                    amount=amount,
                    unit=unit,
                    note="settings.SLA_DEFAULT_POLICIES",
                )
    return None


# --- the arithmetic of a pause ---------------------------------------------------------------
# The two steps every pause and resume takes, public so that a later recomputation of due_at
# (after a holiday change) can replay started_at + amount through the recorded pauses with
# exactly the same rules.


def remaining_at(calendar: WorkingCalendar, due_at: datetime, unit: str, *, now: datetime) -> int:
    """Seconds of the clock's own time left at ``now``; negative once overdue.

    Overdue by wall clock but not by working time (due at the end of Friday, asked on Sunday)
    gives -1, not 0: an overdue clock must stay overdue.
    """
    remaining = calendar.elapsed(now, due_at, unit)
    if now > due_at:
        remaining = min(remaining, -1)
    return remaining


def due_after_resume(
    calendar: WorkingCalendar, remaining: int, unit: str, *, now: datetime
) -> datetime:
    """The due time of a clock resumed at ``now`` with ``remaining`` seconds left."""
    return calendar.add_seconds(now, remaining, unit)


# --- clock services -------------------------------------------------------------------------


def _open_clocks(*, complaint, kind: str, disposition):
    return SlaClock.objects.filter(
        complaint=complaint, kind=kind, disposition=disposition, state__in=OPEN_STATES
    )


def clock_start(
    *,
    complaint,
    kind: str,
    now: datetime,
    disposition=None,
    started_at: datetime | None = None,
) -> dict:
    """Start clock ``kind`` of the complaint (or of one of its dispositions).

    The policy's amount and unit are copied onto the clock, so a later policy edit does not
    move a running deadline. ``started_at`` defaults to ``now``; a report from LAPOR! passes
    LAPOR!'s disposition time, which may be in the past (the clock may then be overdue at
    once).

    Idempotent: if an open (running or paused) clock of that kind exists for that complaint and
    disposition, nothing changes and the dict says ``"op": "already_open"``.
    """
    require_aware(now, "now")
    started_at = now if started_at is None else started_at
    require_aware(started_at, "started_at")
    if disposition is not None and disposition.complaint_id != complaint.pk:
        raise ValueError("the disposition belongs to another complaint")

    existing = _open_clocks(complaint=complaint, kind=kind, disposition=disposition).first()
    if existing is not None:
        return _describe(
            existing, "already_open", state=existing.state, due_at=_iso(existing.due_at)
        )

    policy = policy_for(complaint=complaint, kind=kind)
    if policy is None:
        raise ImproperlyConfigured(
            f"No SLA policy for clock {kind!r}: add one to SlaPolicy or SLA_DEFAULT_POLICIES."
        )
    calendar = working_calendar()
    clock = SlaClock.objects.create(
        complaint=complaint,
        disposition=disposition,
        kind=kind,
        policy=policy if policy.pk else None,
        amount=policy.amount,
        unit=policy.unit,
        state=SlaClock.State.RUNNING,
        started_at=started_at,
        due_at=calendar.add(started_at, policy.amount, policy.unit),
    )
    return _describe(
        clock,
        "start",
        amount=clock.amount,
        unit=clock.unit,
        policy=clock.policy_id,
        started_at=_iso(clock.started_at),
        due_at=_iso(clock.due_at),
    )


def clocks_pause(
    *,
    complaint,
    now: datetime,
    exclude: Iterable[str] = (ClockKind.REPORTER_INFO,),
) -> list[dict]:
    """Pause every running clock of the complaint and of all its dispositions.

    ``exclude`` lists kinds that keep running (by default the reporter's own clock, which runs
    precisely while the others wait for the reporter).

    The remaining time, in the clock's own time, is stored. For a clock already overdue it is
    negative: the pause freezes the overdue time as well as the budget, and the clock resumes
    exactly as overdue as it was. A clock overdue only over non-working time (due at the end of
    Friday, paused on Sunday) has 0 working seconds of overdue time; it is stored as -1 so that
    it still resumes overdue and a stop while paused counts as missed.
    """
    require_aware(now, "now")
    clocks = list(
        SlaClock.objects.filter(complaint=complaint, state=SlaClock.State.RUNNING)
        .exclude(kind__in=list(exclude))
        .order_by("id")
    )
    if not clocks:
        return []
    calendar = working_calendar()
    done = []
    for clock in clocks:
        remaining = remaining_at(calendar, clock.due_at, clock.unit, now=now)
        due_at = clock.due_at
        clock.state = SlaClock.State.PAUSED
        clock.paused_at = now
        clock.remaining_seconds = remaining
        clock.due_at = None
        clock.save(update_fields=["state", "paused_at", "remaining_seconds", "due_at"])
        done.append(
            _describe(
                clock,
                "pause",
                paused_at=_iso(now),
                due_at_before=_iso(due_at),
                remaining_seconds=remaining,
            )
        )
    return done


def clocks_resume(*, complaint, now: datetime) -> list[dict]:
    """Resume every paused clock of the complaint and its dispositions.

    The new due time is ``now`` plus the remaining time stored at the pause, in the clock's own
    time: a 5-working-day clock paused with 3 working days left has 3 working days left again,
    however long the pause. A negative remainder puts the due time in the past: overdue stays
    overdue.
    """
    require_aware(now, "now")
    clocks = list(
        SlaClock.objects.filter(complaint=complaint, state=SlaClock.State.PAUSED).order_by("id")
    )
    if not clocks:
        return []
    calendar = working_calendar()
    done = []
    for clock in clocks:
        remaining = clock.remaining_seconds
        clock.due_at = due_after_resume(calendar, remaining, clock.unit, now=now)
        clock.state = SlaClock.State.RUNNING
        clock.paused_at = None
        clock.remaining_seconds = None
        clock.save(update_fields=["state", "paused_at", "remaining_seconds", "due_at"])
        done.append(
            _describe(
                clock,
                "resume",
                resumed_at=_iso(now),
                remaining_seconds=remaining,
                due_at=_iso(clock.due_at),
            )
        )
    return done


def _is_met(clock: SlaClock, now: datetime) -> bool:
    if clock.state == SlaClock.State.PAUSED:
        return clock.remaining_seconds >= 0
    return now <= clock.due_at


def clock_stop(*, complaint, kind: str, now: datetime, disposition=None) -> dict | None:
    """Stop the open clock ``kind`` of the complaint (or of ``disposition``): its task is done.

    ``met`` records whether it stopped on or before its due time; a paused clock is met if it
    still had time left (remaining >= 0). None if there was no open clock of that kind.
    """
    require_aware(now, "now")
    clock = _open_clocks(complaint=complaint, kind=kind, disposition=disposition).first()
    if clock is None:
        return None
    clock.met = _is_met(clock, now)
    clock.state = SlaClock.State.STOPPED
    clock.stopped_at = now
    clock.save(update_fields=["met", "state", "stopped_at"])
    return _describe(clock, "stop", stopped_at=_iso(now), due_at=_iso(clock.due_at), met=clock.met)


def clocks_cancel(
    *,
    complaint,
    now: datetime,
    disposition=None,
    kinds: Iterable[str] | None = None,
) -> list[dict]:
    """Cancel open clocks: their deadline no longer applies (neither met nor missed).

    Scope, two independent filters:

    * ``disposition`` given: only that disposition's clocks (a returned disposition);
      ``disposition=None``: every open clock of the complaint, its own *and* all its
      dispositions' (an archived, merged or escalated report);
    * ``kinds`` given: only clocks of those kinds within that scope; None: all kinds.

    A cancelled clock keeps its due time (if running) for the record; ``stopped_at`` is when it
    was cancelled and ``met`` stays null.
    """
    require_aware(now, "now")
    if disposition is not None and disposition.complaint_id != complaint.pk:
        raise ValueError("the disposition belongs to another complaint")
    clocks = SlaClock.objects.filter(complaint=complaint, state__in=OPEN_STATES)
    if disposition is not None:
        clocks = clocks.filter(disposition=disposition)
    if kinds is not None:
        clocks = clocks.filter(kind__in=list(kinds))
    done = []
    for clock in clocks.order_by("id"):
        was = clock.state
        clock.state = SlaClock.State.CANCELLED
        clock.stopped_at = now
        clock.save(update_fields=["state", "stopped_at"])
        done.append(_describe(clock, "cancel", cancelled_at=_iso(now), state_before=was))
    return done


# --- display --------------------------------------------------------------------------------


def clock_state(clock: SlaClock, *, now: datetime, calendar: WorkingCalendar | None = None) -> str:
    """What the clock shows at ``now``: one of the ClockStatus values.

    A running clock is overdue once ``now`` is past its due time, and at risk when the working
    time left is at most ``settings.SLA_AT_RISK_WORKING_DAYS`` working days (working time for
    every unit: the warning is about office days left to act). A clock whose whole budget is
    not longer than that threshold (a 1-working-day urgent clock, an hours clock) would be at
    risk from its first second; it is at risk in the last half of its budget instead, measured
    in its own time.

    Pass ``calendar`` (``working_calendar()``, built once) when computing many clocks: then
    this makes no query at all.
    """
    require_aware(now, "now")
    if clock.state == SlaClock.State.CANCELLED:
        return ClockStatus.CANCELLED
    if clock.state == SlaClock.State.STOPPED:
        return ClockStatus.MET if clock.met else ClockStatus.MISSED
    if clock.state == SlaClock.State.PAUSED:
        return ClockStatus.PAUSED
    if now > clock.due_at:
        return ClockStatus.OVERDUE

    calendar = calendar if calendar is not None else working_calendar()
    threshold = settings.SLA_AT_RISK_WORKING_DAYS * DAY_SECONDS
    budget = clock.amount * UNIT_SECONDS[ClockUnit(clock.unit)]
    if budget <= threshold:
        remaining = calendar.elapsed(now, clock.due_at, clock.unit)
        at_risk = remaining * 2 <= budget
    else:
        remaining = calendar.elapsed(now, clock.due_at, ClockUnit.WORKING_DAYS)
        at_risk = remaining <= threshold
    return ClockStatus.AT_RISK if at_risk else ClockStatus.ON_TIME
