"""Citizen accounts: registration, e-mail verification, and linking an earlier report.

A citizen account is a Django user with a ``CitizenProfile`` and nothing else: no staff role,
no ``is_staff``, no superuser flag. Its username is a generated, stable id (``w-…``), never
the e-mail address or phone number, so a changed contact detail never renames the account
and no personal data ends up in a column that logs and admin lists show freely.

Decisions (issue 3, point 5):

- Registration tells a visitor that an e-mail address or phone number is already registered.
  A registration form cannot hide that without turning into a "check your mail" flow, which a
  phone-only account cannot use; the per-IP limit on the account pages bounds how fast anyone
  can probe addresses this way. Login and password reset never tell.
- The e-mail address is verified by a signed, expiring link; an unverified account can still
  log in and file reports (verifying only proves the mailbox is the citizen's, and reports
  are also followed by tracking number and code). Phone numbers are not verified yet.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, gettext_lazy

from complaints.actors import reporter_actor
from complaints.messaging import SMS_MAX_LENGTH, send_sms
from complaints.models import CitizenProfile, Complaint, Reporter
from complaints.services.reports import (
    aware_now,
    complaint_lock,
    event_write,
    normalise_phone,
)
from complaints.services.tracking import access_code_normalise, tracking_access_check
from complaints.workflow import Action
from disposition.models import StaffRole

__all__ = [
    "ACCOUNT_LINKED",
    "EMAIL_VERIFICATION_MAX_AGE",
    "NAME_MAX_LENGTH",
    "citizen_accounts",
    "citizen_claim_report",
    "citizen_email_verification_send",
    "citizen_email_verify",
    "citizen_password_reset_sms",
    "citizen_register",
    "citizen_register_check",
    "email_verification_token",
    "has_staff_rights",
    "is_citizen_account",
    "normalise_login",
]

log = logging.getLogger(__name__)

NAME_MAX_LENGTH = 150
# How long a verification link stays valid (seconds). After that the citizen asks for a new
# one from their account page.
EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 3600
_VERIFY_SALT = "complaints.citizens.email-verification"
# Event.action written when a citizen links an earlier report to their account (an audited
# change of who may follow the report).
ACCOUNT_LINKED = Action.ACCOUNT_LINKED
_USERNAME_ALPHABET = "abcdefghjkmnpqrstvwxyz23456789"


# --- Who is a citizen ---------------------------------------------------------------------


def citizen_accounts():
    """Users that are citizen accounts: with a CitizenProfile and no staff rights.

    A user with a StaffRole row (active or revoked), ``is_staff`` or ``is_superuser`` is
    staff and logs in at the back-office, never through the citizen login, even if it also
    has a citizen profile.
    """
    return get_user_model().objects.filter(
        citizen_profile__isnull=False,
        staff_role__isnull=True,
        is_staff=False,
        is_superuser=False,
    )


def has_staff_rights(user) -> bool:
    """Whether ``user`` is staff: a StaffRole row (even revoked), ``is_staff`` or superuser."""
    if user.is_staff or user.is_superuser:
        return True
    return StaffRole.objects.filter(user=user).exists()


def is_citizen_account(user) -> bool:
    """Whether ``user`` is a citizen account (see ``citizen_accounts``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return False
    return citizen_accounts().filter(pk=user.pk).exists()


def normalise_login(raw: str) -> str:
    """The canonical form of what a citizen types to log in: a lower-cased e-mail address or
    an E.164 phone number; anything else lower-cased as typed. Used to count failed logins per
    account whatever way the number was written (08…, 62…, +62…)."""
    raw = (raw or "").strip()
    if "@" in raw:
        return raw.lower()
    try:
        return normalise_phone(raw) or raw.lower()
    except ValidationError:
        return raw.lower()


# --- Registration -------------------------------------------------------------------------


def _new_username() -> str:
    return "w-" + "".join(secrets.choice(_USERNAME_ALPHABET) for _ in range(10))


def _lock_contact(value: str) -> None:
    """Serialise registrations of the same contact detail until the transaction ends.

    ``auth_user.email`` has no unique constraint (staff and the admin share the table), so two
    simultaneous registrations of one address would both pass the "already registered" check.
    A transaction-scoped advisory lock on the address closes that race on PostgreSQL; SQLite
    (the demo) serialises writers anyway.
    """
    if value and connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(value.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _email_taken(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


def _phone_taken(phone: str) -> bool:
    return CitizenProfile.objects.filter(phone=phone).exists()


EMAIL_TAKEN = gettext_lazy(
    "Alamat e-mail ini sudah terdaftar. Silakan masuk, atau pilih “Lupa kata sandi” bila Anda "
    "tidak ingat kata sandinya."
)
PHONE_TAKEN = gettext_lazy(
    "Nomor HP ini sudah terdaftar. Silakan masuk dengan nomor ini, atau daftar dengan nomor lain."
)


def citizen_register_check(
    *, name: str, password: str, consented: bool, email: str = "", phone: str = ""
) -> dict:
    """Validate a registration without writing; returns the cleaned values.

    Raises ValidationError (field → Indonesian messages) listing every problem at once. The
    registration form calls this so a citizen sees all refusals of one submission together;
    ``citizen_register`` calls it again before writing.
    """
    User = get_user_model()
    errors: dict[str, list] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [gettext("Isi nama Anda.")]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [gettext("Nama maksimal %(max)d karakter.") % {"max": NAME_MAX_LENGTH}]

    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [gettext("Alamat e-mail tidak valid. Contoh: nama@contoh.com")]
    try:
        phone = normalise_phone(phone)
    except ValidationError:
        errors["phone"] = [
            gettext("Nomor HP tidak valid. Contoh: 0812 3456 7890 atau +62 812 3456 7890.")
        ]
        phone = ""
    if not email and not phone and "email" not in errors and "phone" not in errors:
        errors["email"] = [gettext("Isi alamat e-mail atau nomor HP (salah satu wajib).")]

    if email and "email" not in errors and _email_taken(email):
        errors["email"] = [EMAIL_TAKEN]
    if phone and _phone_taken(phone):
        errors["phone"] = [PHONE_TAKEN]

    if not password:
        errors["password"] = [gettext("Isi kata sandi.")]
    else:
        try:
            # Checked against the name and e-mail address too (UserAttributeSimilarity).
            password_validation.validate_password(
                password, user=User(username="", first_name=name, email=email)
            )
        except ValidationError as exc:
            errors["password"] = exc.messages
    if not consented:
        errors["consent"] = [
            gettext("Anda perlu menyetujui pemberitahuan privasi untuk membuat akun.")
        ]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "email": email, "phone": phone, "password": password}


def citizen_register(
    *,
    name: str,
    password: str,
    consented: bool,
    email: str = "",
    phone: str = "",
):
    """Create a citizen account; returns the new user.

    At least one of ``email`` and ``phone`` is required; the e-mail address is stored
    lower-cased, the phone number in E.164 (08…, 62… and +62… are the same number). The
    password must pass the validators in settings.AUTH_PASSWORD_VALIDATORS. Refuses an e-mail
    address any account already uses (staff included) and a phone number another citizen
    uses. Raises ValidationError (field → Indonesian messages) and writes nothing on any
    refusal. When an e-mail address is given, the verification link is sent after commit.
    """
    cleaned = citizen_register_check(
        name=name, password=password, consented=consented, email=email, phone=phone
    )
    name, email, phone = cleaned["name"], cleaned["email"], cleaned["phone"]
    with transaction.atomic():
        _lock_contact(email)
        # Re-checked under the lock: another registration may have committed meanwhile.
        if email and _email_taken(email):
            raise ValidationError({"email": [EMAIL_TAKEN]})
        user = _create_user_with_unique_username(email=email, password=password, first_name=name)
        try:
            with transaction.atomic():
                CitizenProfile.objects.create(user=user, phone=phone or None)
        except IntegrityError as exc:
            # The unique index on the phone number lost a race with another registration.
            raise ValidationError({"phone": [PHONE_TAKEN]}) from exc
        if email:
            # robust: a mail server that is down must not undo the account; the citizen can
            # ask for the link again from their account page.
            transaction.on_commit(lambda: citizen_email_verification_send(user=user), robust=True)
    return user


def _create_user_with_unique_username(**fields):
    User = get_user_model()
    for _attempt in range(5):
        username = _new_username()
        try:
            with transaction.atomic():
                return User.objects.create_user(username=username, **fields)
        except IntegrityError:
            if User.objects.filter(username=username).exists():
                continue
            raise
    raise RuntimeError("Could not allocate a unique citizen username.")


# --- E-mail verification ------------------------------------------------------------------


def _email_digest(email: str) -> str:
    # The link carries a digest, not the address: URLs end up in logs and browser histories.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]


def email_verification_token(user) -> str:
    """A signed, timestamped token naming the account and (by digest) the address it
    verifies. It expires after EMAIL_VERIFICATION_MAX_AGE; a changed address voids it."""
    return signing.TimestampSigner(salt=_VERIFY_SALT).sign(f"{user.pk}.{_email_digest(user.email)}")


def citizen_email_verification_send(*, user) -> bool:
    """E-mail ``user`` a link that verifies their address; returns whether one was sent.

    Nothing is sent when the account has no e-mail address or it is already verified.
    """
    if not user.email:
        return False
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is None or profile.email_verified_at is not None:
        return False
    path = reverse("complaints:verify_email", kwargs={"token": email_verification_token(user)})
    with translation.override("id"):
        context = {
            "name": user.first_name,
            "verify_url": f"{settings.SITE_URL}{path}",
            "valid_days": EMAIL_VERIFICATION_MAX_AGE // (24 * 3600),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(
            "complaints/email/account_verify_email_subject.txt", context
        ).strip()
        body = render_to_string("complaints/email/account_verify_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def citizen_email_verify(*, token: str, now: datetime | None = None):
    """Verify the e-mail address named by ``token``; returns ``(user, newly_verified)``.

    A second use of a link finds the address already verified and changes nothing
    (``newly_verified`` False). Raises ValidationError with code ``expired`` for a link older
    than EMAIL_VERIFICATION_MAX_AGE and ``invalid`` for a tampered link or one whose account
    or address no longer exists.
    """
    now = aware_now(now)
    invalid = ValidationError(
        gettext(
            "Tautan verifikasi tidak valid. Pastikan Anda membuka tautan lengkap dari e-mail "
            "terbaru kami."
        ),
        code="invalid",
    )
    try:
        value = signing.TimestampSigner(salt=_VERIFY_SALT).unsign(
            token, max_age=EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise ValidationError(
            gettext(
                "Tautan verifikasi sudah kedaluwarsa. Masuk ke akun Anda dan minta tautan baru."
            ),
            code="expired",
        ) from exc
    except signing.BadSignature as exc:
        raise invalid from exc
    user_pk, _sep, digest = value.partition(".")
    with transaction.atomic():
        profile = (
            CitizenProfile.objects.select_for_update()
            .select_related("user")
            .filter(user_id=int(user_pk) if user_pk.isdigit() else None)
            .first()
        )
        if profile is None or not profile.user.email or _email_digest(profile.user.email) != digest:
            raise invalid
        if profile.email_verified_at is not None:
            return profile.user, False
        profile.email_verified_at = now
        profile.save(update_fields=["email_verified_at"])
    return profile.user, True


# --- Password reset by SMS -----------------------------------------------------------------

# One SMS segment holds 160 characters; the link takes about 100 of them.
_RESET_SMS = gettext_lazy(
    "Lapor Kudus: buat kata sandi baru di {url} Abaikan bila Anda tidak memintanya."
)
_RESET_SMS_SHORT = gettext_lazy("Kata sandi baru Lapor Kudus: {url}")


def citizen_password_reset_sms(*, phone: str) -> bool:
    """Send a password-reset link by SMS to the citizen account registered with ``phone``;
    returns whether one was sent.

    The e-mail path is Django's PasswordResetForm; this is the same one-use link (Django's
    token generator: it expires after PASSWORD_RESET_TIMEOUT and dies when the password
    changes) for accounts that log in by phone. Nothing is sent for an unknown number, a staff
    account or an account without a usable password, and the caller answers the same way.
    A gateway failure is logged, not raised: the answer to the visitor must not differ.
    """
    try:
        phone = normalise_phone(phone)
    except ValidationError:
        return False
    user = citizen_accounts().filter(citizen_profile__phone=phone, is_active=True).first()
    if not phone or user is None or not user.has_usable_password():
        return False
    path = reverse(
        "complaints:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    url = f"{settings.SITE_URL}{path}"
    text = _RESET_SMS.format(url=url)
    if len(text) > SMS_MAX_LENGTH:
        text = _RESET_SMS_SHORT.format(url=url)
    try:
        send_sms(phone, text)
    except Exception:
        log.exception("Password reset SMS to citizen account %s failed", user.pk)
        return False
    return True


# --- Linking an earlier report ------------------------------------------------------------


def citizen_claim_report(
    *, user, tracking_number: str, access_code: str, now: datetime | None = None
) -> Complaint:
    """Link a report filed without an account to ``user``'s account, by its tracking number
    and access code; returns the report.

    The code already gives its holder everything the account will (following the report,
    adding information, objecting, rating), so proving it is enough. The proof is the
    tracking page's (``tracking_access_check``): the same reading of what was typed, the same
    answer for an unknown number and a wrong code, and the same per-number lock after too
    many wrong codes. Refused when the report is linked to another account, when its
    reporter's identity was erased on request (linking would identify them again), and for
    staff. The link is an audited event. Refusals are ValidationErrors keyed by field or
    NON_FIELD_ERRORS.
    """
    now = aware_now(now)
    if not is_citizen_account(user):
        raise ValidationError(
            {NON_FIELD_ERRORS: [gettext("Hanya akun warga yang dapat menambahkan laporan.")]}
        )
    try:
        complaint = tracking_access_check(
            tracking_number=tracking_number, access_code=access_code_normalise(access_code)
        )
    except ValidationError as exc:
        raise ValidationError({NON_FIELD_ERRORS: exc.messages}, code=exc.code) from exc
    with transaction.atomic():
        complaint = complaint_lock(complaint)
        reporter = Reporter.objects.select_for_update().filter(complaint=complaint).first()
        if reporter is None or reporter.anonymised_at is not None:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        gettext(
                            "Identitas pelapor laporan ini telah dihapus atas permintaan, "
                            "sehingga laporan tidak dapat dihubungkan ke akun. Anda tetap dapat "
                            "melacaknya dengan nomor dan kode akses."
                        )
                    ]
                }
            )
        if reporter.user_id == user.pk:
            raise ValidationError(
                {NON_FIELD_ERRORS: [gettext("Laporan ini sudah ada di daftar laporan Anda.")]}
            )
        if reporter.user_id is not None:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        gettext(
                            "Laporan ini sudah terhubung dengan akun lain. Anda tetap dapat "
                            "melacaknya dengan nomor dan kode akses."
                        )
                    ]
                }
            )
        reporter.user = user
        reporter.save(update_fields=["user"])
        event_write(
            complaint=complaint,
            action=ACCOUNT_LINKED,
            actor=reporter_actor(user=user),
            now=now,
        )
    log.info("Report %s linked to citizen account %s", complaint.pk, user.pk)
    return complaint
