"""Forms of the citizen account pages: register, log in, reset a password, link a report.

Passwords are never echoed back into a re-rendered page (they would sit in the HTML, the
browser cache and the history); everything else the citizen typed is kept on any refusal.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaints.services import (
    citizen_password_reset_sms,
    citizen_register_check,
    has_staff_rights,
    is_citizen_account,
    normalise_phone,
)
from complaints.services.citizens import NAME_MAX_LENGTH


def password_min_length() -> int:
    """The minimum length configured in AUTH_PASSWORD_VALIDATORS (for the help text)."""
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 8


def password_help_text() -> str:
    length = password_min_length()
    return ngettext(
        "Minimal %(n)d karakter. Jangan hanya angka, jangan mirip nama atau e-mail Anda, dan "
        "hindari kata sandi yang umum.",
        "Minimal %(n)d karakter. Jangan hanya angka, jangan mirip nama atau e-mail Anda, dan "
        "hindari kata sandi yang umum.",
        length,
    ) % {"n": length}


class ThrottleMixin:
    """Lets a view refuse one submission for a rate limit: the form still re-renders what was
    typed, with the message at the top, and no other check (no password, no look-up) runs."""

    throttle_message = None

    def refuse_throttled(self, message: str) -> None:
        self.throttle_message = message

    def check_throttle(self) -> None:
        if self.throttle_message:
            raise ValidationError(self.throttle_message, code="throttled")


class AccountForm(ThrottleMixin, forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _text(autocomplete: str, **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, **attrs})


def _password(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


class RegisterForm(AccountForm):
    """Structure only; the rules (contact, duplicates, password strength, consent) are the
    service's, so every refusal of one submission is shown at once."""

    name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=_text("name", autocapitalize="words"),
    )
    email = forms.CharField(
        label=_("Alamat e-mail"),
        max_length=254,
        required=False,
        help_text=_("Untuk tautan verifikasi, pemberitahuan laporan, dan atur ulang kata sandi."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=32,
        required=False,
        help_text=_("Contoh: 0812 3456 7890."),
        widget=_text("tel", type="tel", inputmode="tel"),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        required=False,
        strip=False,
        widget=_password("new-password"),
    )
    password_confirm = forms.CharField(
        label=_("Ulangi kata sandi"),
        required=False,
        strip=False,
        widget=_password("new-password"),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya telah membaca pemberitahuan privasi dan setuju data akun saya diproses untuk "
            "layanan pengaduan."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_help_text()

    def clean(self):
        cleaned = super().clean()
        self.check_throttle()
        password = cleaned.get("password") or ""
        confirm = cleaned.get("password_confirm") or ""
        if password and not confirm:
            self.add_error("password_confirm", _("Ketik ulang kata sandi Anda."))
        elif password and confirm != password:
            self.add_error("password_confirm", _("Kedua kata sandi tidak sama. Ketik ulang."))
        try:
            citizen_register_check(**self.service_arguments())
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                # A field Django already refused (e.g. too long) keeps its own message.
                if field not in self.errors:
                    self.add_error(field, messages)
        return cleaned

    def service_arguments(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            "phone": data.get("phone", ""),
            "password": data.get("password", ""),
            "consented": bool(data.get("consent")),
        }


class LoginForm(AccountForm):
    login = forms.CharField(
        label=_("E-mail atau nomor HP"),
        max_length=254,
        error_messages={"required": _("Isi alamat e-mail atau nomor HP Anda.")},
        widget=_text("username", autocapitalize="none", spellcheck="false"),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        error_messages={"required": _("Isi kata sandi Anda.")},
        widget=_password("current-password"),
    )

    error_messages = {
        "invalid_login": _(
            "E-mail/nomor HP atau kata sandi salah. Periksa kembali, atau pilih “Lupa kata sandi”."
        ),
        "staff_account": _(
            "Akun ini adalah akun petugas. Petugas masuk melalui halaman petugas, bukan di "
            "halaman warga."
        ),
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self.check_throttle()
        login, password = cleaned.get("login"), cleaned.get("password")
        if not login or not password:
            return cleaned
        user = authenticate(self.request, username=login, password=password)
        if user is None:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        # ModelBackend also answers to a staff username: the citizen login never lets staff in.
        if not is_citizen_account(user):
            if has_staff_rights(user):
                raise ValidationError(self.error_messages["staff_account"], code="staff_account")
            # A user without a citizen profile (made by hand in the admin) is no citizen
            # account either: answered like an unknown one.
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        self.user = user
        return cleaned


class CitizenPasswordResetForm(ThrottleMixin, PasswordResetForm):
    """Django's reset form for citizen accounts, by e-mail or (by SMS) by phone number.

    A staff address gets no mail here (the back-office has its own reset), and the page
    answers the same whether or not the address or number belongs to an account. The field
    keeps Django's name ``email`` so the e-mail path is Django's own; it also takes a phone
    number, cleaned to E.164.
    """

    email = forms.CharField(
        label=_("Alamat e-mail atau nomor HP akun Anda"),
        max_length=254,
        error_messages={"required": _("Isi alamat e-mail atau nomor HP akun Anda.")},
        widget=_text("username", autocapitalize="none", spellcheck="false"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_email(self):
        value = self.cleaned_data["email"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("Alamat e-mail tidak valid. Contoh: nama@contoh.com"), code="invalid"
                ) from None
            return value.lower()
        try:
            phone = normalise_phone(value)
        except ValidationError:
            phone = ""
        if not phone:
            raise ValidationError(
                _("Isi alamat e-mail (nama@contoh.com) atau nomor HP (0812 3456 7890)."),
                code="invalid",
            )
        return phone

    @property
    def by_phone(self) -> bool:
        return "@" not in self.cleaned_data.get("email", "@")

    def clean(self):
        cleaned = super().clean()
        self.check_throttle()
        return cleaned

    def get_users(self, email):
        return (user for user in super().get_users(email) if is_citizen_account(user))

    def save(self, *args, **kwargs):
        if self.by_phone:
            citizen_password_reset_sms(phone=self.cleaned_data["email"])
            return
        super().save(*args, **kwargs)


class CitizenSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = password_help_text()
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("Kedua kata sandi tidak sama. Ketik ulang."),
        }


class ClaimReportForm(AccountForm):
    tracking_number = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=40,
        error_messages={"required": _("Isi nomor pelacakan laporan.")},
        widget=_text("off", autocapitalize="characters", spellcheck="false"),
    )
    access_code = forms.CharField(
        label=_("Kode akses"),
        max_length=40,
        error_messages={"required": _("Isi kode akses yang Anda terima saat melapor.")},
        widget=_text("off", autocapitalize="characters", spellcheck="false"),
    )

    def clean(self):
        cleaned = super().clean()
        self.check_throttle()
        return cleaned
