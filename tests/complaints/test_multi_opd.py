"""The multi-OPD rule (complaints.workflow.derive_status), through the services with two OPDs."""

import pytest

from complaints.actors import reporter_actor
from complaints.models import Status
from complaints.services import complaint_object
from disposition import services as ds
from disposition.models import ClockKind, DispositionStatus, ResponseKind
from tests.builders import reach, respond
from tests.conftest import NOW
from tests.factories import OPDFactory


@pytest.fixture
def two_opds(world):
    """A verified report dispositioned to Dinkes (lead) and DPUPR."""
    complaint = reach(world, Status.VERIFIED)
    lead, other = ds.disposition_create(
        complaint=complaint,
        actor=world.ak,
        opds=[world.opd, world.other_opd],
        lead=world.opd,
        now=NOW,
    )
    return world, complaint, lead, other


def status_of(complaint):
    complaint.refresh_from_db()
    return complaint.status


def test_lead_responded_while_the_other_returned_it_is_responded(two_opds):
    world, complaint, lead, other = two_opds
    ds.disposition_accept(disposition=lead, actor=world.ao, now=NOW)
    respond(world, lead, ResponseKind.INITIAL)
    ds.disposition_return(
        disposition=other, actor=world.other_ao, reason="Bukan kewenangan DPUPR.", now=NOW
    )

    assert status_of(complaint) == Status.RESPONDED
    other.refresh_from_db()
    assert other.status == DispositionStatus.RETURNED
    assert not other.clocks.filter(state__in=["running", "paused"]).exists()


def test_other_finished_while_the_lead_has_not_is_not_finished(two_opds):
    world, complaint, lead, other = two_opds
    ds.disposition_accept(disposition=other, actor=world.other_ao, now=NOW)
    respond(world, other, ResponseKind.INITIAL, actor=world.other_ao)
    respond(world, other, ResponseKind.FINAL, actor=world.other_ao)
    assert status_of(complaint) == Status.RESPONDED

    ds.disposition_accept(disposition=lead, actor=world.ao, now=NOW)
    respond(world, lead, ResponseKind.INITIAL)
    assert status_of(complaint) == Status.RESPONDED

    respond(world, lead, ResponseKind.FINAL)
    assert status_of(complaint) == Status.FINISHED
    assert complaint.clocks.get(kind=ClockKind.OBJECTION).state == "running"


def test_the_other_finished_and_the_lead_only_accepted_is_dispositioned_until_it_answers(
    two_opds,
):
    world, complaint, lead, other = two_opds
    ds.disposition_accept(disposition=lead, actor=world.ao, now=NOW)
    assert status_of(complaint) == Status.DISPOSITIONED


def test_a_returned_lead_sends_the_report_back_for_re_disposition(two_opds):
    world, complaint, lead, other = two_opds
    ds.disposition_accept(disposition=other, actor=world.other_ao, now=NOW)
    ds.disposition_return(disposition=lead, actor=world.ao, reason="Bukan tupoksi Dinkes.", now=NOW)
    assert status_of(complaint) == Status.RETURNED

    # Admin Kabupaten must choose a new lead.
    dispermades = OPDFactory(
        name="Dinas Pemberdayaan Masyarakat dan Desa", short_name="Dispermades"
    )
    ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[dispermades], lead=dispermades, now=NOW
    )
    assert status_of(complaint) == Status.DISPOSITIONED
    assert (
        complaint.dispositions.exclude(status="returned").filter(is_lead=True).get().opd
        == dispermades
    )


def test_an_objection_reopens_every_finished_disposition_with_a_new_resolution_clock(two_opds):
    world, complaint, lead, other = two_opds
    for disposition, actor in ((lead, world.ao), (other, world.other_ao)):
        ds.disposition_accept(disposition=disposition, actor=actor, now=NOW)
        respond(world, disposition, ResponseKind.INITIAL, actor=actor)
        respond(world, disposition, ResponseKind.FINAL, actor=actor)
    assert status_of(complaint) == Status.FINISHED

    complaint_object(
        complaint=complaint,
        actor=reporter_actor(complaint_id=complaint.pk),
        reason="Jalan belum diperbaiki.",
        now=NOW,
    )
    assert status_of(complaint) == Status.REOPENED
    lead.refresh_from_db()
    assert lead.status == DispositionStatus.RESPONDED
    assert lead.clocks.filter(kind=ClockKind.RESOLUTION, state="running").count() == 1

    # A follow-up keeps it reopened; only every final answer finishes it again.
    respond(world, lead, ResponseKind.FINAL)
    assert status_of(complaint) == Status.REOPENED
    respond(world, other, ResponseKind.FINAL, actor=world.other_ao)
    assert status_of(complaint) == Status.FINISHED
