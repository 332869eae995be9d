"""Forms of the staff login: username and password, the second-factor code, setting up an
authenticator app, and staff passwords (reset by e-mail, change).

Passwords and codes are never echoed back into a re-rendered page.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.actors import actor_for_user
from complaints.forms.accounts import password_help_text
from complaints.services import is_citizen_account


class StaffForm(forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StaffLoginForm(StaffForm):
    """Username and password of a staff member (an active staff role, or a superuser).

    Unknown users, wrong passwords and inactive accounts get one and the same answer. Only
    someone who typed a *correct* password learns more: that the account is a citizen's (and
    where citizens log in), or that its staff role was revoked. ``refused_user`` is then set,
    so that the view records the refusal as a failed staff login.
    """

    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        error_messages={"required": _("Isi nama pengguna Anda.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        error_messages={"required": _("Isi kata sandi Anda.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa kembali (huruf besar dan kecil "
            "dibedakan), atau pilih “Lupa kata sandi”."
        ),
        "citizen_account": _(
            "Akun ini adalah akun warga. Halaman ini khusus petugas; warga masuk melalui "
            "halaman Masuk warga."
        ),
        "no_staff_role": _(
            "Akun ini tidak (lagi) memiliki peran petugas yang aktif. Bila Anda masih bertugas, "
            "hubungi Admin Kabupaten di Diskominfo."
        ),
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        self.refused_user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        username, password = cleaned.get("username"), cleaned.get("password")
        if not username or not password:
            return cleaned
        # Through every backend: django-axes refuses a locked-out username and address first,
        # and counts a failure here.
        user = authenticate(self.request, username=username, password=password)
        if user is None:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        if actor_for_user(user) is None:
            self.refused_user = user
            if is_citizen_account(user):
                raise ValidationError(
                    self.error_messages["citizen_account"], code="citizen_account"
                )
            raise ValidationError(self.error_messages["no_staff_role"], code="no_staff_role")
        self.user = user
        return cleaned


class SecondFactorForm(StaffForm):
    """The code at login: 6 digits from the app, or a backup code (letters and digits)."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=20,
        help_text=_("Kode 6 angka dari aplikasi autentikator, atau salah satu kode cadangan Anda."),
        error_messages={"required": _("Isi kode verifikasi.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class SetupConfirmForm(StaffForm):
    """The first code of a newly added app: proves the secret was copied right."""

    code = forms.CharField(
        label=_("Kode 6 angka dari aplikasi"),
        max_length=12,
        error_messages={"required": _("Isi kode 6 angka yang tampil di aplikasi.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class PasswordProofForm(StaffForm):
    """Re-verification before a change to the second factor, for an account without one."""

    password = forms.CharField(
        label=_("Kata sandi Anda saat ini"),
        strip=False,
        error_messages={"required": _("Isi kata sandi Anda.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeProofForm(StaffForm):
    """Re-verification before a change to the second factor, for an account that has one."""

    code = forms.CharField(
        label=_("Kode verifikasi saat ini"),
        max_length=20,
        help_text=_("Kode 6 angka dari aplikasi Anda sekarang, atau satu kode cadangan."),
        error_messages={"required": _("Isi kode verifikasi.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


# --- Passwords ----------------------------------------------------------------------------


class StaffPasswordResetForm(PasswordResetForm):
    """Sends the reset link only to staff accounts; the page answers the same either way."""

    email = forms.EmailField(
        label=_("Alamat e-mail petugas"),
        max_length=254,
        error_messages={
            "required": _("Isi alamat e-mail akun petugas Anda."),
            "invalid": _("Alamat e-mail ini tidak lengkap. Contoh: nama@kuduskab.go.id."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.throttle_message = None

    def refuse_throttled(self, message: str) -> None:
        self.throttle_message = message

    def clean(self):
        cleaned = super().clean()
        if self.throttle_message:
            raise ValidationError(self.throttle_message, code="throttled")
        return cleaned

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(
            Q(staff_role__is_active=True) | Q(is_superuser=True),
            email__iexact=email,
            is_active=True,
        )
        return (user for user in users if user.has_usable_password())


class _NewPasswordLabels:
    def _label_new_passwords(self) -> None:
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = password_help_text()
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""


class StaffSetPasswordForm(_NewPasswordLabels, SetPasswordForm):
    """A new password from a reset link (or an invitation): the settings' validators apply."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._label_new_passwords()


class StaffPasswordChangeForm(_NewPasswordLabels, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi saat ini")
        self._label_new_passwords()
