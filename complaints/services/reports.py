"""Every write to a report goes through these services (STYLE.md: services and selectors).

The heart is ``complaint_transition``: it checks a move against the table in
``complaints.workflow`` and the actor's scope, writes the new status and its event in the
caller's transaction, and schedules side effects on commit. The other services lock the
report first (``complaint_lock``), so two staff acting at once are serialised on the report's
row: the second sees the first one's result and gets a clear TransitionError instead of a lost
update.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import phonenumbers
from celery import current_app
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from stdnum.id import nik as stdnum_nik

from complaints.actors import Actor
from complaints.attachments import as_content_file, attachment_check
from complaints.models import (
    ActorType,
    ArchiveReason,
    Attachment,
    Category,
    Channel,
    Classification,
    Complaint,
    Desa,
    Event,
    Kecamatan,
    OutboxState,
    Priority,
    Reporter,
    Status,
)
from complaints.workflow import (
    COMPLAINT_TRANSITIONS,
    DISPOSITION_TRANSITIONS,
    Action,
    TransitionError,
    find_transition,
)
from disposition import clocks
from disposition.models import (
    ClockKind,
    Disposition,
    DispositionStatus,
    ExternalInstitution,
    Role,
    StaffRole,
)

__all__ = [
    "TEXT_MIN_LENGTH",
    "TEXT_MAX_LENGTH",
    "TITLE_MAX_LENGTH",
    "TRACKING_ALPHABET",
    "PUBLIC_LOCATION_PLACES",
    "NOTIFY_REPORTER_ACTIONS",
    "aware_now",
    "complaint_lock",
    "new_tracking_number",
    "new_access_code",
    "access_code_hash",
    "access_code_matches",
    "access_code_stash",
    "access_code_stashed",
    "access_code_forget",
    "ACCESS_CODE_STASH_SECONDS",
    "round_public_location",
    "normalise_phone",
    "normalise_nik",
    "event_write",
    "opd_has_active_admin",
    "check_scope",
    "complaint_transition",
    "uploads_check",
    "attachments_store",
    "complaint_submit",
    "complaint_receive_from_lapor",
    "complaint_verify",
    "complaint_set_flags",
    "complaint_request_info",
    "complaint_provide_info",
    "complaint_archive",
    "complaint_mark_duplicate",
    "complaint_object",
    "complaint_close",
    "complaint_escalate",
    "complaint_apply_lapor_status",
    "reporter_anonymise",
    "LAPOR_ID_MAX_LENGTH",
    "lapor_id_normalise",
    "complaint_link_lapor",
]

# How long a just-issued access code waits in the cache for the notification that carries it
# (the sweep runs every minute; hours cover a worker outage without keeping codes for days).
# Past that, the notification explains how to ask for a new code instead.
ACCESS_CODE_STASH_SECONDS = 6 * 3600
FIRST_TIME_STAMPS = frozenset({"verified_at", "dispositioned_at", "responded_at"})
TEXT_MIN_LENGTH = 20
TEXT_MAX_LENGTH = 5000
TITLE_MAX_LENGTH = 200
# Crockford's base32 without I, L, O, U: no letters a reader confuses with digits.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Public locations are rounded to 3 decimals of a degree: about 110 m at Kudus's latitude.
PUBLIC_LOCATION_PLACES = Decimal("0.001")

# Status changes a reporter is told about (notifications read the event log).
NOTIFY_REPORTER_ACTIONS = frozenset(
    {
        Action.SUBMIT,
        Action.VERIFY,
        Action.REQUEST_INFO,
        Action.ARCHIVE,
        Action.MARK_DUPLICATE,
        Action.DISPOSITION,
        Action.DISPOSITIONS_CHANGED,
        Action.OBJECT,
        Action.CLOSE,
        Action.ESCALATE,
        Action.LAPOR_STATUS,
    }
)


# --- Helpers ------------------------------------------------------------------------------


def aware_now(now: datetime | None) -> datetime:
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("Services take aware datetimes only.")
    return now


def complaint_lock(complaint: Complaint | int) -> Complaint:
    """The report's row, locked until the end of the caller's transaction.

    Every service that changes a report (or one of its dispositions) takes this lock first,
    so the lock order is always report → disposition and two writers cannot deadlock.
    """
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    return Complaint.objects.select_for_update().get(pk=pk)


def new_tracking_number() -> str:
    """A readable, random tracking number: KDS-4F7K-9M2Q (about 10¹² possibilities)."""
    from django.conf import settings

    chars = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"{settings.TRACKING_PREFIX}-{chars[:4]}-{chars[4:]}"


def new_access_code() -> str:
    """The reporter's secret for tracking without an account: 10 characters, 50 bits."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def access_code_hash(tracking_number: str, code: str) -> str:
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(f"{tracking_number}:{normalised}".encode()).hexdigest()


def access_code_matches(complaint: Complaint, code: str) -> bool:
    return secrets.compare_digest(
        complaint.access_code_hash, access_code_hash(complaint.tracking_number, code)
    )


def _stash_key(event: Event) -> str:
    # The tracking number too: event ids start again in a new database, a cache may not.
    return f"tracking:code-for-event:{event.complaint.tracking_number}:{event.pk}"


def access_code_stash(*, event: Event, access_code: str) -> None:
    """Keep ``access_code`` until the notification of ``event`` is sent (module docstring).

    Call inside the transaction that wrote the event: the sweep is enqueued on commit, so the
    code is in the cache before the notification can be sent.
    """
    cache.set(_stash_key(event), access_code, ACCESS_CODE_STASH_SECONDS)


def access_code_stashed(event: Event) -> str | None:
    """The code waiting for ``event``'s notification, or None (none, or expired)."""
    return cache.get(_stash_key(event))


def access_code_forget(event: Event) -> None:
    cache.delete(_stash_key(event))


def round_public_location(value: Decimal | float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(PUBLIC_LOCATION_PLACES, rounding=ROUND_HALF_UP)


def normalise_phone(raw: str) -> str:
    """08…, 62… or +62… (or any international number) as E.164, or ValidationError."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    candidate = raw
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.startswith("62") or (digits.startswith("62") and not raw.startswith(("0", "+"))):
        candidate = "+" + digits
    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(gettext("Nomor telepon tidak valid."), code="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(gettext("Nomor telepon tidak valid."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_nik(raw: str) -> str:
    raw = (raw or "").strip().replace(" ", "").replace(".", "")
    if not raw:
        return ""
    if not stdnum_nik.is_valid(raw):
        raise ValidationError(
            gettext(
                "NIK tidak valid: 16 angka sesuai KTP-el (kode wilayah, tanggal lahir, nomor urut)."
            ),
            code="nik",
        )
    return stdnum_nik.compact(raw)


def _actor_columns(actor: Actor) -> dict:
    if actor.role == Role.SYSTEM:
        actor_type = ActorType.SYSTEM
    elif actor.role == Role.LAPOR:
        actor_type = ActorType.LAPOR
    elif actor.role == Role.REPORTER:
        actor_type = ActorType.REPORTER
    else:
        actor_type = ActorType.USER
    return {
        "actor_type": actor_type,
        "actor": actor.user,
        "actor_role": actor.role.value,
        "actor_opd_id": actor.opd_id,
    }


def event_write(
    *,
    complaint: Complaint,
    action: str,
    actor: Actor,
    now: datetime,
    from_status: str = "",
    to_status: str = "",
    disposition: Disposition | None = None,
    reason: str = "",
    data: dict | None = None,
    notify: bool = False,
) -> Event:
    """Append one event. Call inside the transaction that made the change it records.

    Never put reporter identity in ``data``: anonymising erases the Reporter row, and the
    event log must not keep a copy.
    """
    event = Event.objects.create(
        complaint=complaint,
        disposition=disposition,
        action=action,
        from_status=from_status or "",
        to_status=to_status or "",
        reason=reason,
        data=data or {},
        created_at=now,
        notify_state=OutboxState.PENDING if notify else OutboxState.NONE,
        **_actor_columns(actor),
    )
    if notify:
        _schedule_event_processing()
    return event


def _send_process_pending_events() -> None:
    # By name: services sit below tasks and must not import them. The beat sweep catches any
    # event whose message is lost (a broker hiccup at commit time).
    current_app.send_task("complaints.tasks.process_pending_events")


def _schedule_event_processing() -> None:
    """Process the outbox once this transaction commits: one task per transaction, however
    many events it wrote (the task drains every pending event)."""
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _send_process_pending_events for _ids, callback, _robust in pending):
        transaction.on_commit(_send_process_pending_events, robust=True)


def opd_has_active_admin(opd_id: int) -> bool:
    return StaffRole.objects.filter(
        opd_id=opd_id, role=Role.ADMIN_OPD, is_active=True, user__is_active=True
    ).exists()


def check_scope(complaint: Complaint, actor: Actor, *, disposition: Disposition | None = None):
    """Raise TransitionError unless ``actor`` may act on this report (and disposition).

    The transition table says which *role* may take a move; this says which *reports*: an
    OPD role only those dispositioned to its OPD; a reporter only their own. A Pejabat
    Penghubung does the Admin OPD's work only while the OPD has no active Admin OPD.
    """
    out_of_scope = TransitionError(
        gettext("Laporan ini tidak berada dalam kewenangan Anda."), code="out_of_scope"
    )
    if actor.role in (Role.ADMIN_KABUPATEN, Role.SYSTEM, Role.LAPOR):
        return
    if actor.role == Role.REPORTER:
        if actor.complaint_id is not None and actor.complaint_id == complaint.pk:
            return
        if (
            actor.user_id is not None
            and Reporter.objects.filter(complaint=complaint, user_id=actor.user_id).exists()
        ):
            return
        raise out_of_scope
    if actor.is_opd_role:
        if disposition is not None:
            if disposition.opd_id != actor.opd_id or disposition.complaint_id != complaint.pk:
                raise out_of_scope
        elif (
            not complaint.dispositions.filter(opd_id=actor.opd_id)
            .exclude(status=DispositionStatus.RETURNED)
            .exists()
        ):
            raise out_of_scope
        if actor.role == Role.PEJABAT_PENGHUBUNG and opd_has_active_admin(actor.opd_id):
            raise TransitionError(
                gettext(
                    "OPD ini memiliki Admin OPD aktif: Pejabat Penghubung hanya dapat bertindak "
                    "bila OPD belum memiliki Admin OPD."
                ),
                code="pejabat_penghubung_not_in_place",
            )
        return
    raise out_of_scope


def complaint_transition(
    *,
    complaint: Complaint,
    action: str,
    actor: Actor,
    now: datetime,
    target: str | None = None,
    reason: str = "",
    data: dict | None = None,
    disposition: Disposition | None = None,
    check_actor_scope: bool = True,
) -> Event:
    """Move a locked report to its next status and record the move.

    ``complaint`` must have been locked by the caller (``complaint_lock``) inside the current
    transaction. ``target`` is required for table rows whose target is derived (None).
    Raises TransitionError — and changes nothing — when the move, the role or the scope is
    wrong. Sets the status's timestamp and writes the event; notifications are scheduled on
    commit.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("complaint_transition must run inside the caller's transaction.")
    row = find_transition(
        COMPLAINT_TRANSITIONS,
        action=action,
        source=complaint.status,
        role=actor.role,
        target=target,
    )
    if check_actor_scope:
        check_scope(complaint, actor, disposition=disposition)
    new_status = row.target if row.target is not None else target
    if new_status is None:
        raise ValueError(f"{action} needs an explicit target status.")
    old_status = complaint.status
    complaint.status = new_status
    stamp = {
        Status.VERIFIED: "verified_at",
        Status.DISPOSITIONED: "dispositioned_at",
        Status.RESPONDED: "responded_at",
        Status.FINISHED: "finished_at",
        Status.REOPENED: "reopened_at",
        Status.CLOSED: "closed_at",
        Status.ARCHIVED: "archived_at",
        Status.ESCALATED: "escalated_at",
    }.get(new_status)
    update_fields = ["status", "updated_at"]
    # The first time counts for verification, disposition and the first answer (the
    # evaluation measures time to each); the others record the latest.
    if stamp and not (stamp in FIRST_TIME_STAMPS and getattr(complaint, stamp)):
        setattr(complaint, stamp, now)
        update_fields.append(stamp)
    complaint.save(update_fields=update_fields)
    return event_write(
        complaint=complaint,
        action=action,
        actor=actor,
        now=now,
        from_status=old_status,
        to_status=new_status,
        disposition=disposition,
        reason=reason,
        data=data,
        # A disposition is also news for the OPD it goes to, even when the report's status
        # stays (an OPD added to a report being handled).
        notify=(action in NOTIFY_REPORTER_ACTIONS and new_status != old_status)
        or action == Action.DISPOSITION,
    )


# --- Intake -------------------------------------------------------------------------------


def _validated_identity(*, name, nik, phone, email, is_anonymous) -> dict:
    errors: dict[str, list] = {}
    identity = {"name": (name or "").strip()[:150], "nik": "", "phone": "", "email": ""}
    try:
        identity["nik"] = normalise_nik(nik)
    except ValidationError as exc:
        errors["reporter_nik"] = exc.messages
    try:
        identity["phone"] = normalise_phone(phone)
    except ValidationError as exc:
        errors["reporter_phone"] = exc.messages
    email = (email or "").strip().lower()
    if len(email) > 254:  # RFC 5321's limit, and the column's
        errors["reporter_email"] = [gettext("Alamat e-mail terlalu panjang.")]
    elif email:
        try:
            validate_email(email)
            identity["email"] = email
        except ValidationError:
            errors["reporter_email"] = [gettext("Alamat e-mail tidak valid.")]
    return identity, errors


def _validated_text(title: str, text: str) -> dict:
    errors = {}
    text = (text or "").strip()
    if len(text) < TEXT_MIN_LENGTH:
        errors["text"] = [
            gettext("Isi laporan minimal %(min)d karakter.") % {"min": TEXT_MIN_LENGTH}
        ]
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [
            gettext("Isi laporan maksimal %(max)d karakter.") % {"max": TEXT_MAX_LENGTH}
        ]
    if len((title or "").strip()) > TITLE_MAX_LENGTH:
        errors["title"] = [gettext("Judul maksimal %(max)d karakter.") % {"max": TITLE_MAX_LENGTH}]
    return errors


def uploads_check(uploads: Sequence, errors: dict):
    from django.conf import settings

    checked = []
    if len(uploads) > settings.ATTACHMENT_MAX_COUNT:
        errors.setdefault("attachments", []).append(
            gettext("Lampiran maksimal %(count)d berkas.")
            % {"count": settings.ATTACHMENT_MAX_COUNT}
        )
        return checked
    for upload in uploads:
        try:
            checked.append(attachment_check(upload))
        except ValidationError as exc:
            errors.setdefault("attachments", []).extend(exc.messages)
    return checked


def attachments_store(complaint: Complaint, checked_files, now: datetime, response=None):
    for checked in checked_files:
        attachment = Attachment(
            complaint=complaint,
            response=response,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            created_at=now,
        )
        attachment.file.save(checked.name, as_content_file(checked), save=False)
        attachment.save()


def complaint_submit(
    *,
    actor: Actor,
    channel: str,
    text: str,
    title: str = "",
    classification: Classification | None = None,
    category: Category | None = None,
    kecamatan: Kecamatan | None = None,
    desa: Desa | None = None,
    address: str = "",
    lat: Decimal | float | None = None,
    lng: Decimal | float | None = None,
    incident_date: date | None = None,
    is_secret: bool = False,
    is_anonymous: bool = False,
    priority: str = Priority.NORMAL,
    reporter_name: str = "",
    reporter_nik: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_user=None,
    attachments: Sequence = (),
    now: datetime | None = None,
) -> tuple[Complaint, str]:
    """File a new report; returns it with its access code (shown to the reporter once).

    Everything is validated before anything is written: on a ValidationError (a dict of
    field → Indonesian messages) nothing is saved. Starts the verification clock.
    """
    now = aware_now(now)
    if channel not in Channel.values or channel == Channel.LAPOR:
        raise ValueError(
            f"Unknown intake channel {channel!r}; LAPOR! reports use complaint_receive_from_lapor."
        )
    errors = _validated_text(title, text)
    identity, identity_errors = _validated_identity(
        name=reporter_name,
        nik=reporter_nik,
        phone=reporter_phone,
        email=reporter_email,
        is_anonymous=is_anonymous,
    )
    errors.update(identity_errors)
    if desa is not None and kecamatan is not None and desa.kecamatan_id != kecamatan.pk:
        errors["desa"] = [gettext("Desa/kelurahan tidak berada di kecamatan yang dipilih.")]
    if (lat is None) != (lng is None):
        errors["lat"] = [gettext("Titik lokasi memerlukan lintang dan bujur.")]
    elif lat is not None and not (-90 <= float(lat) <= 90 and -180 <= float(lng) <= 180):
        errors["lat"] = [gettext("Titik lokasi tidak valid.")]
    if incident_date is not None and incident_date > timezone.localdate(now):
        errors["incident_date"] = [gettext("Tanggal kejadian tidak boleh di masa depan.")]
    if priority not in Priority.values:
        errors["priority"] = [gettext("Prioritas tidak dikenal.")]
    checked_files = uploads_check(list(attachments), errors)
    if errors:
        raise ValidationError(errors)

    if desa is not None and kecamatan is None:
        kecamatan = desa.kecamatan
    access_code = new_access_code()
    with transaction.atomic():
        complaint = _create_with_unique_tracking_number(
            access_code=access_code,
            channel=channel,
            classification=classification,
            category=category,
            title=(title or "").strip(),
            text=text.strip(),
            kecamatan=kecamatan,
            desa=desa,
            address=(address or "").strip()[:255],
            lat=lat,
            lng=lng,
            incident_date=incident_date,
            is_secret=is_secret,
            is_anonymous=is_anonymous,
            priority=priority,
            status=Status.RECEIVED,
            submitted_by=actor.user if actor.is_staff_role else None,
            created_at=now,
        )
        Reporter.objects.create(complaint=complaint, user=reporter_user, **identity)
        attachments_store(complaint, checked_files, now)
        clock = clocks.clock_start(complaint=complaint, kind=ClockKind.VERIFICATION, now=now)
        # A new report has no "from" status: the table's source is None.
        complaint.status = None
        event = complaint_transition(
            complaint=complaint,
            action=Action.SUBMIT,
            actor=actor,
            now=now,
            data={"channel": channel, "attachments": len(checked_files), "clocks": [clock]},
            check_actor_scope=False,
        )
        # The confirmation e-mail/SMS carries the code; the event never does.
        access_code_stash(event=event, access_code=access_code)
    return complaint, access_code


def _create_with_unique_tracking_number(*, access_code: str, **fields) -> Complaint:
    # 10¹² numbers make a collision unlikely, not impossible: retry inside a savepoint.
    for _attempt in range(5):
        number = new_tracking_number()
        try:
            with transaction.atomic():
                return Complaint.objects.create(
                    tracking_number=number,
                    access_code_hash=access_code_hash(number, access_code),
                    **fields,
                )
        except IntegrityError:
            if Complaint.objects.filter(tracking_number=number).exists():
                continue
            raise
    raise RuntimeError("Could not allocate a unique tracking number.")


def complaint_receive_from_lapor(
    *,
    lapor_id: str,
    title: str,
    text: str,
    dispositioned_at: datetime,
    classification: Classification | None = None,
    category: Category | None = None,
    is_secret: bool = False,
    is_anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    address: str = "",
    lat=None,
    lng=None,
    incident_date: date | None = None,
    created_at: datetime | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Create a report that Admin Nasional verified and forwarded to Kudus on LAPOR!.

    It arrives verified, ready for disposition. Its verification clock is LAPOR!'s: it
    starts at LAPOR!'s disposition time, not at our pull. Idempotency on ``lapor_id`` is the
    caller's (the sync looks the id up first; the unique constraint backs it).
    """
    now = aware_now(now)
    identity = {"name": (reporter_name or "")[:150], "nik": "", "email": "", "phone": ""}
    if not is_anonymous:
        try:
            identity["phone"] = normalise_phone(reporter_phone)
        except ValidationError:
            identity["phone"] = ""  # LAPOR!'s data is kept as far as it is valid
        identity["email"] = (reporter_email or "").strip().lower()[:254]
    else:
        identity["name"] = ""
    with transaction.atomic():
        complaint = _create_with_unique_tracking_number(
            access_code=new_access_code(),
            channel=Channel.LAPOR,
            lapor_id=lapor_id,
            classification=classification,
            category=category,
            title=(title or "")[:200],
            text=text,
            public_title=(title or "")[:200],
            public_text=text,
            public_lat=round_public_location(lat),
            public_lng=round_public_location(lng),
            address=(address or "")[:255],
            lat=lat,
            lng=lng,
            incident_date=incident_date,
            is_secret=is_secret,
            is_anonymous=is_anonymous,
            status=Status.VERIFIED,
            created_at=created_at or now,
            verified_at=dispositioned_at,
        )
        Reporter.objects.create(complaint=complaint, **identity)
        clock = clocks.clock_start(
            complaint=complaint, kind=ClockKind.VERIFICATION, now=now, started_at=dispositioned_at
        )
        complaint.status = None
        from complaints.actors import LAPOR

        complaint_transition(
            complaint=complaint,
            action=Action.RECEIVE_FROM_LAPOR,
            actor=LAPOR,
            now=now,
            data={"lapor_id": lapor_id, "clocks": [clock]},
            check_actor_scope=False,
        )
    return complaint


# --- Verification and sorting ---------------------------------------------------------------


def complaint_verify(
    *,
    complaint: Complaint,
    actor: Actor,
    classification: Classification,
    category: Category,
    public_title: str,
    public_text: str,
    public_attachment_ids: Iterable[int] = (),
    is_secret: bool,
    is_anonymous: bool,
    priority: str = Priority.NORMAL,
    now: datetime | None = None,
) -> Complaint:
    """Admin Kabupaten verifies a report and writes its public version.

    The public version is what every public page shows: a neutral title, the text with
    personal data removed, the chosen attachments, and the location rounded to ~100 m.
    Flag changes are recorded as their own event (two LAPOR! cases reached the police
    because a flag was forgotten: who set it, and when, must be on record).
    """
    now = aware_now(now)
    errors = {}
    if not (public_title or "").strip():
        errors["public_title"] = [gettext("Judul publik wajib diisi.")]
    if not (public_text or "").strip():
        errors["public_text"] = [gettext("Isi publik wajib diisi.")]
    if priority not in Priority.values:
        errors["priority"] = [gettext("Prioritas tidak dikenal.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        find_transition(
            COMPLAINT_TRANSITIONS, action=Action.VERIFY, source=complaint.status, role=actor.role
        )
        flags = _flags_update(
            complaint,
            actor,
            is_secret=is_secret,
            is_anonymous=is_anonymous,
            now=now,
            reason="verifikasi",
        )
        complaint.classification = classification
        complaint.category = category
        complaint.priority = priority
        complaint.public_title = public_title.strip()[:200]
        complaint.public_text = public_text.strip()
        complaint.public_lat = round_public_location(complaint.lat)
        complaint.public_lng = round_public_location(complaint.lng)
        complaint.save()
        public_ids = set(public_attachment_ids)
        complaint.attachments.filter(response__isnull=True).update(is_public=False)
        complaint.attachments.filter(pk__in=public_ids, response__isnull=True).update(
            is_public=True
        )
        complaint_transition(
            complaint=complaint,
            action=Action.VERIFY,
            actor=actor,
            now=now,
            data={
                "classification": classification.code,
                "category": category.slug,
                "priority": priority,
                "public_attachments": sorted(public_ids),
                "flags": flags,
            },
        )
    return complaint


def _flags_update(complaint, actor, *, is_secret, is_anonymous, now, reason) -> dict:
    changes = {}
    if complaint.is_secret != is_secret:
        changes["is_secret"] = [complaint.is_secret, is_secret]
        complaint.is_secret = is_secret
    if complaint.is_anonymous != is_anonymous:
        changes["is_anonymous"] = [complaint.is_anonymous, is_anonymous]
        complaint.is_anonymous = is_anonymous
    if changes:
        complaint.save(update_fields=["is_secret", "is_anonymous", "updated_at"])
        event_write(
            complaint=complaint,
            action=Action.FLAGS_CHANGED,
            actor=actor,
            now=now,
            reason=reason,
            data=changes,
        )
    return changes


def complaint_set_flags(
    *,
    complaint: Complaint,
    actor: Actor,
    is_secret: bool,
    is_anonymous: bool,
    reason: str,
    now: datetime | None = None,
) -> Complaint:
    """Admin Kabupaten changes rahasia/anonim after verification, with a reason."""
    now = aware_now(now)
    if actor.role != Role.ADMIN_KABUPATEN:
        raise TransitionError(
            gettext("Hanya Admin Kabupaten yang dapat mengubah sifat laporan."),
            code="forbidden_role",
        )
    if not reason.strip():
        raise ValidationError({"reason": [gettext("Alasan perubahan wajib diisi.")]})
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        _flags_update(
            complaint,
            actor,
            is_secret=is_secret,
            is_anonymous=is_anonymous,
            now=now,
            reason=reason.strip(),
        )
    return complaint


def complaint_request_info(
    *, complaint: Complaint, actor: Actor, question: str, now: datetime | None = None
) -> Complaint:
    """Ask the reporter for missing information; the report's clocks pause meanwhile.

    The reporter has their own clock (10 working days by default), after which the report is
    archived as incomplete.
    """
    now = aware_now(now)
    if not (question or "").strip():
        raise ValidationError({"question": [gettext("Pertanyaan untuk pelapor wajib diisi.")]})
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        previous = complaint.status
        paused = clocks.clocks_pause(complaint=complaint, now=now)
        started = clocks.clock_start(complaint=complaint, kind=ClockKind.REPORTER_INFO, now=now)
        complaint.status_before_wait = previous
        complaint.save(update_fields=["status_before_wait"])
        complaint_transition(
            complaint=complaint,
            action=Action.REQUEST_INFO,
            actor=actor,
            now=now,
            reason=question.strip(),
            data={"clocks": [*paused, started]},
        )
    return complaint


def complaint_provide_info(
    *,
    complaint: Complaint,
    actor: Actor,
    text: str,
    attachments: Sequence = (),
    now: datetime | None = None,
) -> Complaint:
    """The reporter answers a request for information; the report returns where it was."""
    now = aware_now(now)
    errors = {}
    if not (text or "").strip():
        errors["text"] = [gettext("Keterangan tambahan wajib diisi.")]
    checked = uploads_check(list(attachments), errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        target = complaint.status_before_wait or Status.RECEIVED
        stopped = clocks.clock_stop(complaint=complaint, kind=ClockKind.REPORTER_INFO, now=now)
        resumed = clocks.clocks_resume(complaint=complaint, now=now)
        complaint_transition(
            complaint=complaint,
            action=Action.PROVIDE_INFO,
            actor=actor,
            now=now,
            target=target,
            data={
                "text": text.strip(),
                "attachments": len(checked),
                "clocks": [c for c in [stopped, *resumed] if c],
            },
        )
        complaint.status_before_wait = ""
        complaint.save(update_fields=["status_before_wait"])
        attachments_store(complaint, checked, now)
    return complaint


def complaint_archive(
    *,
    complaint: Complaint,
    actor: Actor,
    reason: str,
    note: str = "",
    now: datetime | None = None,
) -> Complaint:
    """Archive a report that is not a complaint, out of scope, spam or left incomplete."""
    now = aware_now(now)
    if reason not in ArchiveReason.values:
        raise ValidationError({"reason": [gettext("Pilih alasan pengarsipan.")]})
    if reason == ArchiveReason.OTHER and not note.strip():
        raise ValidationError({"note": [gettext("Jelaskan alasan pengarsipan.")]})
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        find_transition(
            COMPLAINT_TRANSITIONS, action=Action.ARCHIVE, source=complaint.status, role=actor.role
        )
        cancelled = clocks.clocks_cancel(complaint=complaint, now=now)
        complaint.archive_reason = reason
        complaint.save(update_fields=["archive_reason"])
        complaint_transition(
            complaint=complaint,
            action=Action.ARCHIVE,
            actor=actor,
            now=now,
            reason=note.strip(),
            data={"archive_reason": reason, "clocks": cancelled},
        )
    return complaint


def complaint_mark_duplicate(
    *, complaint: Complaint, actor: Actor, original: Complaint, now: datetime | None = None
) -> Complaint:
    """Merge a report into an earlier one about the same matter.

    The duplicate's reporter follows the original from then on (seeing its public version
    only). A chain is flattened: marking X a duplicate of a duplicate points X at the root.
    """
    now = aware_now(now)
    root = Complaint.objects.get(pk=original.pk)
    while root.duplicate_of_id is not None:
        root = Complaint.objects.get(pk=root.duplicate_of_id)
    if root.pk == complaint.pk:
        raise ValidationError(
            {"original": [gettext("Laporan tidak dapat menjadi duplikat dirinya.")]}
        )
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        find_transition(
            COMPLAINT_TRANSITIONS,
            action=Action.MARK_DUPLICATE,
            source=complaint.status,
            role=actor.role,
        )
        cancelled = clocks.clocks_cancel(complaint=complaint, now=now)
        complaint.duplicate_of = root
        complaint.save(update_fields=["duplicate_of"])
        complaint_transition(
            complaint=complaint,
            action=Action.MARK_DUPLICATE,
            actor=actor,
            now=now,
            data={"original": root.tracking_number, "clocks": cancelled},
        )
    return complaint


def complaint_object(
    *, complaint: Complaint, actor: Actor, reason: str, now: datetime | None = None
) -> Complaint:
    """The reporter objects to the final answer within the objection window: reopened.

    Each finished disposition goes back to "responded" with a new resolution clock; the
    objection is counted in the evaluation.
    """
    now = aware_now(now)
    if not (reason or "").strip():
        raise ValidationError({"reason": [gettext("Jelaskan mengapa Anda belum puas.")]})
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        find_transition(
            COMPLAINT_TRANSITIONS, action=Action.OBJECT, source=complaint.status, role=actor.role
        )
        check_scope(complaint, actor)
        window = complaint.clocks.filter(
            kind=ClockKind.OBJECTION,
            disposition__isnull=True,
            state__in=["running", "paused"],
        ).first()
        if window is None or (window.due_at is not None and window.due_at < now):
            raise TransitionError(
                gettext("Masa sanggah untuk laporan ini telah berakhir."),
                code="objection_window_closed",
            )
        stopped = clocks.clock_stop(complaint=complaint, kind=ClockKind.OBJECTION, now=now)
        changed = []
        for disposition in complaint.dispositions.select_for_update().filter(
            status=DispositionStatus.FINISHED
        ):
            find_transition(
                DISPOSITION_TRANSITIONS,
                action=Action.REOPEN_DISPOSITION,
                source=disposition.status,
                role=actor.role,
            )
            disposition.status = DispositionStatus.RESPONDED
            disposition.finished_at = None
            disposition.save(update_fields=["status", "finished_at"])
            started = clocks.clock_start(
                complaint=complaint, disposition=disposition, kind=ClockKind.RESOLUTION, now=now
            )
            event_write(
                complaint=complaint,
                action=Action.REOPEN_DISPOSITION,
                actor=actor,
                now=now,
                disposition=disposition,
                from_status=DispositionStatus.FINISHED,
                to_status=DispositionStatus.RESPONDED,
                data={"clocks": [started]},
            )
            changed.append(disposition.opd_id)
        complaint_transition(
            complaint=complaint,
            action=Action.OBJECT,
            actor=actor,
            now=now,
            reason=reason.strip(),
            data={"reopened_dispositions": changed, "clocks": [stopped]},
        )
    return complaint


def complaint_close(*, complaint: Complaint, actor: Actor, now: datetime | None = None):
    """Close a finished report (the objection window passed) or an escalated one."""
    now = aware_now(now)
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        find_transition(
            COMPLAINT_TRANSITIONS, action=Action.CLOSE, source=complaint.status, role=actor.role
        )
        # The reporter's objection window ends unused: cancelled, not a deadline met or missed.
        cancelled = clocks.clocks_cancel(complaint=complaint, now=now, kinds=[ClockKind.OBJECTION])
        complaint_transition(
            complaint=complaint,
            action=Action.CLOSE,
            actor=actor,
            now=now,
            data={"clocks": cancelled},
        )
    return complaint


def complaint_escalate(
    *,
    complaint: Complaint,
    actor: Actor,
    institution: ExternalInstitution,
    reason: str,
    now: datetime | None = None,
) -> Complaint:
    """Forward a report the regency cannot resolve ("bukan wewenang") through LAPOR!.

    The regency keeps tracking it; its own clocks and open dispositions' clocks stop
    counting against Kudus.
    """
    now = aware_now(now)
    if not (reason or "").strip():
        raise ValidationError({"reason": [gettext("Alasan eskalasi wajib diisi.")]})
    if not institution.is_active:
        raise ValidationError({"institution": [gettext("Instansi tujuan tidak aktif.")]})
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        find_transition(
            COMPLAINT_TRANSITIONS, action=Action.ESCALATE, source=complaint.status, role=actor.role
        )
        cancelled = clocks.clocks_cancel(complaint=complaint, now=now)
        complaint.escalated_to = institution
        complaint.save(update_fields=["escalated_to"])
        complaint_transition(
            complaint=complaint,
            action=Action.ESCALATE,
            actor=actor,
            now=now,
            reason=reason.strip(),
            data={
                "institution": institution.lapor_id,
                "institution_name": institution.name,
                "clocks": cancelled,
            },
        )
    return complaint


def complaint_apply_lapor_status(
    *, complaint: Complaint, target: str, status_name: str = "", now: datetime | None = None
) -> Complaint | None:
    """Apply a status LAPOR! set (archived, rejected → archived; finished after escalation).

    Returns None when the report already has that status (a repeated pull), so the sync can
    call it for every item it sees.
    """
    from complaints.actors import LAPOR

    now = aware_now(now)
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        if complaint.status == target:
            return None
        if target == Status.ARCHIVED:
            cancelled = clocks.clocks_cancel(complaint=complaint, now=now)
            complaint.archive_reason = (
                ArchiveReason.LAPOR_REJECTED
                if "tolak" in status_name.lower()
                else ArchiveReason.LAPOR_ARCHIVED
            )
            complaint.save(update_fields=["archive_reason"])
        else:
            cancelled = []
        complaint_transition(
            complaint=complaint,
            action=Action.LAPOR_STATUS,
            actor=LAPOR,
            now=now,
            target=target,
            data={"status_name": status_name, "clocks": cancelled},
        )
    return complaint


def reporter_anonymise(
    *, complaint: Complaint, actor: Actor, reason: str, now: datetime | None = None
) -> Complaint:
    """Erase the reporter's identity on request (UU PDP 27/2022); the report stays.

    Identity lives only in the Reporter row (events never copy it, and notifications read it
    at sending time), so blanking that row removes it from every page, export and queued
    notification. The report becomes anonim.
    """
    now = aware_now(now)
    if actor.role != Role.ADMIN_KABUPATEN:
        raise TransitionError(
            gettext("Hanya Admin Kabupaten yang dapat menganonimkan pelapor."),
            code="forbidden_role",
        )
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        Reporter.objects.filter(complaint=complaint).update(
            name="", nik="", phone="", email="", user=None, anonymised_at=now
        )
        _flags_update(
            complaint,
            actor,
            is_secret=complaint.is_secret,
            is_anonymous=True,
            now=now,
            reason="anonimisasi",
        )
        event_write(
            complaint=complaint,
            action=Action.ANONYMISE,
            actor=actor,
            now=now,
            reason=reason.strip(),
        )
    return complaint


# --- Linking to LAPOR! ----------------------------------------------------------------------

LAPOR_ID_MAX_LENGTH = Complaint._meta.get_field("lapor_id").max_length


def lapor_id_normalise(raw: str) -> str:
    """A LAPOR! tracking id as stored: its digits ("#1916449" and " 1916449 " → "1916449"),
    or a ValidationError on ``lapor_id``."""
    value = (raw or "").strip().removeprefix("#").strip()
    if not value:
        raise ValidationError({"lapor_id": [gettext("Masukkan nomor pelacakan LAPOR!.")]})
    if not value.isascii() or not value.isdigit() or len(value) > LAPOR_ID_MAX_LENGTH:
        raise ValidationError(
            {
                "lapor_id": [
                    gettext(
                        "Nomor pelacakan LAPOR! terdiri atas angka saja (contoh: 1916449), "
                        "paling banyak %(max)d angka."
                    )
                    % {"max": LAPOR_ID_MAX_LENGTH}
                ]
            }
        )
    return value


def complaint_link_lapor(
    *, complaint: Complaint, actor: Actor, lapor_id: str, now: datetime | None = None
) -> Complaint:
    """Admin Kabupaten links a report to the LAPOR! tracking id it already has there.

    For a report that reached both channels (the reporter filed on lapor.go.id too, or staff
    re-typed it there before the integration): from then on the sync treats the two as one.
    A LAPOR! id belongs to one report only (the unique column backs the check against two
    admins linking the same id at once), and a link, once made, is not moved by this service:
    the sync may already have exchanged updates under it.
    """
    now = aware_now(now)
    if actor.role != Role.ADMIN_KABUPATEN:
        raise TransitionError(
            gettext("Hanya Admin Kabupaten yang dapat menghubungkan laporan dengan LAPOR!."),
            code="forbidden_role",
        )
    lapor_id = lapor_id_normalise(lapor_id)

    def taken(number: str) -> ValidationError:
        return ValidationError(
            {
                "lapor_id": [
                    gettext("Nomor LAPOR! %(id)s sudah terhubung dengan laporan %(number)s.")
                    % {"id": lapor_id, "number": number}
                ]
            }
        )

    with transaction.atomic():
        complaint = complaint_lock(complaint)
        if complaint.lapor_id:
            raise TransitionError(
                gettext("Laporan ini sudah terhubung dengan LAPOR! nomor %(id)s.")
                % {"id": complaint.lapor_id},
                code="already_linked",
            )
        other = (
            Complaint.objects.filter(lapor_id=lapor_id)
            .values_list("tracking_number", flat=True)
            .first()
        )
        if other:
            raise taken(other)
        complaint.lapor_id = lapor_id
        try:
            with transaction.atomic():
                complaint.save(update_fields=["lapor_id", "updated_at"])
        except IntegrityError:
            # Another admin linked the same id to another report since the check above.
            raise taken(gettext("lain")) from None
        event_write(
            complaint=complaint,
            action=Action.LINK_LAPOR,
            actor=actor,
            now=now,
            data={"lapor_id": lapor_id},
        )
    return complaint
