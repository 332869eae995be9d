"""Staff accounts: the second factor (TOTP and one-time backup codes), a superuser's reset of
a lost device, and deactivating an account without losing its history.

Who *must* use a second factor is decided in one place, ``disposition.views.access
.needs_second_factor``; the functions here only set up, check and remove devices.

Every change to a staff member's sign-in is written to the Django admin's log (``LogEntry``
on the user, visible in the user's "History" in the admin): set-up, new backup codes, a
superuser's reset, deactivation. Logins, failed logins and logouts are django-axes' logs
(``AccessLog``, ``AccessFailureLog``).

Backup codes are django-otp ``StaticToken`` rows, which store each code in plain text. Hashing
them would protect little: the TOTP secret next to them must be stored in plain text anyway
(the server computes codes from it), so whoever reads the table has the second factor either
way. What protects them is the same as for the secret: the admin hides both
(``OTP_ADMIN_HIDE_SENSITIVE_DATA``), a code works once, and wrong codes are throttled.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from disposition.models import StaffRole

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Aplikasi autentikator"
BACKUP_DEVICE_NAME = "Kode cadangan"

# Admin-log messages (stored as written: Django's admin log keeps plain text).
LOG_SETUP = gettext_lazy("Verifikasi dua langkah diatur (aplikasi autentikator baru).")
LOG_BACKUP_CODES = gettext_lazy("Kode cadangan verifikasi dua langkah dibuat ulang.")
LOG_RESET = gettext_lazy(
    "Perangkat verifikasi dua langkah direset oleh superuser; petugas harus mengatur ulang "
    "saat masuk berikutnya."
)
LOG_DEACTIVATED = gettext_lazy("Akun petugas dinonaktifkan: %(reason)s")


class SecondFactorError:
    """Codes of the ValidationErrors raised here (views show the message as is)."""

    INVALID = "invalid"
    THROTTLED = "throttled"
    NO_DEVICE = "no_device"


# --- Reading ------------------------------------------------------------------------------


def totp_device_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any (a user has at most one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Setting up ---------------------------------------------------------------------------


def totp_new_key() -> str:
    """A fresh secret (hex, 20 random bytes) for a device being set up."""
    return default_key()


def totp_secret_text(key: str) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of four."""
    secret = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_config_url(user, key: str) -> str:
    """The otpauth:// address the QR code carries (django-otp's own format and issuer)."""
    return TOTPDevice(user=user, key=key).config_url


def _clean_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _totp_matches(key: str, code: str) -> TOTP | None:
    """A TOTP that accepted ``code`` under secret ``key`` (its t() and drift are where it
    matched, ±1 step as django-otp's devices allow), or None. Device defaults: 30 s, 6 digits."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6)
    totp.time = time.time()
    return totp if totp.verify(int(code), tolerance=1) else None


def second_factor_enrol(*, user, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm an authenticator app for ``user`` with a code it shows, replacing any earlier
    app and backup codes; returns the new device and the new backup codes (to show once).

    The code proves the app holds ``key`` before anything is replaced, so a mistyped secret
    never locks the user out. Raises ValidationError({"code": …}).
    """
    totp = _totp_matches(key, _clean_code(code))
    if totp is None:
        raise ValidationError(
            {
                "code": ValidationError(
                    _(
                        "Kode tidak cocok. Pastikan Anda memasukkan kode 6 angka yang sedang "
                        "tampil di aplikasi, dan jam ponsel Anda tepat."
                    ),
                    code=SecondFactorError.INVALID,
                )
            }
        )
    with transaction.atomic():
        # Two set-ups racing (two tabs) must not leave two apps: one waits for the other.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        TOTPDevice.objects.filter(user=user).delete()
        # last_t: the code just typed cannot be replayed to log in. The drift stays 0: one
        # code typed across a 30-second boundary says nothing about the phone's clock.
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=totp.t()
        )
        codes = _backup_codes_replace(user)
        _log(by=user, user=user, message=LOG_SETUP)
    return device, codes


def backup_codes_replace(*, user) -> list[str]:
    """New backup codes for ``user`` (the old ones stop working); the codes, to show once."""
    with transaction.atomic():
        codes = _backup_codes_replace(user)
        _log(by=user, user=user, message=LOG_BACKUP_CODES)
    return codes


def _backup_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()  # 8 base32 characters: 40 random bits
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_code_display(code: str) -> str:
    """abcdefgh → abcd-efgh: easier to read aloud and copy (the dash is optional on entry)."""
    return f"{code[:4]}-{code[4:]}"


# --- Verifying ----------------------------------------------------------------------------


def second_factor_verify(*, user, code: str):
    """The device that accepts ``code`` for ``user``: a 6-digit code from the authenticator
    app or one of the backup codes (which then stops working).

    Wrong codes are throttled per device by django-otp (1, 2, 4, 8 … seconds between tries);
    a try during that wait is refused without being checked. Raises ValidationError with code
    ``invalid``, ``throttled`` or ``no_device``.
    """
    code = _clean_code(code)
    # Six digits: the app; anything else: a backup code (eight letters and digits).
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        # Locked: two requests with the same code must not both pass (a backup code is used
        # once, a TOTP code once per step through last_t).
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is None:
            if model is StaticDevice:
                raise _invalid_code()
            raise ValidationError(
                _("Akun ini belum memiliki aplikasi autentikator."),
                code=SecondFactorError.NO_DEVICE,
            )
        allowed, details = device.verify_is_allowed()
        if not allowed:
            raise _throttled(details)
        if not code or not device.verify_token(code):
            raise _invalid_code()
    return device


def _invalid_code() -> ValidationError:
    return ValidationError(
        _(
            "Kode salah atau sudah pernah dipakai. Masukkan kode 6 angka yang sedang tampil di "
            "aplikasi autentikator, atau salah satu kode cadangan Anda."
        ),
        code=SecondFactorError.INVALID,
    )


def _throttled(details: dict | None) -> ValidationError:
    locked_until = (details or {}).get("locked_until")
    seconds = 1
    if locked_until is not None:
        seconds = max(1, int((locked_until - timezone.now()).total_seconds() + 0.999))
    return ValidationError(
        _(
            "Terlalu banyak kode salah berturut-turut. Demi keamanan, tunggu %(seconds)d detik "
            "lalu coba lagi dengan kode yang baru tampil di aplikasi."
        )
        % {"seconds": seconds},
        code=SecondFactorError.THROTTLED,
        params={"seconds": seconds},
    )


# --- Superuser reset, deactivation --------------------------------------------------------


def second_factor_reset(*, by, user) -> int:
    """A superuser removes ``user``'s authenticator app and backup codes (lost phone). The
    user's current sessions lose their verification at the next request (the device they
    point at is gone), and a role that needs a second factor must set one up at next login.

    Returns the number of devices removed. Raises ValidationError if ``by`` is not a superuser.
    """
    if not (by.is_active and by.is_superuser):
        raise ValidationError(_("Hanya superuser yang dapat mereset perangkat petugas."))
    if by.pk == user.pk:
        raise ValidationError(
            _("Anda tidak dapat mereset perangkat sendiri: minta superuser lain.")
        )
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        removed += (
            StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
        )
        _log(by=by, user=user, message=LOG_RESET)
    return removed


def staff_account_deactivate(*, by, user, reason: str) -> None:
    """Deactivate a staff account: it can no longer log in (its open sessions end at the next
    request: Django refuses inactive users) and its role is revoked, but nothing is deleted:
    the user row, its role row, and everything it did (events, responses, dispositions
    assigned to it) stay, so the history of every report still names who acted.

    Its second-factor devices are removed, so a reactivated account sets up a fresh one.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan menonaktifkan akun ini.")})
    if by.pk == user.pk:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        user.is_active = False
        user.save(update_fields=["is_active"])
        StaffRole.objects.filter(user=user).update(is_active=False)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _log(by=by, user=user, message=LOG_DEACTIVATED % {"reason": reason})


def _log(*, by, user, message) -> None:
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=get_user_model().objects.filter(pk=user.pk),
        action_flag=CHANGE,
        change_message=str(message),
        single_object=True,
    )
