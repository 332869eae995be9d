"""Two staff acting on the same report at once, on two real database connections: exactly
one wins, the other gets a clear error, and nothing is half-written."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from complaints.models import Complaint, Event, Status
from complaints.workflow import TransitionError
from disposition import services as ds
from disposition.models import Disposition, DispositionStatus
from tests.builders import lead_disposition, reach

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run ``calls`` in threads (each on its own connection) while the report is locked, so
    that all of them are waiting on the lock when it is released; return their outcomes."""
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            outcomes[index] = ("ok", call())
        except TransitionError as exc:
            outcomes[index] = ("refused", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = ("crashed", exc)
        finally:
            connections.close_all()

    return outcomes, run


def run_while_locked(complaint_id, calls):
    outcomes, run = race(*calls)
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    with transaction.atomic():
        Complaint.objects.select_for_update().get(pk=complaint_id)
        for thread in threads:
            thread.start()
        try:
            _wait_for_lock_waiters(len(calls))
        except AssertionError:
            for thread in threads:
                thread.join(timeout=10)
            raise AssertionError(f"not blocked on the lock: {outcomes}") from None
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _wait_for_lock_waiters(count, timeout=10.0):
    """Until ``count`` other sessions are blocked on a row lock: proof the race is real."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction PostgreSQL keeps one statistics snapshot: drop it each time.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError(f"{count} sessions never waited on the report's lock")


def test_two_admins_dispositioning_at_once_one_wins(world):
    complaint = reach(world, Status.VERIFIED)

    outcomes = run_while_locked(
        complaint.pk,
        [
            lambda: ds.disposition_create(
                complaint=complaint, actor=world.ak, opds=[world.opd], lead=world.opd, now=world.now
            ),
            lambda: ds.disposition_create(
                complaint=complaint,
                actor=world.ak,
                opds=[world.other_opd],
                lead=world.other_opd,
                now=world.now,
            ),
        ],
    )

    kinds = sorted(o[0] for o in outcomes)
    assert kinds == ["ok", "refused"]
    refused = next(o[1] for o in outcomes if o[0] == "refused")
    assert refused.code == "lead_exists"
    assert str(refused) == "Laporan ini sudah memiliki OPD utama."
    assert Disposition.objects.filter(complaint=complaint).count() == 1
    assert (
        Event.objects.filter(
            complaint=complaint, action="disposition", disposition__isnull=True
        ).count()
        == 1
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.DISPOSITIONED


def test_accept_and_return_at_once_one_wins(world, colleague_opd):
    from complaints.actors import actor_for_user

    complaint = reach(world, Status.DISPOSITIONED)
    disposition = lead_disposition(complaint)

    outcomes = run_while_locked(
        complaint.pk,
        [
            lambda: ds.disposition_accept(disposition=disposition, actor=world.ao, now=world.now),
            lambda: ds.disposition_return(
                disposition=disposition,
                actor=actor_for_user(colleague_opd),
                reason="Bukan tupoksi kami.",
                now=world.now,
            ),
        ],
    )

    assert sorted(o[0] for o in outcomes) == ["ok", "refused"]
    refused = next(o[1] for o in outcomes if o[0] == "refused")
    assert refused.code == "invalid_status"
    disposition.refresh_from_db()
    winner = DispositionStatus.ACCEPTED if outcomes[0][0] == "ok" else DispositionStatus.RETURNED
    assert disposition.status == winner
    assert (
        Event.objects.filter(disposition=disposition, action__in=["accept", "return"]).count() == 1
    )
