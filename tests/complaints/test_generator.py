"""The data generator writes what the services would have written: every status, ordered
timestamps, the multi-OPD rule, events for every move, consistent clocks — in a bounded number
of queries per batch, and the same data for the same seed."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from stdnum.id import nik as stdnum_nik

from complaints.generator import GeneratorError, generate_complaints
from complaints.models import (
    PUBLIC_STATUSES,
    Channel,
    Complaint,
    Event,
    Reporter,
    Status,
)
from complaints.reference import reference_data_load
from complaints.services import normalise_phone, round_public_location
from complaints.workflow import (
    COMPLAINT_TRANSITIONS,
    DISPOSITION_TRANSITIONS,
    HANDLING,
    Action,
    derive_status,
    find_transition,
)
from disposition.calendar import CALENDAR_CACHE_KEY, WIB, holidays_seed, working_calendar
from disposition.models import (
    OPD,
    ClockKind,
    Disposition,
    DispositionStatus,
    Response,
    ResponseKind,
    Role,
    SlaClock,
    Visibility,
)
from tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 10, 30, tzinfo=WIB)
COUNT = 300
SEED = 20260615
STAMP_CHAIN = (
    "created_at",
    "verified_at",
    "dispositioned_at",
    "responded_at",
    "finished_at",
    "closed_at",
)
# Statuses that follow from the dispositions (complaints.workflow.derive_status).
DERIVED = frozenset({*HANDLING, Status.RETURNED, Status.FINISHED})


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # The cached calendar outlives a test's rolled-back transaction.
    cache.delete(CALENDAR_CACHE_KEY)
    yield
    cache.delete(CALENDAR_CACHE_KEY)


@pytest.fixture
def reference():
    reference_data_load(holidays=False)
    holidays_seed(years=[2023, 2024, 2025, 2026])
    # Staff, so events name real users: an Admin Kabupaten, an OPD with an Admin OPD, and one
    # with only its Pejabat Penghubung (who then acts in the admin's place).
    StaffRoleFactory(user__username="ak.gen", role=Role.ADMIN_KABUPATEN, opd=None)
    StaffRoleFactory(
        user__username="ao.pupr", role=Role.ADMIN_OPD, opd=OPD.objects.get(short_name="DPUPR")
    )
    StaffRoleFactory(
        user__username="pp.dishub",
        role=Role.PEJABAT_PENGHUBUNG,
        opd=OPD.objects.get(short_name="Dishub"),
    )


def generate(**kwargs):
    values = {"count": COUNT, "seed": SEED, "years": 3, "batch_size": 120, "now": NOW}
    values.update(kwargs)
    return generate_complaints(**values)


@pytest.fixture
def generated(reference):
    return generate()


def by_complaint(queryset):
    grouped = defaultdict(list)
    for row in queryset:
        grouped[row.complaint_id].append(row)
    return grouped


# --- what is created ---------------------------------------------------------------------


def test_creates_exactly_n_reports_in_every_status_and_channel(generated):
    assert Complaint.objects.count() == COUNT == generated["complaints"]
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert set(Complaint.objects.values_list("channel", flat=True)) == set(Channel.values)
    # Most old reports are closed.
    old = Complaint.objects.filter(created_at__lt=NOW.replace(year=2025))
    assert old.filter(status=Status.CLOSED).count() > old.count() / 2
    # The returned counts are the rows written.
    assert generated["reporters"] == Reporter.objects.count() == COUNT
    assert generated["dispositions"] == Disposition.objects.count()
    assert generated["responses"] == Response.objects.count()
    assert generated["clocks"] == SlaClock.objects.count()
    assert generated["events"] == Event.objects.count()
    assert sum(v for k, v in generated.items() if k.startswith("status.")) == COUNT


def test_every_row_has_its_timestamps_in_life_cycle_order(generated):
    for c in Complaint.objects.all():
        chain = [getattr(c, f) for f in STAMP_CHAIN if getattr(c, f) is not None]
        assert chain == sorted(chain), c.tracking_number
        for field in ("reopened_at", "archived_at", "escalated_at", *STAMP_CHAIN):
            value = getattr(c, field)
            assert value is None or c.created_at <= value <= NOW, (c.tracking_number, field)
    for d in Disposition.objects.select_related("complaint"):
        assert d.complaint.created_at <= d.created_at
        steps = [d.created_at, d.accepted_at, d.responded_at, d.finished_at]
        steps = [s for s in steps if s is not None]
        assert steps == sorted(steps)
        assert d.returned_at is None or d.returned_at >= d.created_at
    for e in Event.objects.select_related("complaint"):
        assert e.complaint.created_at <= e.created_at <= NOW


def test_status_of_handled_reports_follows_their_dispositions(generated):
    dispositions = by_complaint(Disposition.objects.all())
    handled = Complaint.objects.filter(escalated_to__isnull=True)
    for c in handled.filter(status__in=DERIVED):
        assert derive_status(c.status, dispositions[c.pk]) == c.status, c.tracking_number
    for c in handled.filter(status=Status.CLOSED):
        live = [d for d in dispositions[c.pk] if d.status != DispositionStatus.RETURNED]
        assert live
        assert all(d.status == DispositionStatus.FINISHED for d in live)
    # The mix covers the multi-OPD rule: two live OPDs with one lead, and returned ones.
    live_counts = [
        sum(d.status != DispositionStatus.RETURNED for d in ds) for ds in dispositions.values()
    ]
    assert max(live_counts) >= 2
    assert (
        Disposition.objects.filter(status=DispositionStatus.RETURNED)
        .exclude(return_reason="")
        .exists()
    )
    for ds in dispositions.values():
        assert sum(d.is_lead and d.status != DispositionStatus.RETURNED for d in ds) <= 1


def test_duplicates_point_at_an_earlier_original_that_is_not_a_duplicate(generated):
    duplicates = Complaint.objects.filter(status=Status.DUPLICATE).select_related("duplicate_of")
    assert duplicates.exists()
    for c in duplicates:
        assert c.duplicate_of is not None
        assert c.duplicate_of.status != Status.DUPLICATE
        assert c.duplicate_of.created_at <= c.created_at
    assert (
        not Complaint.objects.exclude(status=Status.DUPLICATE)
        .filter(duplicate_of__isnull=False)
        .exists()
    )


def test_lapor_reports_have_unique_lapor_ids_and_others_none(generated):
    lapor = list(Complaint.objects.filter(channel=Channel.LAPOR).values_list("lapor_id", flat=True))
    assert lapor
    assert all(lapor)
    assert len(set(lapor)) == len(lapor)
    assert (
        not Complaint.objects.exclude(channel=Channel.LAPOR).filter(lapor_id__isnull=False).exists()
    )
    assert Complaint.objects.values("tracking_number").distinct().count() == COUNT


def test_public_version_exists_exactly_for_public_statuses(generated):
    for c in Complaint.objects.all():
        if c.status in PUBLIC_STATUSES:
            assert c.public_title, c.tracking_number
            assert c.public_text, c.tracking_number
            assert c.public_lat == round_public_location(c.lat)
            assert c.public_lng == round_public_location(c.lng)
        else:
            assert not c.public_title, c.tracking_number
            assert not c.public_text, c.tracking_number
            assert c.public_lat is None, c.tracking_number


def test_clocks_are_consistent_with_their_state_and_policy(generated):
    calendar = working_calendar()
    paused_ever = set(
        SlaClock.objects.filter(complaint__events__action=Action.REQUEST_INFO).values_list(
            "pk", flat=True
        )
    )
    clocks = SlaClock.objects.select_related("policy", "complaint")
    assert {c.state for c in clocks} == set(SlaClock.State.values)
    for clock in clocks:
        assert clock.policy is not None
        assert (clock.amount, clock.unit) == (clock.policy.amount, clock.policy.unit)
        assert clock.complaint.created_at <= clock.started_at <= NOW
        if clock.state == SlaClock.State.RUNNING:
            assert clock.due_at is not None
            assert clock.met is None
            assert clock.stopped_at is None
        elif clock.state == SlaClock.State.PAUSED:
            assert clock.remaining_seconds is not None
            assert clock.due_at is None
            assert clock.complaint.status == Status.WAITING_REPORTER
        elif clock.state == SlaClock.State.STOPPED:
            assert clock.met is not None
            assert clock.stopped_at >= clock.started_at
            if clock.due_at is not None:
                assert clock.met == (clock.stopped_at <= clock.due_at)
        else:
            assert clock.met is None
            assert clock.stopped_at is not None
        if clock.due_at is not None and clock.pk not in paused_ever:
            assert clock.due_at == calendar.add(clock.started_at, clock.amount, clock.unit)
    # Every report waiting for its reporter has the reporter's clock running.
    for c in Complaint.objects.filter(status=Status.WAITING_REPORTER):
        assert c.clocks.filter(kind=ClockKind.REPORTER_INFO, state="running").exists()
    for c in Complaint.objects.filter(status=Status.FINISHED, escalated_to__isnull=True):
        assert c.clocks.filter(kind=ClockKind.OBJECTION, state="running").exists()


def test_every_status_change_has_its_event_as_the_services_write_it(generated):
    events = by_complaint(Event.objects.order_by("created_at", "id"))
    dispositions = {d.pk: d for d in Disposition.objects.all()}
    for c in Complaint.objects.all():
        moves = [e for e in events[c.pk] if e.disposition_id is None and e.to_status]
        assert moves[0].from_status == ""
        assert moves[0].action in (Action.SUBMIT, Action.RECEIVE_FROM_LAPOR)
        for before, after in zip(moves, moves[1:], strict=False):
            assert after.from_status == before.to_status, c.tracking_number
        assert moves[-1].to_status == c.status, c.tracking_number
        for e in moves:
            row = find_transition(
                COMPLAINT_TRANSITIONS,
                action=e.action,
                source=e.from_status or None,
                role=e.actor_role,
            )
            assert row.target in (None, e.to_status)

        per_disposition = defaultdict(list)
        for e in events[c.pk]:
            if e.disposition_id is not None and e.to_status:
                per_disposition[e.disposition_id].append(e)
        for disposition_id, moves in per_disposition.items():
            d = dispositions[disposition_id]
            assert (moves[0].action, moves[0].from_status) == (Action.DISPOSITION, "")
            for before, after in zip(moves, moves[1:], strict=False):
                assert after.from_status == before.to_status
                find_transition(
                    DISPOSITION_TRANSITIONS,
                    action=after.action,
                    source=after.from_status,
                    role=after.actor_role,
                )
                if after.actor_role != Role.REPORTER:
                    assert after.actor_opd_id == d.opd_id
            assert moves[-1].to_status == d.status
    # Staff users act where they exist; a Pejabat Penghubung only for an OPD without admins.
    assert Event.objects.filter(actor__username="ak.gen").exists()
    assert (
        not Event.objects.filter(actor_role=Role.PEJABAT_PENGHUBUNG)
        .exclude(actor_opd__short_name="Dishub")
        .exists()
    )
    # Past notifications count as sent: the outbox sweep must not mail generated reporters.
    assert not Event.objects.filter(notify_state="pending").exists()


def test_responses_and_reporters_follow_the_intake_and_visibility_rules(generated):
    for r in Response.objects.select_related("complaint"):
        if r.kind == ResponseKind.NOTE:
            assert r.visibility == Visibility.INTERNAL
        else:
            assert r.visibility != Visibility.INTERNAL
            if r.complaint.is_secret:
                assert r.visibility == Visibility.REPORTER
    reporters = Reporter.objects.select_related("complaint")
    for r in reporters:
        assert not r.nik or stdnum_nik.is_valid(r.nik)
        assert not r.phone or normalise_phone(r.phone) == r.phone
        assert not r.email or r.email.split("@")[1] in ("example.com", "example.net", "example.org")
    niks = [r.nik for r in reporters if r.nik]
    assert niks
    assert sum(n.startswith("3319") for n in niks) > len(niks) / 2
    assert Complaint.objects.filter(is_anonymous=True).exists()
    assert Complaint.objects.filter(is_secret=True).exists()


# --- determinism and cost ------------------------------------------------------------------


def snapshot() -> list:
    """Everything but primary keys (sequences are not rolled back)."""
    rows = []
    for c in Complaint.objects.order_by("created_at", "tracking_number").prefetch_related(
        "events", "dispositions", "clocks", "responses"
    ):
        rows.append((
            c.tracking_number, c.access_code_hash, c.status, c.channel, c.lapor_id, c.text,
            c.public_text, c.lat, c.priority, c.is_secret, c.is_anonymous,
            tuple(getattr(c, f) for f in STAMP_CHAIN),
            c.duplicate_of.tracking_number if c.duplicate_of_id else None,
            c.reporter.name, c.reporter.nik, c.reporter.phone,
            tuple((e.action, e.from_status, e.to_status, e.actor_role, e.created_at)
                  for e in c.events.all()),
            tuple((d.opd_id, d.status, d.is_lead) for d in c.dispositions.all()),
            tuple((k.kind, k.state, k.due_at, k.met) for k in c.clocks.all()),
            tuple((r.kind, r.text) for r in c.responses.all()),
        ))  # fmt: skip
    return rows


def test_same_seed_gives_the_same_content_and_another_seed_does_not(reference):
    savepoint = transaction.savepoint()
    generate(count=120)
    first = snapshot()
    transaction.savepoint_rollback(savepoint)

    assert not Complaint.objects.exists()
    savepoint = transaction.savepoint()
    generate(count=120, batch_size=50)  # batch boundaries do not change the content
    assert snapshot() == first
    transaction.savepoint_rollback(savepoint)

    generate(count=120, seed=SEED + 1)
    assert snapshot() != first


def test_a_tracking_number_already_taken_is_drawn_again(reference):
    savepoint = transaction.savepoint()
    generate(count=20)
    numbers = list(Complaint.objects.values_list("tracking_number", flat=True))
    transaction.savepoint_rollback(savepoint)
    # The same seed again, on a database that already holds the first run's data.
    generate(count=20)
    generate(count=20)
    assert Complaint.objects.count() == 40
    assert set(numbers) <= set(Complaint.objects.values_list("tracking_number", flat=True))


# Per batch: a savepoint and its release, two look-ups of taken numbers (tracking numbers,
# LAPOR! ids) and one INSERT for each of originals, duplicates, reporters, dispositions,
# clocks, responses and events.
QUERIES_PER_BATCH = 11
# Once per run: OPDs, categories, classifications, institutions, desa, staff roles, active
# SLA policies; and one policy_for per clock kind and priority first met (5 × 3).
QUERIES_PER_RUN = 7 + 15


def test_query_count_per_batch_is_bounded(reference, django_assert_max_num_queries):
    working_calendar()  # cached: the calendar costs no query inside a run
    with django_assert_max_num_queries(QUERIES_PER_RUN + 2 * QUERIES_PER_BATCH):
        counts = generate(count=300, batch_size=150)
    assert counts["events"] > 1000  # thousands of rows, a few dozen queries


# --- refusals and the command --------------------------------------------------------------


def test_refuses_without_reference_data():
    with pytest.raises(GeneratorError, match="load_reference_data"):
        generate(count=5)
    assert not Complaint.objects.exists()


def test_command_prints_the_rates(reference, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("generate_complaints", "25", "--seed", "7", "--batch", "10", stdout=out)
    output = out.getvalue()
    assert Complaint.objects.count() == 25
    assert "complaints/s" in output
    assert "rows/s" in output
    assert "seed 7" in output


def test_command_refuses_with_debug_off_unless_forced(reference, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate_complaints", "5", stdout=StringIO())
    assert not Complaint.objects.exists()
    call_command("generate_complaints", "5", "--force", stdout=StringIO())
    assert Complaint.objects.count() == 5


def test_command_explains_missing_reference_data(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("generate_complaints", "5", stdout=StringIO())
