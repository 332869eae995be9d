"""Forms of onboarding: appointing a Pejabat Penghubung, creating an Admin OPD account,
nominating, deciding a nomination, deactivating an account.

They check the shape of the input only; ``disposition.staff`` decides (free e-mail, free
username, who may act) and its errors are put back on these forms by ``add_service_errors``,
so a refusal shows next to what was typed. Field names are the services' error keys.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from disposition.staff import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, POSITION_MAX_LENGTH

NOTE_MAX_LENGTH = 2_000


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AccountForm(_Form):
    """A new account: the person's name and e-mail; the username is made from the e-mail
    unless one is given."""

    name = forms.CharField(label=_("Nama lengkap"), max_length=NAME_MAX_LENGTH)
    email = forms.EmailField(
        label=_("E-mail dinas"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("Undangan untuk membuat kata sandi dikirim ke alamat ini."),
    )
    username = forms.CharField(
        label=_("Nama pengguna (opsional)"),
        max_length=150,
        required=False,
        help_text=_("Kosongkan: dibuat dari alamat e-mail (bagian sebelum @)."),
    )


class AppointForm(AccountForm):
    """The Pejabat Penghubung: a new account, or an existing one by its username."""

    NEW, EXISTING = "baru", "ada"
    account = forms.ChoiceField(
        label=_("Akun"),
        choices=[(NEW, _("Buat akun baru")), (EXISTING, _("Pakai akun yang sudah ada"))],
        initial=NEW,
        widget=forms.RadioSelect,
    )
    existing_username = forms.CharField(
        label=_("Nama pengguna akun yang sudah ada"),
        max_length=150,
        required=False,
        help_text=_(
            "Misalnya Admin OPD yang diangkat menjadi Pejabat Penghubung, atau akun yang "
            "pernah dinonaktifkan."
        ),
    )
    field_order = ["account", "name", "email", "username", "existing_username"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "email"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("account") == self.EXISTING:
            username = (cleaned.get("existing_username") or "").strip()
            if not username:
                self.add_error("existing_username", _("Isi nama pengguna akun yang sudah ada."))
            else:
                user = get_user_model().objects.filter(username__iexact=username).first()
                if user is None:
                    self.add_error(
                        "existing_username", _("Tidak ada akun dengan nama pengguna ini.")
                    )
                cleaned["user"] = user
        else:
            for name, message in (
                ("name", _("Nama wajib diisi.")),
                ("email", _("Alamat e-mail wajib diisi.")),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned


class NominationForm(_Form):
    name = forms.CharField(label=_("Nama lengkap"), max_length=NAME_MAX_LENGTH)
    email = forms.EmailField(
        label=_("E-mail dinas"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("Bila disetujui, undangan untuk membuat kata sandi dikirim ke alamat ini."),
    )
    phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp (opsional)"),
        max_length=30,
        required=False,
        help_text=_("Contoh: 0812 3456 7890."),
    )
    position = forms.CharField(
        label=_("Jabatan (opsional)"),
        max_length=POSITION_MAX_LENGTH,
        required=False,
        help_text=_("Contoh: Pranata Komputer, Subbagian Umum dan Kepegawaian."),
    )


class RejectForm(_Form):
    note = forms.CharField(
        label=_("Alasan penolakan"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ditampilkan kepada Pejabat Penghubung yang mengusulkan."),
    )


class DeactivateForm(_Form):
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: pindah tugas, pensiun. Dicatat dalam riwayat akun."),
    )


class InvitationPasswordForm(SetPasswordForm):
    """The first password, set through the invitation link (Django's rules and validators)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
