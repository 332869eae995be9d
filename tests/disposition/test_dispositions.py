"""Assignment inside an OPD, follow-ups, internal notes and disposition input rules."""

import pytest
from django.core.exceptions import ValidationError

from complaints.models import Event, OutboxState, Status
from complaints.workflow import TransitionError
from disposition import services as ds
from disposition.models import ResponseKind, Role, Visibility
from tests.builders import lead_disposition, reach, respond
from tests.conftest import NOW
from tests.factories import OPDFactory, StaffRoleFactory


@pytest.fixture
def disposition(world):
    return lead_disposition(reach(world, Status.DISPOSITIONED))


def test_an_admin_assigns_a_colleague_of_the_same_opd(world, disposition, colleague_opd):
    ds.disposition_assign(disposition=disposition, actor=world.ao, assignee=colleague_opd, now=NOW)
    disposition.refresh_from_db()
    assert disposition.assigned_to == colleague_opd
    event = Event.objects.get(disposition=disposition, action="assign")
    assert event.data == {"from_user": None, "to_user": colleague_opd.pk}


def test_an_admin_of_a_sub_unit_can_be_assigned(world, disposition):
    sub_unit = OPDFactory(name="UPTD Puskesmas Mejobo", short_name="PKM Mejobo", parent=world.opd)
    puskesmas = StaffRoleFactory(user__username="admin.pkm", role=Role.ADMIN_OPD, opd=sub_unit).user
    ds.disposition_assign(disposition=disposition, actor=world.ao, assignee=puskesmas, now=NOW)
    disposition.refresh_from_db()
    assert disposition.assigned_to == puskesmas


def test_nobody_outside_the_opd_can_be_assigned(world, disposition, citizen):
    for outsider in (world.other_opd_admin, citizen, world.pejabat_penghubung):
        with pytest.raises(ValidationError) as excinfo:
            ds.disposition_assign(
                disposition=disposition, actor=world.ao, assignee=outsider, now=NOW
            )
        assert excinfo.value.message_dict["assignee"] == [
            "Petugas bukan Admin OPD aktif pada OPD ini."
        ]
    disposition.refresh_from_db()
    assert disposition.assigned_to is None


def test_another_opds_admin_cannot_assign(world, disposition, colleague_opd):
    with pytest.raises(TransitionError) as excinfo:
        ds.disposition_assign(
            disposition=disposition, actor=world.other_ao, assignee=colleague_opd, now=NOW
        )
    assert excinfo.value.code == "out_of_scope"


def test_a_follow_up_needs_the_initial_response_first(world, disposition):
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    with pytest.raises(TransitionError) as excinfo:
        respond(world, disposition, ResponseKind.PROGRESS)
    assert excinfo.value.code == "invalid_status"

    respond(world, disposition, ResponseKind.INITIAL)
    response = respond(world, disposition, ResponseKind.PROGRESS)
    assert response.visibility == Visibility.PUBLIC
    event = Event.objects.get(disposition=disposition, action="follow_up")
    assert event.notify_state == OutboxState.PENDING


def test_an_internal_note_is_internal_and_tells_nobody(world, disposition):
    note = respond(world, disposition, ResponseKind.NOTE, text="Koordinasi dengan Puskesmas.")
    assert note.visibility == Visibility.INTERNAL
    event = Event.objects.get(disposition=disposition, action="note")
    assert event.notify_state == OutboxState.NONE


def test_responses_to_a_rahasia_report_are_for_the_reporter_only(world):
    disposition = lead_disposition(reach(world, Status.DISPOSITIONED, is_secret=True))
    ds.disposition_accept(disposition=disposition, actor=world.ao, now=NOW)
    assert respond(world, disposition, ResponseKind.INITIAL).visibility == Visibility.REPORTER
    with pytest.raises(ValidationError):
        ds.response_add(
            disposition=disposition,
            actor=world.ao,
            kind=ResponseKind.PROGRESS,
            text="Jawaban untuk umum.",
            visibility=Visibility.PUBLIC,
            now=NOW,
        )


def test_a_too_short_response_is_refused(world, disposition):
    with pytest.raises(ValidationError) as excinfo:
        ds.response_add(
            disposition=disposition, actor=world.ao, kind=ResponseKind.NOTE, text="ok", now=NOW
        )
    assert "text" in excinfo.value.message_dict


def test_a_return_needs_a_reason(world, disposition):
    with pytest.raises(ValidationError):
        ds.disposition_return(disposition=disposition, actor=world.ao, reason=" ", now=NOW)


def test_dispositioning_needs_a_lead_among_the_opds_and_active_opds(world):
    complaint = reach(world, Status.VERIFIED)
    with pytest.raises(ValidationError) as excinfo:
        ds.disposition_create(
            complaint=complaint, actor=world.ak, opds=[world.opd], lead=None, now=NOW
        )
    assert excinfo.value.message_dict["lead"] == ["Pilih OPD utama."]
    with pytest.raises(ValidationError):
        ds.disposition_create(
            complaint=complaint, actor=world.ak, opds=[world.opd], lead=world.other_opd, now=NOW
        )
    world.other_opd.is_active = False
    world.other_opd.save()
    with pytest.raises(ValidationError) as excinfo:
        ds.disposition_create(
            complaint=complaint,
            actor=world.ak,
            opds=[world.other_opd],
            lead=world.other_opd,
            now=NOW,
        )
    assert excinfo.value.message_dict["opds"] == ["OPD tidak aktif: DPUPR."]
    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED


def test_the_disposition_event_says_whether_the_opd_has_an_admin(world):
    complaint = reach(world, Status.VERIFIED)
    nobody_home = OPDFactory(name="Dinas Arsip dan Perpustakaan", short_name="Disarpus")
    ds.disposition_create(
        complaint=complaint, actor=world.ak, opds=[world.opd, nobody_home], lead=world.opd, now=NOW
    )
    flags = {
        e.data["opd_name"]: e.data["opd_has_admin"]
        for e in Event.objects.filter(
            complaint=complaint, action="disposition", disposition__isnull=False
        )
    }
    assert flags == {"Dinkes": True, "Disarpus": False}


def test_the_same_opd_cannot_be_dispositioned_twice(world):
    complaint = reach(world, Status.DISPOSITIONED)
    with pytest.raises(TransitionError) as excinfo:
        ds.disposition_create(
            complaint=complaint, actor=world.ak, opds=[world.opd], lead=None, now=NOW
        )
    assert excinfo.value.code == "already_dispositioned"
