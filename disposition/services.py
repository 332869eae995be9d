"""Dispositions and responses: routing a report to OPDs and the OPDs' answers.

Each disposition has its own status and clocks; the report's status follows from all of them
by ``complaints.workflow.derive_status``. Every service locks the report first, then the
disposition (the same order everywhere, so concurrent writers serialise instead of
deadlocking): of two admins accepting and returning the same disposition at once, exactly one
wins and the other gets a TransitionError saying what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from complaints.actors import Actor
from complaints.models import Complaint, Status
from complaints.services import (
    attachments_store,
    aware_now,
    check_scope,
    complaint_lock,
    complaint_transition,
    event_write,
    uploads_check,
)
from complaints.workflow import (
    COMPLAINT_TRANSITIONS,
    DISPOSITION_TRANSITIONS,
    HANDLING,
    Action,
    TransitionError,
    derive_status,
    find_transition,
)
from disposition import clocks
from disposition.models import (
    OPD,
    ClockKind,
    Disposition,
    DispositionStatus,
    Response,
    ResponseKind,
    Role,
    StaffRole,
    Visibility,
)

RESPONSE_MIN_LENGTH = 10


def _apply_derived_status(complaint: Complaint, actor: Actor, now: datetime) -> None:
    """Move the locked report to the status its dispositions imply, if it differs."""
    dispositions = list(complaint.dispositions.all())
    target = derive_status(complaint.status, dispositions)
    if target == complaint.status:
        return
    data = {}
    if target == Status.FINISHED:
        # The objection window opens when the last OPD has given its final answer.
        data["clocks"] = [
            clocks.clock_start(complaint=complaint, kind=ClockKind.OBJECTION, now=now)
        ]
    complaint_transition(
        complaint=complaint,
        action=Action.DISPOSITIONS_CHANGED,
        actor=actor,
        now=now,
        target=target,
        data=data,
        check_actor_scope=False,
    )


def disposition_create(
    *,
    complaint: Complaint,
    actor: Actor,
    opds: Sequence[OPD],
    lead: OPD | None,
    note: str = "",
    now: datetime | None = None,
) -> list[Disposition]:
    """Admin Kabupaten routes a verified (or returned) report to one or more OPDs.

    Exactly one live disposition leads. Adding OPDs to a report already being handled is
    allowed (without a new lead unless the old one was returned). Each disposition starts
    its initial-response and resolution clocks; the first disposition stops the
    verification clock.
    """
    now = aware_now(now)
    opds = list(dict.fromkeys(opds))
    if not opds:
        raise ValidationError({"opds": [gettext("Pilih minimal satu OPD.")]})
    if lead is not None and lead not in opds:
        raise ValidationError({"lead": [gettext("OPD utama harus salah satu OPD tujuan.")]})
    inactive = [o.short_name for o in opds if not o.is_active]
    if inactive:
        raise ValidationError(
            {"opds": [gettext("OPD tidak aktif: %(names)s.") % {"names": ", ".join(inactive)}]}
        )
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        find_transition(
            COMPLAINT_TRANSITIONS,
            action=Action.DISPOSITION,
            source=complaint.status,
            role=actor.role,
        )
        live = list(complaint.dispositions.exclude(status=DispositionStatus.RETURNED))
        already = {d.opd_id for d in live} & {o.pk for o in opds}
        if already:
            names = ", ".join(o.short_name for o in opds if o.pk in already)
            raise TransitionError(
                gettext("Laporan ini sudah didisposisikan ke %(names)s.") % {"names": names},
                code="already_dispositioned",
            )
        has_lead = any(d.is_lead for d in live)
        if has_lead and lead is not None:
            raise TransitionError(
                gettext("Laporan ini sudah memiliki OPD utama."), code="lead_exists"
            )
        if not has_lead and lead is None:
            raise ValidationError({"lead": [gettext("Pilih OPD utama.")]})

        clock_changes = []
        if complaint.status in (Status.VERIFIED, Status.RETURNED):
            stopped = clocks.clock_stop(complaint=complaint, kind=ClockKind.VERIFICATION, now=now)
            if stopped:
                clock_changes.append(stopped)
        created = []
        for opd in opds:
            disposition = Disposition.objects.create(
                complaint=complaint,
                opd=opd,
                is_lead=(opd == lead),
                created_by=actor.user,
                note=note.strip(),
                created_at=now,
            )
            created.append(disposition)
            started = [
                clocks.clock_start(
                    complaint=complaint,
                    disposition=disposition,
                    kind=ClockKind.INITIAL_RESPONSE,
                    now=now,
                ),
                clocks.clock_start(
                    complaint=complaint, disposition=disposition, kind=ClockKind.RESOLUTION, now=now
                ),
            ]
            event_write(
                complaint=complaint,
                action=Action.DISPOSITION,
                actor=actor,
                now=now,
                disposition=disposition,
                to_status=DispositionStatus.WAITING,
                reason=note.strip(),
                data={
                    "opd": opd.pk,
                    "opd_name": opd.short_name,
                    "is_lead": opd == lead,
                    "opd_has_admin": _opd_has_admin(opd),
                    "clocks": started,
                },
            )
        target = derive_status(
            complaint.status if complaint.status in HANDLING else Status.DISPOSITIONED,
            list(complaint.dispositions.all()),
        )
        complaint_transition(
            complaint=complaint,
            action=Action.DISPOSITION,
            actor=actor,
            now=now,
            target=target,
            data={
                "opds": [o.pk for o in opds],
                "lead": lead.pk if lead else None,
                "clocks": clock_changes,
            },
        )
    return created


def _opd_has_admin(opd: OPD) -> bool:
    return StaffRole.objects.filter(
        opd=opd, role=Role.ADMIN_OPD, is_active=True, user__is_active=True
    ).exists()


def _lock_disposition(disposition: Disposition | int) -> tuple[Complaint, Disposition]:
    pk = disposition.pk if isinstance(disposition, Disposition) else disposition
    complaint_id = Disposition.objects.values_list("complaint_id", flat=True).get(pk=pk)
    complaint = complaint_lock(complaint_id)
    return complaint, Disposition.objects.select_for_update().get(pk=pk)


def _move(complaint, disposition, *, action, actor, now, reason="", data=None, notify=False):
    """Take a disposition move from the table and record it; then re-derive the report."""
    row = find_transition(
        DISPOSITION_TRANSITIONS, action=action, source=disposition.status, role=actor.role
    )
    check_scope(complaint, actor, disposition=disposition)
    if complaint.status not in (*HANDLING, Status.RETURNED):
        raise TransitionError(
            gettext("Laporan berstatus “%(status)s”: disposisi tidak dapat diproses sekarang.")
            % {"status": Status(complaint.status).label},
            code="invalid_status",
        )
    old = disposition.status
    disposition.status = row.target
    stamp = {
        DispositionStatus.ACCEPTED: "accepted_at",
        DispositionStatus.RETURNED: "returned_at",
        DispositionStatus.RESPONDED: "responded_at",
        DispositionStatus.FINISHED: "finished_at",
    }[row.target]
    setattr(disposition, stamp, now)
    disposition.save()
    data = dict(data or {})
    if actor.role == Role.PEJABAT_PENGHUBUNG:
        data["in_place_of_admin_opd"] = True
    event_write(
        complaint=complaint,
        action=action,
        actor=actor,
        now=now,
        disposition=disposition,
        from_status=old,
        to_status=row.target,
        reason=reason,
        data=data,
        notify=notify,
    )
    _apply_derived_status(complaint, actor, now)
    return disposition


def disposition_accept(
    *, disposition: Disposition, actor: Actor, now: datetime | None = None
) -> Disposition:
    """The OPD accepts a disposition as within its duties."""
    now = aware_now(now)
    with transaction.atomic():
        complaint, disposition = _lock_disposition(disposition)
        return _move(complaint, disposition, action=Action.ACCEPT, actor=actor, now=now)


def disposition_return(
    *, disposition: Disposition, actor: Actor, reason: str, now: datetime | None = None
) -> Disposition:
    """The OPD returns a misrouted disposition (not its tupoksi), with a required reason."""
    now = aware_now(now)
    if not (reason or "").strip():
        raise ValidationError({"reason": [gettext("Alasan pengembalian wajib diisi.")]})
    with transaction.atomic():
        complaint, disposition = _lock_disposition(disposition)
        disposition.return_reason = reason.strip()
        cancelled = clocks.clocks_cancel(complaint=complaint, disposition=disposition, now=now)
        return _move(
            complaint,
            disposition,
            action=Action.RETURN,
            actor=actor,
            now=now,
            reason=reason.strip(),
            data={"clocks": cancelled},
        )


def disposition_assign(
    *, disposition: Disposition, actor: Actor, assignee, now: datetime | None = None
) -> Disposition:
    """Assign a disposition to an Admin OPD of the same OPD or one of its sub-units."""
    now = aware_now(now)
    with transaction.atomic():
        complaint, disposition = _lock_disposition(disposition)
        if actor.role not in (Role.ADMIN_OPD, Role.PEJABAT_PENGHUBUNG, Role.ADMIN_KABUPATEN):
            raise TransitionError(
                gettext("Peran Anda tidak dapat menugaskan disposisi."), code="forbidden_role"
            )
        check_scope(complaint, actor, disposition=disposition)
        if disposition.status in (DispositionStatus.RETURNED, DispositionStatus.FINISHED):
            raise TransitionError(
                gettext("Disposisi ini sudah tidak berjalan."), code="invalid_status"
            )
        role = (
            StaffRole.objects.filter(user=assignee, is_active=True, role=Role.ADMIN_OPD)
            .select_related("opd")
            .first()
        )
        if (
            role is None
            or not assignee.is_active
            or (role.opd_id != disposition.opd_id and role.opd.parent_id != disposition.opd_id)
        ):
            raise ValidationError(
                {"assignee": [gettext("Petugas bukan Admin OPD aktif pada OPD ini.")]}
            )
        previous = disposition.assigned_to_id
        disposition.assigned_to = assignee
        disposition.save(update_fields=["assigned_to"])
        event_write(
            complaint=complaint,
            action=Action.ASSIGN,
            actor=actor,
            now=now,
            disposition=disposition,
            data={"from_user": previous, "to_user": assignee.pk},
        )
    return disposition


def response_add(
    *,
    disposition: Disposition,
    actor: Actor,
    kind: str,
    text: str,
    visibility: str | None = None,
    attachments: Sequence = (),
    now: datetime | None = None,
) -> Response:
    """An OPD posts its initial response, a follow-up, the final follow-up or an internal note.

    The initial response and the final follow-up move the disposition (and may move the
    report); a follow-up needs the initial response first; a note is never shown to the
    reporter. Responses are never edited. By default a response to a rahasia report is for
    the reporter only, otherwise public.
    """
    now = aware_now(now)
    if kind not in ResponseKind.values:
        raise ValidationError({"kind": [gettext("Jenis tanggapan tidak dikenal.")]})
    errors = {}
    if len((text or "").strip()) < RESPONSE_MIN_LENGTH:
        errors["text"] = [
            gettext("Tanggapan minimal %(min)d karakter.") % {"min": RESPONSE_MIN_LENGTH}
        ]
    checked = uploads_check(list(attachments), errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint, disposition = _lock_disposition(disposition)
        if kind == ResponseKind.NOTE:
            visibility = Visibility.INTERNAL
        elif visibility is None:
            visibility = Visibility.REPORTER if complaint.is_secret else Visibility.PUBLIC
        elif visibility == Visibility.INTERNAL or (
            complaint.is_secret and visibility == Visibility.PUBLIC
        ):
            raise ValidationError(
                {"visibility": [gettext("Visibilitas tidak sesuai untuk tanggapan ini.")]}
            )

        clock_changes = []
        if kind == ResponseKind.INITIAL:
            clock_changes.append(
                clocks.clock_stop(
                    complaint=complaint,
                    disposition=disposition,
                    kind=ClockKind.INITIAL_RESPONSE,
                    now=now,
                )
            )
            action = Action.RESPOND_INITIAL
        elif kind == ResponseKind.FINAL:
            clock_changes.append(
                clocks.clock_stop(
                    complaint=complaint, disposition=disposition, kind=ClockKind.RESOLUTION, now=now
                )
            )
            action = Action.RESPOND_FINAL
        else:
            action = Action.FOLLOW_UP if kind == ResponseKind.PROGRESS else Action.NOTE
            _check_response_allowed(complaint, disposition, actor, kind)

        response = Response.objects.create(
            complaint=complaint,
            disposition=disposition,
            kind=kind,
            text=text.strip(),
            visibility=visibility,
            author=actor.user,
            opd=disposition.opd,
            created_at=now,
        )
        attachments_store(complaint, checked, now, response=response)
        data = {
            "response": response.pk,
            "kind": kind,
            "visibility": visibility,
            "clocks": [c for c in clock_changes if c],
        }
        if action in (Action.RESPOND_INITIAL, Action.RESPOND_FINAL):
            # The reporter hears of every answer meant for them, also when the report's
            # status does not change (a second OPD's answer).
            _move(
                complaint,
                disposition,
                action=action,
                actor=actor,
                now=now,
                data=data,
                notify=visibility != Visibility.INTERNAL,
            )
        else:
            if actor.role == Role.PEJABAT_PENGHUBUNG:
                data["in_place_of_admin_opd"] = True
            event_write(
                complaint=complaint,
                action=action,
                actor=actor,
                now=now,
                disposition=disposition,
                data=data,
                notify=visibility != Visibility.INTERNAL,
            )
    return response


def _check_response_allowed(complaint, disposition, actor, kind):
    if actor.role not in (Role.ADMIN_OPD, Role.PEJABAT_PENGHUBUNG):
        raise TransitionError(
            gettext("Hanya OPD yang menangani yang dapat menanggapi."), code="forbidden_role"
        )
    check_scope(complaint, actor, disposition=disposition)
    if disposition.status == DispositionStatus.RETURNED:
        raise TransitionError(gettext("Disposisi ini sudah dikembalikan."), code="invalid_status")
    if kind == ResponseKind.PROGRESS and disposition.status != DispositionStatus.RESPONDED:
        raise TransitionError(
            gettext(
                "Tindak lanjut hanya dapat dikirim setelah tanggapan awal dan sebelum tindak "
                "lanjut akhir."
            ),
            code="invalid_status",
        )
