"""The transition table, exhaustively: every allowed move works and writes its event; every
move from a wrong status, by a wrong role or on another OPD's report is refused and changes
nothing."""

from __future__ import annotations

import pytest

from complaints import services as cs
from complaints.actors import LAPOR, SYSTEM, Actor, reporter_actor
from complaints.models import Complaint, Event, Status
from complaints.workflow import (
    COMPLAINT_TRANSITIONS,
    DISPOSITION_TRANSITIONS,
    Action,
    TransitionError,
)
from disposition import services as ds
from disposition.models import Disposition, DispositionStatus, ResponseKind, Role, StaffRole
from tests.builders import World, lead_disposition, reach, submit


def actor_in_role(world: World, role: Role, complaint: Complaint | None) -> Actor:
    """An actor of ``role`` *in scope* for ``complaint`` (its reporter, its lead OPD)."""
    if role == Role.ADMIN_KABUPATEN:
        return world.ak
    if role == Role.ADMIN_OPD:
        return world.ao
    if role == Role.PEJABAT_PENGHUBUNG:
        # A Pejabat Penghubung does the Admin OPD's work only while the OPD has none.
        StaffRole.objects.filter(opd=world.opd, role=Role.ADMIN_OPD).update(is_active=False)
        return world.pp
    if role == Role.REPORTER:
        return reporter_actor(complaint_id=complaint.pk if complaint else None)
    if role == Role.SYSTEM:
        return SYSTEM
    return LAPOR


# --- How to take each move ----------------------------------------------------------------


def do_complaint_action(world: World, action: str, complaint: Complaint, actor: Actor, source: str):
    now = world.now
    if action == Action.VERIFY:
        return cs.complaint_verify(
            complaint=complaint,
            actor=actor,
            classification=world.classification,
            category=world.category,
            public_title="Judul netral",
            public_text="Teks publik tanpa data pribadi.",
            is_secret=False,
            is_anonymous=False,
            now=now,
        )
    if action == Action.REQUEST_INFO:
        return cs.complaint_request_info(
            complaint=complaint, actor=actor, question="Mohon lengkapi alamat.", now=now
        )
    if action == Action.PROVIDE_INFO:
        return cs.complaint_provide_info(
            complaint=complaint, actor=actor, text="Alamatnya Jl. Kudus-Pati km 3.", now=now
        )
    if action == Action.ARCHIVE:
        return cs.complaint_archive(complaint=complaint, actor=actor, reason="incomplete", now=now)
    if action == Action.MARK_DUPLICATE:
        original = reach(world, Status.VERIFIED)
        return cs.complaint_mark_duplicate(
            complaint=complaint, actor=actor, original=original, now=now
        )
    if action == Action.DISPOSITION:
        has_lead = (
            complaint.dispositions.filter(is_lead=True)
            .exclude(status=DispositionStatus.RETURNED)
            .exists()
        )
        return ds.disposition_create(
            complaint=complaint,
            actor=actor,
            opds=[world.other_opd],
            lead=None if has_lead else world.other_opd,
            now=now,
        )
    if action == Action.OBJECT:
        return cs.complaint_object(
            complaint=complaint, actor=actor, reason="Belum diperbaiki.", now=now
        )
    if action == Action.CLOSE:
        return cs.complaint_close(complaint=complaint, actor=actor, now=now)
    if action == Action.ESCALATE:
        return cs.complaint_escalate(
            complaint=complaint,
            actor=actor,
            institution=world.institution,
            reason="Jalan provinsi.",
            now=now,
        )
    raise AssertionError(f"no invoker for {action}")


def do_disposition_action(world: World, action: str, disposition: Disposition, actor: Actor):
    now = world.now
    if action == Action.ACCEPT:
        return ds.disposition_accept(disposition=disposition, actor=actor, now=now)
    if action == Action.RETURN:
        return ds.disposition_return(
            disposition=disposition, actor=actor, reason="Bukan tupoksi kami.", now=now
        )
    if action == Action.RESPOND_INITIAL:
        return ds.response_add(
            disposition=disposition,
            actor=actor,
            kind=ResponseKind.INITIAL,
            text="Kami akan meninjau lokasi.",
            now=now,
        )
    if action == Action.RESPOND_FINAL:
        return ds.response_add(
            disposition=disposition,
            actor=actor,
            kind=ResponseKind.FINAL,
            text="Jalan sudah diperbaiki hari ini.",
            now=now,
        )
    raise AssertionError(f"no invoker for {action}")


# Moves that are not taken by a service of their own: the report's derived status (tested
# through the disposition moves), creation (tested in test_services) and moves whose service
# has a fixed actor (LAPOR!; the reopening of dispositions by an objection).
NOT_DIRECT = {
    Action.DISPOSITIONS_CHANGED,
    Action.SUBMIT,
    Action.RECEIVE_FROM_LAPOR,
    Action.LAPOR_STATUS,
    Action.REOPEN_DISPOSITION,
}

COMPLAINT_CASES = sorted(
    {
        (t.action, source, role)
        for t in COMPLAINT_TRANSITIONS
        if t.action not in NOT_DIRECT
        for source in t.source
        for role in t.roles
    }
)
DISPOSITION_SOURCE_STATUS = {
    DispositionStatus.WAITING: Status.DISPOSITIONED,
    DispositionStatus.ACCEPTED: Status.DISPOSITIONED,
    DispositionStatus.RESPONDED: Status.RESPONDED,
}
DISPOSITION_CASES = sorted(
    {
        (t.action, source, role)
        for t in DISPOSITION_TRANSITIONS
        if t.action not in NOT_DIRECT
        for source in t.source
        for role in t.roles
    }
)


def disposition_in(world: World, status: str) -> Disposition:
    complaint = reach(world, DISPOSITION_SOURCE_STATUS[status])
    disposition = lead_disposition(complaint)
    if status == DispositionStatus.ACCEPTED:
        ds.disposition_accept(disposition=disposition, actor=world.ao, now=world.now)
    disposition.refresh_from_db()
    assert disposition.status == status
    return disposition


@pytest.mark.parametrize(("action", "source", "role"), COMPLAINT_CASES)
def test_every_allowed_complaint_move_works_and_is_recorded(world, action, source, role):
    complaint = reach(world, source)
    actor = actor_in_role(world, role, complaint)
    before = Event.objects.filter(complaint=complaint).count()

    do_complaint_action(world, action, complaint, actor, source)

    complaint.refresh_from_db()
    event = Event.objects.filter(complaint=complaint, action=action).latest("id")
    assert event.from_status == source
    assert event.to_status == complaint.status
    assert event.actor_role == role
    assert Event.objects.filter(complaint=complaint).count() > before
    row = next(
        t
        for t in COMPLAINT_TRANSITIONS
        if t.action == action and source in t.source and role in t.roles
    )
    if row.target is not None:
        assert complaint.status == row.target


@pytest.mark.parametrize(("action", "source", "role"), DISPOSITION_CASES)
def test_every_allowed_disposition_move_works_and_is_recorded(world, action, source, role):
    disposition = disposition_in(world, source)
    actor = actor_in_role(world, role, disposition.complaint)

    do_disposition_action(world, action, disposition, actor)

    disposition.refresh_from_db()
    row = next(t for t in DISPOSITION_TRANSITIONS if t.action == action and source in t.source)
    assert disposition.status == row.target
    event = Event.objects.filter(disposition=disposition, action=action).latest("id")
    assert (event.from_status, event.to_status, event.actor_role) == (source, row.target, role)
    if role == Role.PEJABAT_PENGHUBUNG:
        assert event.data["in_place_of_admin_opd"] is True


ALL_STATUSES = [s for s in Status.values]
DIRECT_ACTIONS = sorted({t.action for t in COMPLAINT_TRANSITIONS} - NOT_DIRECT)


def _forbidden_status_cases():
    for action in DIRECT_ACTIONS:
        allowed = set().union(*(t.source for t in COMPLAINT_TRANSITIONS if t.action == action))
        for status in ALL_STATUSES:
            if status not in allowed:
                yield action, status


def _snapshot(complaint: Complaint):
    complaint.refresh_from_db()
    return (
        complaint.status,
        Event.objects.filter(complaint=complaint).count(),
        list(complaint.dispositions.values_list("status", flat=True)),
        list(complaint.clocks.values_list("state", "due_at")),
    )


@pytest.mark.parametrize(("action", "status"), sorted(_forbidden_status_cases()))
def test_a_move_from_a_wrong_status_is_refused_and_changes_nothing(world, action, status):
    complaint = reach(world, status)
    roles = set().union(*(t.roles for t in COMPLAINT_TRANSITIONS if t.action == action))
    role = Role.ADMIN_KABUPATEN if Role.ADMIN_KABUPATEN in roles else sorted(roles)[0]
    actor = actor_in_role(world, role, complaint)
    before = _snapshot(complaint)

    with pytest.raises(TransitionError) as excinfo:
        do_complaint_action(world, action, complaint, actor, status)

    assert excinfo.value.code == "invalid_status"
    assert _snapshot(complaint) == before


def _forbidden_role_cases():
    every_role = [
        Role.ADMIN_KABUPATEN,
        Role.ADMIN_OPD,
        Role.PEJABAT_PENGHUBUNG,
        Role.REPORTER,
        Role.SYSTEM,
        Role.LAPOR,
    ]
    for action, source, _role in COMPLAINT_CASES:
        allowed = set().union(
            *(t.roles for t in COMPLAINT_TRANSITIONS if t.action == action and source in t.source)
        )
        for role in every_role:
            if role not in allowed:
                yield action, source, role


@pytest.mark.parametrize(("action", "source", "role"), sorted(set(_forbidden_role_cases())))
def test_a_move_by_a_role_not_in_the_table_is_refused_and_changes_nothing(
    world, action, source, role
):
    complaint = reach(world, source)
    actor = actor_in_role(world, role, complaint)
    before = _snapshot(complaint)

    with pytest.raises(TransitionError) as excinfo:
        do_complaint_action(world, action, complaint, actor, source)

    assert excinfo.value.code == "forbidden_role"
    assert _snapshot(complaint) == before


def _forbidden_disposition_role_cases():
    for action, source, _role in DISPOSITION_CASES:
        allowed = set().union(
            *(t.roles for t in DISPOSITION_TRANSITIONS if t.action == action and source in t.source)
        )
        for role in (Role.ADMIN_KABUPATEN, Role.REPORTER, Role.SYSTEM, Role.LAPOR):
            if role not in allowed:
                yield action, source, role


@pytest.mark.parametrize(
    ("action", "source", "role"), sorted(set(_forbidden_disposition_role_cases()))
)
def test_a_disposition_move_by_a_wrong_role_is_refused(world, action, source, role):
    disposition = disposition_in(world, source)
    actor = actor_in_role(world, role, disposition.complaint)
    before = _snapshot(disposition.complaint)

    with pytest.raises(TransitionError) as excinfo:
        do_disposition_action(world, action, disposition, actor)

    assert excinfo.value.code == "forbidden_role"
    assert _snapshot(disposition.complaint) == before


@pytest.mark.parametrize(("action", "source", "_role"), DISPOSITION_CASES)
def test_another_opds_admin_cannot_move_a_disposition(world, action, source, _role):
    disposition = disposition_in(world, source)
    before = _snapshot(disposition.complaint)

    with pytest.raises(TransitionError) as excinfo:
        do_disposition_action(world, action, disposition, world.other_ao)

    assert excinfo.value.code == "out_of_scope"
    assert _snapshot(disposition.complaint) == before


def test_another_opds_admin_cannot_request_information(world):
    complaint = reach(world, Status.RESPONDED)
    with pytest.raises(TransitionError) as excinfo:
        cs.complaint_request_info(
            complaint=complaint, actor=world.other_ao, question="Alamat?", now=world.now
        )
    assert excinfo.value.code == "out_of_scope"


def test_another_reporter_cannot_object_to_a_report(world):
    complaint = reach(world, Status.FINISHED)
    someone_else, _ = submit(world)
    with pytest.raises(TransitionError) as excinfo:
        cs.complaint_object(
            complaint=complaint,
            actor=reporter_actor(complaint_id=someone_else.pk),
            reason="Tidak puas.",
            now=world.now,
        )
    assert excinfo.value.code == "out_of_scope"
    complaint.refresh_from_db()
    assert complaint.status == Status.FINISHED


def test_pejabat_penghubung_cannot_act_while_the_opd_has_an_admin(world):
    disposition = disposition_in(world, DispositionStatus.WAITING)
    with pytest.raises(TransitionError) as excinfo:
        ds.disposition_accept(disposition=disposition, actor=world.pp, now=world.now)
    assert excinfo.value.code == "pejabat_penghubung_not_in_place"
    disposition.refresh_from_db()
    assert disposition.status == DispositionStatus.WAITING


def test_the_error_message_is_indonesian_and_specific(world):
    complaint = reach(world, Status.ARCHIVED)
    with pytest.raises(TransitionError) as excinfo:
        do_complaint_action(world, Action.VERIFY, complaint, world.ak, Status.ARCHIVED)
    assert str(excinfo.value) == "Tindakan ini tidak dapat dilakukan pada status “Diarsipkan”."
