"""Forms of Admin Kabupaten's inbox: its filters (a GET form: the URL is the state, so a
filtered queue can be bookmarked and works without JavaScript), its bulk actions and the staff
entry of a report on behalf of a walk-in, phone or WhatsApp reporter.

The filter form reports an invalid value next to its field and ignores it; the valid filters
still apply. Choices come from ``inbox_options()`` (three queries), so validating costs no
further query.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from complaints.forms import category_filter_choices
from complaints.forms.report import ReportForm
from complaints.models import Channel, Priority, Status
from complaints.services import TEXT_MIN_LENGTH
from disposition.selectors import (
    INBOX_DEFAULT_QUEUE,
    INBOX_QUEUES,
    INBOX_SLA_CHOICES,
    INBOX_SORTS,
    InboxFilters,
    InboxOptions,
)

SEARCH_MAX_LENGTH = 100
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
# More than one page (50) is never shown at once; this bounds a forged request.
BULK_MAX = 100
# The channels a staff member enters a report for: someone who came, called or wrote on
# WhatsApp. The website, the app, Open311 and LAPOR! have their own intake.
STAFF_ENTRY_CHANNELS = (Channel.WHATSAPP, Channel.OFFLINE)

_INVALID_CHOICE = _("Pilihan tidak dikenal; pilih dari daftar.")
_INVALID_DATE = _("Tanggal tidak valid; gunakan format HH-BB-TTTT.")


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": _INVALID_DATE},
    )


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("kata dalam judul atau isi, nomor laporan, ID LAPOR!"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
        error_messages={"max_length": _("Kata kunci maksimal %(limit_value)d karakter.")},
    )
    antrian = forms.ChoiceField(
        required=False,
        choices=[(q.key, q.label) for q in INBOX_QUEUES],
        widget=forms.HiddenInput,
    )
    urut = forms.ChoiceField(label=_("Urutan"), required=False, choices=INBOX_SORTS)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), *Status.choices],
    )
    kanal = forms.ChoiceField(
        label=_("Kanal"), required=False, choices=[("", _("Semua")), *Channel.choices]
    )
    klasifikasi = forms.ChoiceField(label=_("Klasifikasi"), required=False)
    kategori = forms.ChoiceField(label=_("Kategori"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    opd = forms.ChoiceField(
        label=_("OPD"),
        required=False,
        help_text=_("OPD dengan disposisi yang masih berjalan."),
    )
    sla = forms.ChoiceField(
        label=_("Tenggat"),
        required=False,
        choices=[("", _("Semua")), *INBOX_SLA_CHOICES],
    )
    dari = _date_field(_("Diterima sejak"))
    sampai = _date_field(_("Diterima sampai"))

    # Fields of the "more filters" group (the rest are always in view).
    MORE = ("status", "kanal", "klasifikasi", "kategori", "kecamatan", "opd", "dari", "sampai")

    def __init__(self, *args, options: InboxOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["klasifikasi"].choices = [
            ("", _("Semua")),
            *((str(pk), name) for pk, name in options.classifications),
        ]
        self.fields["kategori"].choices = [
            ("", _("Semua")),
            *category_filter_choices(self.options.places.categories),
        ]
        self.fields["kecamatan"].choices = [
            ("", _("Semua")),
            *options.places.kecamatan,
        ]
        self.fields["opd"].choices = [
            ("", _("Semua")),
            *((str(o.pk), o.short_name or o.name) for o in options.opds),
        ]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = _INVALID_CHOICE

    def clean_q(self):
        return self.cleaned_data["q"].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end and end < start:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return cleaned

    def filters(self) -> InboxFilters:
        """The valid filters only (an unbound form: the default queue)."""
        if not self.is_bound:
            return InboxFilters()
        self.is_valid()
        data = self.cleaned_data
        category_ids: frozenset[int] = frozenset()
        if data.get("kategori"):
            slug_to_id = {c.slug: c.id for c in self.options.places.categories}
            category_ids = frozenset(
                self.options.places.category_with_descendants(slug_to_id[data["kategori"]])
            )
        return InboxFilters(
            queue=data.get("antrian") or INBOX_DEFAULT_QUEUE,
            sort=data.get("urut") or "",
            query=data.get("q") or "",
            status=data.get("status") or "",
            channel=data.get("kanal") or "",
            classification_id=int(data["klasifikasi"]) if data.get("klasifikasi") else None,
            category_ids=category_ids,
            kecamatan_code=data.get("kecamatan") or "",
            opd_id=int(data["opd"]) if data.get("opd") else None,
            sla=data.get("sla") or "",
            date_from=data.get("dari"),
            date_to=data.get("sampai"),
        )

    @property
    def more_filter_count(self) -> int:
        """How many of the folded filters hold a valid value (the fold opens when any does)."""
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for name in self.MORE if self.cleaned_data.get(name))

    @property
    def more_fields(self):
        return [self[name] for name in self.MORE]


# --- bulk actions ---------------------------------------------------------------------------


class IdListField(forms.Field):
    """The ids of the rows ticked (``<input type=checkbox name=pilih value=id>``)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Pilih minimal satu laporan."),
        "invalid": _("Pilihan laporan tidak valid."),
        "too_many": _("Paling banyak %(max)d laporan sekaligus."),
    }

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(i <= 0 for i in ids):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(ids))

    def validate(self, value):
        super().validate(value)
        if len(value) > BULK_MAX:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": BULK_MAX}
            )


class BulkActionForm(forms.Form):
    ARCHIVE_SPAM = "arsip_spam"
    DISPOSITION = "disposisi"

    aksi = forms.ChoiceField(
        label=_("Tindakan untuk laporan terpilih"),
        choices=[
            ("", _("— Pilih tindakan —")),
            (ARCHIVE_SPAM, _("Arsipkan sebagai spam")),
            (DISPOSITION, _("Disposisikan ke OPD…")),
        ],
        error_messages={"required": _("Pilih tindakan."), "invalid_choice": _INVALID_CHOICE},
    )
    opd = forms.ChoiceField(
        label=_("OPD tujuan (utama)"),
        required=False,
        error_messages={"invalid_choice": _INVALID_CHOICE},
    )
    pilih = IdListField()
    # The inbox's query string, to return to the same queue, filters and page.
    kembali = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    konfirmasi = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, options: InboxOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.opds = {str(o.pk): o for o in options.opds}
        self.fields["opd"].choices = [("", _("— Pilih OPD —"))] + [
            (
                str(o.pk),
                o.name if o.has_admin else _("%(name)s (belum ada Admin OPD)") % {"name": o.name},
            )
            for o in options.opds
        ]

    def clean_opd(self):
        return self.opds.get(self.cleaned_data["opd"] or "")

    def clean(self):
        cleaned = super().clean()
        wants_opd = cleaned.get("aksi") == self.DISPOSITION
        if wants_opd and cleaned.get("opd") is None and "opd" not in self.errors:
            self.add_error("opd", _("Pilih OPD tujuan disposisi."))
        return cleaned


# --- staff entry of a report ----------------------------------------------------------------


class StaffReportForm(ReportForm):
    """The website's complaint form in a staff member's hands: the channel the report came by
    and its priority are asked; the reporter's consent and the robots' honeypot are not (the
    staff member explains the privacy notice on the phone or at the desk)."""

    consent = None
    situs_web_kantor = None

    channel = forms.ChoiceField(
        label=_("Diterima melalui"),
        choices=[(c.value, c.label) for c in STAFF_ENTRY_CHANNELS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih kanal laporan diterima."),
            "invalid_choice": _INVALID_CHOICE,
        },
    )
    priority = forms.ChoiceField(
        label=_("Prioritas"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        help_text=_("“Mendesak” memperpendek tenggat tanggapan awal OPD."),
        error_messages={"invalid_choice": _INVALID_CHOICE},
    )

    SERVICE_ERROR_FIELDS = {**ReportForm.SERVICE_ERROR_FIELDS, "priority": "priority"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["text"].label = _("Isi laporan (sebagaimana disampaikan pelapor)")
        fields["text"].help_text = _(
            "Catat apa yang terjadi, di mana, sejak kapan, dan harapan pelapor. Minimal "
            "%(min)s karakter. Kontak pelapor diisi di bagian Pelapor, bukan di sini."
        ) % {"min": TEXT_MIN_LENGTH}
        fields["text"].widget.attrs["rows"] = 4
        fields["title"].help_text = _("Opsional; ringkas dalam satu kalimat.")
        fields["category"].help_text = ""
        fields["category"].choices = [
            ("", _("— Pilih kategori (opsional) —")),
            *fields["category"].choices[1:],
        ]
        fields["address"].help_text = ""
        fields["is_secret"].label = _("Rahasia")
        fields["is_secret"].help_text = _("Tidak pernah ditampilkan kepada publik.")
        fields["is_anonymous"].label = _("Anonim")
        fields["is_anonymous"].help_text = _(
            "Identitas pelapor disembunyikan dari OPD dan publik; hanya Admin Kabupaten "
            "yang melihatnya."
        )
        fields["reporter_name"].label = _("Nama pelapor")
        fields["reporter_phone"].label = _("Nomor HP/WhatsApp pelapor")
        fields["reporter_phone"].help_text = _("Kabar perkembangan dikirim ke sini.")
        fields["reporter_email"].label = _("E-mail pelapor")
        fields["reporter_email"].help_text = ""
        fields["reporter_nik"].help_text = ""
        fields["reporter_nik"].widget.attrs["placeholder"] = _("16 angka pada KTP-el")
        fields["attachments"].label = _("Lampiran (foto, tangkapan layar, dokumen)")
        fields["attachments"].help_text = _(
            "Hingga %(count)s berkas JPEG, PNG, WebP atau PDF, masing-masing paling besar "
            "%(mb)s MB."
        ) % {
            "count": settings.ATTACHMENT_MAX_COUNT,
            "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        }
        if not self.is_bound:
            self.initial.setdefault("channel", Channel.WHATSAPP)

    def service_arguments(self) -> dict:
        return {**super().service_arguments(), "priority": self.cleaned_data["priority"]}
