"""The complaint form of the website (``/lapor/``).

The form checks what it can check cheaply and in the reporter's words (required fields,
lengths, dates, the desa's kecamatan, the format of NIK, phone and e-mail with the service's
own rules, the number and size of attachments); ``complaint_submit`` checks everything again
and also the content of each file. Its ValidationError is mapped back onto these fields by
``add_service_errors``.

Choices are built from four queries (classifications, categories, kecamatan, desa) and the
chosen values are looked up in what those queries returned, so validating costs no further
query.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Classification, Desa, Kecamatan
from complaints.services import (
    TEXT_MAX_LENGTH,
    TEXT_MIN_LENGTH,
    TITLE_MAX_LENGTH,
    normalise_nik,
    normalise_phone,
)

# The honeypot's name: something no person fills and browsers' autofill does not recognise.
HONEYPOT_FIELD = "situs_web_kantor"
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,application/pdf"
COORDINATE_PLACES = Decimal("0.000001")

# One line each, shown under the choice (by Classification.code).
CLASSIFICATION_HELP = {
    "pengaduan": _(
        "Keluhan tentang layanan publik yang tidak berjalan semestinya, misalnya jalan rusak "
        "atau pungutan liar."
    ),
    "aspirasi": _("Usulan atau saran untuk perbaikan layanan dan pembangunan di Kudus."),
    "permintaan-informasi": _(
        "Pertanyaan atau permintaan informasi publik kepada Pemerintah Kabupaten Kudus."
    ),
}


class GroupedSelect(forms.Select):
    """A select whose options may carry data attributes (``option_data[value]``)."""

    def __init__(self, attrs=None, choices=(), option_data=None):
        super().__init__(attrs, choices)
        self.option_data = option_data or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_data.get(str(value), {}))
        return option


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    classification = forms.ChoiceField(
        label=_("Jenis laporan"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenis laporan.")},
    )
    category = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        help_text=_("Pilih yang paling dekat; petugas dapat memindahkannya bila perlu."),
    )
    title = forms.CharField(
        label=_("Judul"),
        required=False,
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Ringkas dalam satu kalimat, misalnya “Lampu jalan mati di Jl. Sunan Muria”."),
    )
    text = forms.CharField(
        label=_("Isi laporan"),
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_MAX_LENGTH}),
        error_messages={"required": _("Tuliskan isi laporan Anda.")},
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid; gunakan format tahun-bulan-tanggal.")},
    )
    kecamatan = forms.ChoiceField(
        label=_("Kecamatan"),
        required=False,
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("complaints:desa_options"),
                "hx-target": "#id_desa",
                "hx-trigger": "change",
                "hx-include": "#id_desa",
            }
        ),
    )
    desa = forms.ChoiceField(
        label=_("Desa/kelurahan"),
        required=False,
        widget=GroupedSelect,
    )
    address = forms.CharField(
        label=_("Alamat atau patokan lokasi"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Nama jalan, RT/RW, atau patokan terdekat, misalnya “depan SD 2 Jepang”."),
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    attachments = MultipleFileField(
        label=_("Foto atau dokumen"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}),
    )
    is_secret = forms.BooleanField(
        label=_("Rahasiakan laporan"),
        required=False,
        help_text=_(
            "Laporan tidak ditampilkan kepada publik sama sekali; hanya petugas yang "
            "menanganinya yang dapat membacanya."
        ),
    )
    is_anonymous = forms.BooleanField(
        label=_("Sembunyikan identitas saya (anonim)"),
        required=False,
        help_text=_(
            "Laporan boleh tampil di situs publik, tetapi nama dan kontak Anda disembunyikan "
            "dari OPD dan dari publik; hanya Admin Kabupaten yang melihatnya."
        ),
    )
    reporter_name = forms.CharField(
        label=_("Nama"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Contoh: 0812 3456 7890."),
    )
    reporter_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,  # Reporter.email's column
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Alamat e-mail tidak valid.")},
        help_text=_("Contoh: nama@contoh.id."),
    )
    reporter_nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("16 angka pada KTP-el. Membantu petugas bila laporan menyangkut data Anda."),
    )
    consent = forms.BooleanField(
        label=_("Saya menyetujui pemberitahuan privasi"),
        error_messages={
            "required": _("Anda perlu menyetujui pemberitahuan privasi untuk mengirim laporan.")
        },
    )
    # See HONEYPOT_FIELD; hidden from people and assistive technology by the template.
    situs_web_kantor = forms.CharField(required=False)

    # Form field ← key of complaint_submit's ValidationError.
    SERVICE_ERROR_FIELDS = {
        "text": "text",
        "title": "title",
        "desa": "desa",
        "lat": "lat",
        "incident_date": "incident_date",
        "attachments": "attachments",
        "reporter_nik": "reporter_nik",
        "reporter_phone": "reporter_phone",
        "reporter_email": "reporter_email",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Help texts with numbers are built per form: in the visitor's language, from the
        # current settings.
        self.fields["text"].help_text = _(
            "Apa yang terjadi, di mana, sejak kapan, dan apa yang Anda harapkan. "
            "Minimal %(min)s, maksimal %(max)s karakter. Jangan tulis nomor telepon atau NIK "
            "di sini."
        ) % {"min": TEXT_MIN_LENGTH, "max": TEXT_MAX_LENGTH}
        self.fields["attachments"].help_text = _(
            "Hingga %(count)s berkas foto (JPEG, PNG, WebP) atau PDF, masing-masing paling besar "
            "%(mb)s MB. Data lokasi GPS di dalam foto kami hapus."
        ) % {
            "count": settings.ATTACHMENT_MAX_COUNT,
            "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        }
        self.fields["incident_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self._load_choices()

    # --- Choices --------------------------------------------------------------------------

    def _load_choices(self):
        classifications = list(Classification.objects.filter(is_active=True))
        self.classifications = {str(c.pk): c for c in classifications}
        self.fields["classification"].choices = [(str(c.pk), c.name) for c in classifications]
        self.classification_help = {
            str(c.pk): CLASSIFICATION_HELP.get(c.code, "") for c in classifications
        }
        if not self.is_bound and not self.initial.get("classification") and classifications:
            self.initial["classification"] = str(classifications[0].pk)

        categories = list(Category.objects.filter(is_active=True))
        self.categories = {str(c.pk): c for c in categories}
        self.fields["category"].choices = category_choices(categories)

        kecamatan = list(Kecamatan.objects.all())
        self.kecamatan = {str(k.pk): k for k in kecamatan}
        self.fields["kecamatan"].choices = [("", _("— Pilih kecamatan —"))] + [
            (str(k.pk), k.name) for k in kecamatan
        ]

        desa = list(Desa.objects.order_by("name"))
        self.desa = {str(d.pk): d for d in desa}
        self.fields["desa"].choices = desa_choices(desa, kecamatan)
        self.fields["desa"].widget.option_data = {
            str(d.pk): {"data-kecamatan": str(d.kecamatan_id)} for d in desa
        }

    def classification_options(self):
        """(radio subwidget, one-line explanation) pairs for the template."""
        return [
            (radio, self.classification_help.get(str(radio.data["value"]), ""))
            for radio in self["classification"]
        ]

    # --- Cleaning -------------------------------------------------------------------------

    def clean_classification(self):
        return self.classifications.get(self.cleaned_data["classification"])

    def clean_category(self):
        return self.categories.get(self.cleaned_data["category"] or "")

    def clean_kecamatan(self):
        return self.kecamatan.get(self.cleaned_data["kecamatan"] or "")

    def clean_desa(self):
        return self.desa.get(self.cleaned_data["desa"] or "")

    def clean_text(self):
        # Browsers send line breaks as CRLF but count them as one character against maxlength.
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        if len(text) < TEXT_MIN_LENGTH:
            raise ValidationError(
                _("Isi laporan minimal %(min)s karakter (sekarang %(now)s)."),
                params={"min": TEXT_MIN_LENGTH, "now": len(text)},
                code="text_short",
            )
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(
                _("Isi laporan maksimal %(max)s karakter (sekarang %(now)s)."),
                params={"max": TEXT_MAX_LENGTH, "now": len(text)},
                code="text_long",
            )
        return text

    def clean_incident_date(self):
        value = self.cleaned_data["incident_date"]
        if value is not None and value > timezone.localdate():
            raise ValidationError(
                _("Tanggal kejadian tidak boleh di masa depan."), code="future_date"
            )
        return value

    def clean_reporter_phone(self):
        return normalise_phone(self.cleaned_data["reporter_phone"])

    def clean_reporter_email(self):
        return (self.cleaned_data["reporter_email"] or "").strip().lower()

    def clean_reporter_nik(self):
        return normalise_nik(self.cleaned_data["reporter_nik"])

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        limit = settings.ATTACHMENT_MAX_COUNT
        if len(files) > limit:
            raise ValidationError(
                _("Lampiran maksimal %(limit)s berkas; Anda memilih %(count)s."),
                params={"limit": limit, "count": len(files)},
                code="too_many_files",
            )
        max_bytes = settings.ATTACHMENT_MAX_BYTES
        too_large = [f.name for f in files if f.size > max_bytes]
        if too_large:
            raise ValidationError(
                [
                    ValidationError(
                        _("Berkas “%(name)s” terlalu besar (maksimal %(mb)s MB)."),
                        params={"name": name, "mb": max_bytes // (1024 * 1024)},
                        code="file_too_large",
                    )
                    for name in too_large
                ]
            )
        return files

    def clean(self):
        data = super().clean()
        kecamatan, desa = data.get("kecamatan"), data.get("desa")
        if desa is not None and kecamatan is not None and desa.kecamatan_id != kecamatan.pk:
            self.add_error(
                "desa",
                ValidationError(
                    _("%(desa)s tidak berada di Kecamatan %(kecamatan)s."),
                    params={"desa": desa, "kecamatan": kecamatan.name},
                    code="desa_kecamatan",
                ),
            )
        elif desa is not None and kecamatan is None:
            data["kecamatan"] = self.kecamatan.get(str(desa.kecamatan_id))
        self._clean_location(data)
        return data

    def _clean_location(self, data):
        raw_lat, raw_lng = data.get("lat") or "", data.get("lng") or ""
        data["lat"] = data["lng"] = None
        if not raw_lat and not raw_lng:
            return
        try:
            lat = Decimal(raw_lat).quantize(COORDINATE_PLACES)
            lng = Decimal(raw_lng).quantize(COORDINATE_PLACES)
        except (InvalidOperation, ValueError):
            self.add_error("lat", _("Titik lokasi tidak valid; hapus titik lalu pilih ulang."))
            return
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            self.add_error("lat", _("Titik lokasi tidak valid; hapus titik lalu pilih ulang."))
            return
        data["lat"], data["lng"] = lat, lng

    # --- For the view -------------------------------------------------------------------

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def contacts(self) -> list[str]:
        """The normalised ways to reach the reporter (for the per-contact rate limit)."""
        return [
            value
            for value in (
                self.cleaned_data.get("reporter_phone"),
                self.cleaned_data.get("reporter_email"),
            )
            if value
        ]

    def service_arguments(self) -> dict:
        """Keyword arguments for ``complaint_submit`` from the cleaned data."""
        data = self.cleaned_data
        return {
            "classification": data["classification"],
            "category": data["category"],
            "title": data["title"],
            "text": data["text"],
            "kecamatan": data["kecamatan"],
            "desa": data["desa"],
            "address": data["address"],
            "lat": data["lat"],
            "lng": data["lng"],
            "incident_date": data["incident_date"],
            "is_secret": data["is_secret"],
            "is_anonymous": data["is_anonymous"],
            "reporter_name": data["reporter_name"],
            "reporter_phone": data["reporter_phone"],
            "reporter_email": data["reporter_email"],
            "reporter_nik": data["reporter_nik"],
            "attachments": data["attachments"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's field → messages dict next to the matching fields."""
        for key, messages in error.message_dict.items():
            field = self.SERVICE_ERROR_FIELDS.get(key)
            for message in messages:
                self.add_error(field, message)


def category_choices(categories) -> list:
    """The active category tree as select choices: one optgroup per top-level category with
    sub-categories (the top-level one itself last, as "…: lainnya"), then the top-level
    categories without any."""
    children: dict[int, list] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    groups, standalone = [], []
    for category in categories:
        if category.parent_id is not None:
            continue
        kids = children.get(category.pk)
        if kids:
            options = [(str(kid.pk), kid.name) for kid in kids]
            options.append((str(category.pk), _("%(name)s: lainnya") % {"name": category.name}))
            groups.append((category.name, options))
        else:
            standalone.append((str(category.pk), category.name))
    if standalone:
        groups.append((_("Lainnya"), standalone))
    return [("", _("— Belum tahu, biar petugas yang memilih —")), *groups]


def desa_choices(desa, kecamatan) -> list:
    """Every desa/kelurahan grouped by kecamatan: the choice that works without JavaScript."""
    by_kecamatan: dict[int, list] = {}
    for item in desa:
        by_kecamatan.setdefault(item.kecamatan_id, []).append((str(item.pk), str(item)))
    groups = [
        (_("Kecamatan %(name)s") % {"name": k.name}, by_kecamatan[k.pk])
        for k in kecamatan
        if k.pk in by_kecamatan
    ]
    return [("", _("— Pilih desa/kelurahan —")), *groups]
