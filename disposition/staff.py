"""Staff accounts: who works in the back-office for which OPD (DOMAIN.md §2, issue 4 point 5).

Onboarding is a real bottleneck (only six OPDs had sent their admins' names), so every step
is here, each a service with keyword-only arguments and an explicit ``now``:

- Admin Kabupaten appoints an OPD's Pejabat Penghubung (``pejabat_penghubung_appoint``): an
  existing account or a new one; the previous Pejabat Penghubung's role is deactivated, never
  deleted;
- Admin Kabupaten creates an Admin OPD account directly (``admin_opd_create``);
- the Pejabat Penghubung nominates Admin OPD candidates (``nomination_create``) and Admin
  Kabupaten approves (``nomination_approve``: the account is created) or rejects them with a
  note (``nomination_reject``);
- every new account has an unusable password and is invited by e-mail with a one-time link to
  set it (``staff_invite``, also to send the link again);
- deactivating an account (``staff_deactivate``) ends its logins and its role; its events,
  dispositions and responses stay, because nothing is deleted (the deactivation itself is
  ``disposition.accounts.staff_account_deactivate``, shared with the staff-login part).

There is no audit table of its own: each change is written to Django's admin log
(``django.contrib.admin.models.LogEntry``, shown in the Django admin's history of the account
or nomination), with the acting Admin Kabupaten and ``now`` as the time, and a plain-language
Indonesian ``change_message``.

Permissions are checked here as well as in the views (PermissionDenied); bad input is a
ValidationError keyed by the form field it belongs to.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from complaints.actors import Actor
from complaints.models import CitizenProfile
from complaints.services import aware_now, normalise_phone
from disposition.accounts import staff_account_deactivate
from disposition.models import OPD, AdminNomination, Role, StaffRole

logger = logging.getLogger(__name__)

User = get_user_model()

NAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254
POSITION_MAX_LENGTH = 150
USERNAME_MAX_LENGTH = 30  # a generated username stays short enough to type
OPD_ROLES = (Role.PEJABAT_PENGHUBUNG, Role.ADMIN_OPD)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """The one-time token of an invitation link.

    Django's password-reset token with its own salt (a reset token is no invitation, nor the
    reverse). It is single-use because it hashes the password: setting one voids the link. It
    expires after ``settings.PASSWORD_RESET_TIMEOUT``; Admin Kabupaten can send a new one.
    """

    key_salt = "disposition.staff.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()


# --- helpers ------------------------------------------------------------------------------


def _require_admin_kabupaten(actor: Actor) -> None:
    if actor.role != Role.ADMIN_KABUPATEN or actor.user is None:
        raise PermissionDenied(gettext("Hanya Admin Kabupaten yang dapat mengelola akun petugas."))


def _log(*, actor_user, obj, flag: int, message: str, now: datetime) -> LogEntry:
    """One line of the admin log about ``obj``, at ``now``."""
    return LogEntry.objects.create(
        user=actor_user,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
        action_time=now,
    )


def display_name(user) -> str:
    return user.get_full_name() or user.username


def _clean_name(name: str, field: str = "name") -> str:
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name:
        raise ValidationError({field: [gettext("Nama wajib diisi.")]})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {field: [gettext("Nama paling panjang %(max)d karakter.") % {"max": NAME_MAX_LENGTH}]}
        )
    return name


def _clean_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({field: [gettext("Alamat e-mail wajib diisi.")]})
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError({field: [gettext("Alamat e-mail terlalu panjang.")]})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({field: [gettext("Alamat e-mail tidak valid.")]}) from None
    return email


def active_staff_with_email(email: str):
    """The active staff account using ``email``, if any: one address, one staff account, so
    an invitation never reaches someone who already has access."""
    return (
        User.objects.filter(email__iexact=email, is_active=True, staff_role__is_active=True)
        .select_related("staff_role__opd")
        .first()
    )


def _check_email_free(email: str, field: str = "email") -> None:
    holder = active_staff_with_email(email)
    if holder is not None:
        role = holder.staff_role
        raise ValidationError(
            {
                field: [
                    gettext(
                        "Alamat e-mail ini sudah dipakai akun petugas aktif %(username)s "
                        "(%(role)s%(opd)s)."
                    )
                    % {
                        "username": holder.username,
                        "role": role.get_role_display(),
                        "opd": f" {role.opd.short_name}" if role.opd_id else "",
                    }
                ]
            }
        )


def _username_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


def username_from_email(email: str) -> str:
    """A free username from the e-mail's local part: ``budi.santoso``, else ``budi.santoso2``…"""
    local = email.split("@", 1)[0].lower()
    base = re.sub(r"[^a-z0-9._-]", "", local).strip("._-")[:USERNAME_MAX_LENGTH] or "petugas"
    candidate, number = base, 1
    while _username_taken(candidate):
        number += 1
        candidate = f"{base[: USERNAME_MAX_LENGTH - len(str(number))]}{number}"
    return candidate


def _clean_username(username: str, email: str) -> str:
    username = (username or "").strip()
    if not username:
        return username_from_email(email)
    if len(username) > 150:
        raise ValidationError({"username": [gettext("Nama pengguna terlalu panjang.")]})
    try:
        User.username_validator(username)
    except ValidationError:
        raise ValidationError(
            {"username": [gettext("Nama pengguna hanya boleh berisi huruf, angka dan @ . + - _ .")]}
        ) from None
    if _username_taken(username):
        raise ValidationError({"username": [gettext("Nama pengguna ini sudah dipakai.")]})
    return username


def _new_account(*, name: str, email: str, username: str, now: datetime):
    """A new user that cannot log in until its owner sets a password through the invitation."""
    user = User(username=username, email=email, first_name=name, is_active=True, date_joined=now)
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two admins creating the same username at once: the second is told, nothing changes.
        raise ValidationError({"username": [gettext("Nama pengguna ini sudah dipakai.")]}) from None
    return user


def _role_label(role: str, opd: OPD | None) -> str:
    label = str(Role(role).label)
    return f"{label} {opd.short_name}" if opd is not None else label


# --- invitation ---------------------------------------------------------------------------


def _kelola_url(name: str, *args, fallback: str) -> str:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:  # a part of the back-office not mounted (yet)
        path = fallback
    return f"{settings.SITE_URL}{path}"


def invitation_url(user) -> str:
    """The one-time link to set the first password (valid until it is used or expires)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return f"{settings.SITE_URL}{reverse('kelola:invitation', args=[uid, token])}"


def _send_invitation(user_id: int) -> None:
    """Send the invitation of ``user_id`` now (called once the account is committed)."""
    user = User.objects.select_related("staff_role__opd").get(pk=user_id)
    role = user.staff_role
    with translation.override("id"):
        context = {
            "name": display_name(user),
            "username": user.username,
            "role_label": Role(role.role).label,
            "opd": role.opd,
            "invitation_url": invitation_url(user),
            "login_url": _kelola_url("kelola:login", fallback="/kelola/masuk/"),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400),
            "site_url": settings.SITE_URL,
        }
        subject = gettext("Undangan akun petugas Kanal Pengaduan Kudus")
        context["subject"] = subject
        text = render_to_string("disposition/email/invitation.txt", context)
        html = render_to_string("disposition/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def _invite_on_commit(user) -> None:
    # After the commit: a rolled-back creation never mails a link to an account that does not
    # exist. A failed send is logged, not raised: the account is there, the onboarding page
    # shows it as "belum mengatur kata sandi", and Admin Kabupaten can send the link again.
    transaction.on_commit(lambda: _send_invitation(user.pk), robust=True)


def staff_invite(*, actor: Actor, user, now: datetime | None = None) -> None:
    """Send (again) the invitation of an active OPD account that has not set a password yet.

    A new link is made each time; older unexpired links stay valid until a password is set
    (the token hashes the password, so the first one used voids the others).
    """
    now = aware_now(now)
    _require_admin_kabupaten(actor)
    role = StaffRole.objects.filter(user=user).select_related("opd").first()
    if role is None or role.role not in OPD_ROLES:
        raise PermissionDenied(gettext("Akun ini bukan akun petugas OPD."))
    if not (user.is_active and role.is_active):
        raise ValidationError(gettext("Akun ini sudah dinonaktifkan."))
    if user.has_usable_password():
        raise ValidationError(
            gettext(
                "Akun ini sudah memiliki kata sandi. Bila lupa, pemiliknya dapat memakai "
                "“Lupa kata sandi” di halaman masuk."
            )
        )
    if not user.email:
        raise ValidationError(gettext("Akun ini tidak memiliki alamat e-mail."))
    with transaction.atomic():
        _log(
            actor_user=actor.user,
            obj=user,
            flag=CHANGE,
            message=gettext("Undangan (tautan untuk mengatur kata sandi) dikirim ke %(email)s.")
            % {"email": user.email},
            now=now,
        )
        _invite_on_commit(user)


# --- Pejabat Penghubung -----------------------------------------------------------------


def _existing_for_pejabat_penghubung(user, opd: OPD):
    """Check that ``user`` may become ``opd``'s Pejabat Penghubung; returns its StaffRole row
    (to be reused: a user has one role row) or None."""
    field = "existing_username"
    if user.is_superuser:
        raise ValidationError(
            {field: [gettext("Akun superuser tidak dapat dijadikan Pejabat Penghubung.")]}
        )
    if CitizenProfile.objects.filter(user=user).exists():
        raise ValidationError(
            {field: [gettext("Akun ini akun warga (pelapor), bukan akun petugas.")]}
        )
    role = (
        StaffRole.objects.select_for_update(of=("self",))
        .filter(user=user)
        .select_related("opd")
        .first()
    )
    if role is None or not role.is_active or not user.is_active:
        return role
    if role.role == Role.PEJABAT_PENGHUBUNG and role.opd_id == opd.pk:
        raise ValidationError(
            {field: [gettext("Akun ini sudah menjadi Pejabat Penghubung OPD ini.")]}
        )
    if role.role == Role.ADMIN_OPD and role.opd_id == opd.pk:
        return role  # an Admin OPD of the same OPD is promoted
    raise ValidationError(
        {
            field: [
                gettext(
                    "Akun ini masih aktif sebagai %(role)s. Nonaktifkan dulu peran itu, atau "
                    "buat akun baru."
                )
                % {"role": _role_label(role.role, role.opd)}
            ]
        }
    )


def pejabat_penghubung_appoint(
    *,
    actor: Actor,
    opd: OPD,
    user=None,
    name: str = "",
    email: str = "",
    username: str = "",
    now: datetime | None = None,
):
    """Admin Kabupaten appoints ``opd``'s Pejabat Penghubung (the Sekretaris Dinas).

    Either an existing account (``user``): one without an active staff role (a former role
    row is reused, an inactive account reactivated) or an Admin OPD of the same OPD (promoted);
    or a new account from ``name``, ``email`` and an optional ``username`` (from the e-mail
    when blank), invited by e-mail. The previous Pejabat Penghubung's role is deactivated and
    kept (their account stays, without back-office rights). Returns the appointed user.
    """
    now = aware_now(now)
    _require_admin_kabupaten(actor)
    if not opd.is_active:
        raise ValidationError(gettext("OPD ini tidak aktif."))
    if user is None:
        name = _clean_name(name)
        email = _clean_email(email)
    with transaction.atomic():
        # Serialises appointments to one OPD: two admins appointing at once cannot both
        # deactivate the old role and then collide on the one-active-PP constraint.
        OPD.objects.select_for_update().get(pk=opd.pk)
        previous = (
            StaffRole.objects.select_for_update(of=("self",))
            .filter(opd=opd, role=Role.PEJABAT_PENGHUBUNG, is_active=True)
            .select_related("user")
            .first()
        )
        notes = []
        if user is not None:
            role = _existing_for_pejabat_penghubung(user, opd)
        else:
            _check_email_free(email)
            username = _clean_username(username, email)
            role = None
        if previous is not None:
            previous.is_active = False
            previous.save(update_fields=["is_active"])
            _log(
                actor_user=actor.user,
                obj=previous.user,
                flag=CHANGE,
                message=gettext(
                    "Peran Pejabat Penghubung %(opd)s dinonaktifkan: digantikan %(new)s."
                )
                % {
                    "opd": opd.short_name,
                    "new": user.username if user is not None else username,
                },
                now=now,
            )
            notes.append(gettext("menggantikan %(old)s") % {"old": previous.user.username})
        if user is None:
            user = _new_account(name=name, email=email, username=username, now=now)
            StaffRole.objects.create(user=user, role=Role.PEJABAT_PENGHUBUNG, opd=opd)
            notes.append(gettext("akun baru, undangan dikirim ke %(email)s") % {"email": email})
            _invite_on_commit(user)
        else:
            if role is None:
                StaffRole.objects.create(user=user, role=Role.PEJABAT_PENGHUBUNG, opd=opd)
            else:
                if role.is_active:
                    notes.append(gettext("sebelumnya Admin OPD %(opd)s") % {"opd": opd.short_name})
                else:
                    notes.append(
                        gettext("peran lama %(role)s (nonaktif) diganti")
                        % {"role": _role_label(role.role, role.opd)}
                    )
                role.role = Role.PEJABAT_PENGHUBUNG
                role.opd = opd
                role.is_active = True
                role.save(update_fields=["role", "opd", "is_active"])
            if not user.is_active:
                user.is_active = True
                user.save(update_fields=["is_active"])
                notes.append(gettext("akun diaktifkan kembali"))
        message = gettext("Ditetapkan sebagai Pejabat Penghubung %(opd)s") % {"opd": opd.short_name}
        if notes:
            message = f"{message} ({'; '.join(notes)})"
        _log(actor_user=actor.user, obj=user, flag=CHANGE, message=f"{message}.", now=now)
    return user


# --- Admin OPD ----------------------------------------------------------------------------


def admin_opd_create(
    *,
    actor: Actor,
    opd: OPD,
    name: str,
    email: str,
    username: str = "",
    now: datetime | None = None,
    nomination: AdminNomination | None = None,
):
    """Admin Kabupaten creates an Admin OPD account of ``opd`` and invites its owner by e-mail
    (a one-time link to set the password). Returns the new user."""
    now = aware_now(now)
    _require_admin_kabupaten(actor)
    if not opd.is_active:
        raise ValidationError(gettext("OPD ini tidak aktif."))
    name = _clean_name(name)
    email = _clean_email(email)
    with transaction.atomic():
        _check_email_free(email)
        username = _clean_username(username, email)
        user = _new_account(name=name, email=email, username=username, now=now)
        StaffRole.objects.create(user=user, role=Role.ADMIN_OPD, opd=opd)
        if nomination is not None:
            how = gettext("dari usulan %(by)s") % {"by": nomination.nominated_by.username}
        else:
            how = gettext("dibuat langsung")
        _log(
            actor_user=actor.user,
            obj=user,
            flag=ADDITION,
            message=gettext(
                "Akun Admin OPD %(opd)s dibuat (%(how)s); undangan dikirim ke %(email)s."
            )
            % {"opd": opd.short_name, "how": how, "email": email},
            now=now,
        )
        _invite_on_commit(user)
    return user


# --- nominations --------------------------------------------------------------------------


def nomination_create(
    *,
    actor: Actor,
    name: str,
    email: str,
    phone: str = "",
    position: str = "",
    now: datetime | None = None,
) -> AdminNomination:
    """The Pejabat Penghubung proposes a person as Admin OPD of their own OPD."""
    now = aware_now(now)
    if actor.role != Role.PEJABAT_PENGHUBUNG or actor.opd_id is None or actor.user is None:
        raise PermissionDenied(
            gettext("Hanya Pejabat Penghubung yang dapat mengusulkan Admin OPD.")
        )
    errors: dict[str, list] = {}
    cleaned = {}
    try:
        cleaned["name"] = _clean_name(name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        cleaned["email"] = _clean_email(email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        cleaned["phone"] = normalise_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    position = re.sub(r"\s+", " ", position or "").strip()
    if len(position) > POSITION_MAX_LENGTH:
        errors["position"] = [gettext("Jabatan terlalu panjang.")]
    if "email" in cleaned:
        try:
            _check_email_free(cleaned["email"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            nomination = AdminNomination.objects.create(
                opd_id=actor.opd_id,
                name=cleaned["name"],
                email=cleaned["email"],
                phone=cleaned["phone"],
                position=position,
                nominated_by=actor.user,
            )
            # created_at is stamped by the database default (auto_now_add); the service's
            # ``now`` is the time of record, as everywhere else.
            AdminNomination.objects.filter(pk=nomination.pk).update(created_at=now)
            nomination.created_at = now
    except IntegrityError:
        raise ValidationError(
            {"email": [gettext("Orang dengan e-mail ini sudah diusulkan dan menunggu keputusan.")]}
        ) from None
    return nomination


def _lock_pending(nomination: AdminNomination) -> AdminNomination:
    locked = (
        AdminNomination.objects.select_for_update(of=("self",))
        .select_related("opd", "nominated_by")
        .get(pk=nomination.pk)
    )
    if locked.status != AdminNomination.Status.PENDING:
        # Another admin decided first: say what happened instead of deciding twice.
        raise ValidationError(
            gettext("Usulan ini sudah diputuskan: %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def nomination_approve(
    *,
    actor: Actor,
    nomination: AdminNomination,
    username: str = "",
    now: datetime | None = None,
):
    """Admin Kabupaten approves a nomination: the Admin OPD account is created (unusable
    password, username from the e-mail unless given) and its owner invited by e-mail.
    Returns the new user."""
    now = aware_now(now)
    _require_admin_kabupaten(actor)
    with transaction.atomic():
        nomination = _lock_pending(nomination)
        user = admin_opd_create(
            actor=actor,
            opd=nomination.opd,
            name=nomination.name,
            email=nomination.email,
            username=username,
            now=now,
            nomination=nomination,
        )
        nomination.status = AdminNomination.Status.APPROVED
        nomination.decided_by = actor.user
        nomination.decided_at = now
        nomination.user = user
        nomination.save(update_fields=["status", "decided_by", "decided_at", "user"])
        _log(
            actor_user=actor.user,
            obj=nomination,
            flag=CHANGE,
            message=gettext("Usulan disetujui: akun %(username)s dibuat.")
            % {"username": user.username},
            now=now,
        )
    return user


def nomination_reject(
    *, actor: Actor, nomination: AdminNomination, note: str, now: datetime | None = None
) -> AdminNomination:
    """Admin Kabupaten rejects a nomination; the note (required) is shown to the Pejabat
    Penghubung who proposed it."""
    now = aware_now(now)
    _require_admin_kabupaten(actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [gettext("Tulis alasan penolakan untuk pengusul.")]})
    with transaction.atomic():
        nomination = _lock_pending(nomination)
        nomination.status = AdminNomination.Status.REJECTED
        nomination.decided_by = actor.user
        nomination.decided_at = now
        nomination.decision_note = note
        nomination.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _log(
            actor_user=actor.user,
            obj=nomination,
            flag=CHANGE,
            message=gettext("Usulan ditolak: %(note)s") % {"note": note},
            now=now,
        )
    return nomination


# --- deactivation -------------------------------------------------------------------------


def staff_deactivate(*, actor: Actor, user, reason: str) -> StaffRole:
    """Admin Kabupaten deactivates an OPD account (Admin OPD or Pejabat Penghubung).

    The person can no longer log in (``is_active`` False, which also ends their open
    sessions) and the role no longer counts; the user and role rows stay, so the events,
    dispositions and responses they wrote keep their author. Diskominfo's own accounts are
    managed by the superuser in the Django admin.

    This checks who may deactivate what; the deactivation itself (with its reason, required,
    in the admin log, and the removal of second-factor devices) is the staff-login part's
    ``disposition.accounts.staff_account_deactivate``, the one implementation.
    """
    _require_admin_kabupaten(actor)
    role = StaffRole.objects.filter(user=user).select_related("opd").first()
    if role is None or role.role not in OPD_ROLES:
        raise PermissionDenied(gettext("Akun ini bukan akun petugas OPD."))
    if not role.is_active and not user.is_active:
        raise ValidationError(gettext("Akun ini sudah nonaktif."))
    staff_account_deactivate(by=actor.user, user=user, reason=reason)
    role.refresh_from_db()
    return role


def invitation_accepted_log(*, user, now: datetime | None = None) -> None:
    """Record that the owner set the first password through the invitation link."""
    _log(
        actor_user=user,
        obj=user,
        flag=CHANGE,
        message=gettext("Kata sandi pertama diatur melalui tautan undangan."),
        now=aware_now(now),
    )
