"""Forms of the tracking pages (``/lacak/``): look a report up, ask for a new code, and the
reporter's three actions on their report (add information, object, rate).

Forms check the shape of the input in the reporter's words; the services decide and check
again (``add_service_errors`` maps their ValidationError back onto these fields).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints.services import (
    RATING_COMMENT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    access_code_normalise,
    contact_normalise,
    tracking_number_normalise,
)

ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,application/pdf"
OBJECTION_MAX_LENGTH = 2000

_CODE_ATTRS = {
    "autocomplete": "off",
    "autocapitalize": "characters",
    "spellcheck": "false",
    "inputmode": "text",
}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: known fields by name, the rest on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=40,
        help_text=_("Contoh: KDS-4F7K-9M2Q. Huruf besar/kecil, spasi dan tanda hubung boleh."),
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "placeholder": "KDS-XXXX-XXXX"}),
        error_messages={"required": _("Masukkan nomor pelacakan laporan Anda.")},
    )
    access_code = forms.CharField(
        label=_("Kode akses"),
        max_length=40,
        help_text=_("10 karakter yang ditampilkan setelah Anda mengirim laporan."),
        widget=forms.TextInput(attrs=_CODE_ATTRS),
        error_messages={"required": _("Masukkan kode akses laporan Anda.")},
    )

    def clean_tracking_number(self):
        return tracking_number_normalise(self.cleaned_data["tracking_number"])

    def clean_access_code(self):
        return access_code_normalise(self.cleaned_data["access_code"])


class ResendCodeForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=40,
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "placeholder": "KDS-XXXX-XXXX"}),
        error_messages={"required": _("Masukkan nomor pelacakan laporan Anda.")},
    )
    contact = forms.CharField(
        label=_("Nomor telepon atau e-mail"),
        max_length=254,
        help_text=_("Yang Anda cantumkan saat melapor. Kode baru dikirim ke kontak ini."),
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={"required": _("Masukkan nomor telepon atau alamat e-mail Anda.")},
    )

    def clean_tracking_number(self):
        return tracking_number_normalise(self.cleaned_data["tracking_number"])

    def clean_contact(self):
        contact_normalise(self.cleaned_data["contact"])  # the format only; the service decides
        return self.cleaned_data["contact"].strip()


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > settings.ATTACHMENT_MAX_COUNT:
            raise ValidationError(
                _("Lampiran maksimal %(count)d berkas.") % {"count": settings.ATTACHMENT_MAX_COUNT}
            )
        return files


class ProvideInfoForm(forms.Form):
    text = forms.CharField(
        label=_("Keterangan tambahan"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tuliskan keterangan yang diminta.")},
    )
    attachments = MultipleFileField(
        label=_("Lampiran"),
        required=False,
        help_text=_("Foto (JPG, PNG, WebP) atau PDF, paling banyak 5 berkas, masing-masing 10 MB."),
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa Anda belum puas?"),
        max_length=OBJECTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jelaskan apa yang belum terselesaikan. OPD akan menindaklanjuti lagi."),
        error_messages={"required": _("Jelaskan mengapa Anda belum puas.")},
    )


class RatingForm(forms.Form):
    SCORES = [
        (5, _("5 — Sangat puas")),
        (4, _("4 — Puas")),
        (3, _("3 — Cukup")),
        (2, _("2 — Kurang puas")),
        (1, _("1 — Tidak puas")),
    ]
    score = forms.TypedChoiceField(
        label=_("Nilai penanganan laporan Anda"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih nilai 1 sampai 5.")},
    )
    comment = forms.CharField(
        label=_("Komentar"),
        required=False,
        max_length=RATING_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
