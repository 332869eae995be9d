"""Forms of Admin Kabupaten's actions on one report (``/kelola/laporan/<nomor>/``).

They check the shape of the input only; the services decide (status, role, scope) and check
their rules again, and ``add_service_errors`` puts a service's ValidationError back next to
the field it is about, so a refusal shows the service's own words beside what was typed.

Every form has a prefix: the page holds several forms at once (their ``reason`` fields would
otherwise share an id), and a posted form is re-rendered with its input where it was. Choices
come from lists the view loads once, so rendering the page costs a fixed number of queries.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms.report import category_choices
from complaints.forms.tracking import add_service_errors
from complaints.masking import mask_personal_data
from complaints.models import ArchiveReason, Complaint, Priority
from complaints.services import LAPOR_ID_MAX_LENGTH, TITLE_MAX_LENGTH
from disposition.models import ExternalInstitution

__all__ = [
    "AnonymiseForm",
    "ArchiveForm",
    "DispositionForm",
    "DuplicateForm",
    "DuplicateSearchForm",
    "EscalateForm",
    "FlagsForm",
    "LinkLaporForm",
    "RequestInfoForm",
    "VerifyForm",
    "add_service_errors",
    "verify_initial",
]

TEXT_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 2_000
# Archive reasons only LAPOR! gives (the sync applies them); staff choose among the others.
STAFF_ARCHIVE_REASONS = [
    (value, label)
    for value, label in ArchiveReason.choices
    if value not in (ArchiveReason.LAPOR_ARCHIVED, ArchiveReason.LAPOR_REJECTED)
]


def _textarea(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


def _opd_label(opd) -> str:
    label = f"{opd.short_name} — {opd.name}" if opd.short_name != opd.name else opd.name
    if not getattr(opd, "has_active_admin", True):
        label += " " + str(_("(belum ada Admin OPD aktif)"))
    return label


class VerifyForm(forms.Form):
    """Verification: classification, category, priority, flags and the public version."""

    prefix = "verify"

    classification = forms.ChoiceField(
        label=_("Klasifikasi"),
        error_messages={"required": _("Pilih klasifikasi laporan.")},
    )
    category = forms.ChoiceField(
        label=_("Kategori"), error_messages={"required": _("Pilih kategori laporan.")}
    )
    priority = forms.ChoiceField(label=_("Prioritas"), choices=Priority.choices)
    is_secret = forms.BooleanField(
        label=_("Rahasia"),
        required=False,
        help_text=_("Tidak pernah tampil untuk umum: daftar, statistik rinci, Open311, ekspor."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim"),
        required=False,
        help_text=_("Identitas pelapor disembunyikan dari OPD dan publik."),
    )
    public_title = forms.CharField(
        label=_("Judul publik"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Netral dan singkat: apa dan di mana, tanpa nama orang."),
        error_messages={"required": _("Judul publik wajib diisi.")},
    )
    public_text = forms.CharField(
        label=_("Isi publik"),
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(12),
        help_text=_(
            "Diisi dari laporan asli dengan nomor telepon, e-mail dan NIK sudah disamarkan. "
            "Hapus juga nama, alamat rumah dan hal lain yang dapat mengenali pelapor."
        ),
        error_messages={"required": _("Isi publik wajib diisi.")},
    )
    public_attachments = forms.MultipleChoiceField(
        label=_("Lampiran yang tampil publik"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Hanya yang tidak memperlihatkan wajah, pelat nomor atau dokumen pribadi."),
    )

    def __init__(self, *args, classifications, categories, attachments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = [
            ("", _("— Pilih klasifikasi —")),
            *((str(c.pk), c.name) for c in classifications),
        ]
        self._classifications = {str(c.pk): c for c in classifications}
        choices = category_choices(categories)
        choices[0] = ("", _("— Pilih kategori —"))
        self.fields["category"].choices = choices
        self._categories = {str(c.pk): c for c in categories}
        self.fields["public_attachments"].choices = [
            (str(a.pk), a.original_name) for a in attachments
        ]
        if not attachments:
            del self.fields["public_attachments"]

    def clean_classification(self):
        return self._classifications[self.cleaned_data["classification"]]

    def clean_category(self):
        return self._categories[self.cleaned_data["category"]]

    def clean_public_attachments(self):
        return [int(pk) for pk in self.cleaned_data["public_attachments"]]


def verify_initial(complaint: Complaint, attachments) -> dict:
    """What the verification form starts from: the report as it stands, and a public version
    drafted from the original with phone numbers, e-mail addresses and NIKs already masked.
    A report verified before (from LAPOR!, or re-opened for verification) keeps its own."""
    return {
        "classification": complaint.classification_id,
        "category": complaint.category_id,
        "priority": complaint.priority,
        "is_secret": complaint.is_secret,
        "is_anonymous": complaint.is_anonymous,
        "public_title": mask_personal_data(complaint.public_title or complaint.title),
        "public_text": mask_personal_data(complaint.public_text or complaint.text),
        "public_attachments": [str(a.pk) for a in attachments if a.is_public],
    }


class RequestInfoForm(forms.Form):
    prefix = "info"

    question = forms.CharField(
        label=_("Pertanyaan untuk pelapor"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(4),
        help_text=_(
            "Dikirim kepada pelapor. Jam layanan dijeda sampai pelapor menjawab; tanpa jawaban "
            "sampai batas waktu, laporan diarsipkan."
        ),
        error_messages={"required": _("Pertanyaan untuk pelapor wajib diisi.")},
    )


class ArchiveForm(forms.Form):
    prefix = "archive"

    reason = forms.ChoiceField(
        label=_("Alasan"),
        choices=[("", _("— Pilih alasan —")), *STAFF_ARCHIVE_REASONS],
        error_messages={"required": _("Pilih alasan pengarsipan.")},
    )
    note = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(3),
        help_text=_("Wajib bila alasannya “Lainnya”. Pelapor membaca alasannya."),
    )


class DuplicateSearchForm(forms.Form):
    """The search for the original (GET, on the report's page)."""

    prefix = "dup"

    q = forms.CharField(
        label=_("Cari laporan asli"),
        max_length=200,
        required=False,
        help_text=_("Nomor pelacakan, nomor LAPOR! atau kata dalam judul/isi."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class DuplicateForm(forms.Form):
    prefix = "duplicate"

    original = forms.CharField(
        label=_("Laporan asli"),
        max_length=40,
        error_messages={"required": _("Pilih laporan asli dari hasil pencarian.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Saya yakin: laporan ini digabungkan ke laporan asli, pelapornya diberi tahu dan "
            "selanjutnya mengikuti laporan asli."
        ),
        error_messages={"required": _("Centang konfirmasi untuk menggabungkan.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        """``candidates``: the reports the actor may merge into (a queryset)."""
        super().__init__(*args, **kwargs)
        self._candidates = candidates

    def clean_original(self):
        number = self.cleaned_data["original"].strip().upper()
        original = self._candidates.filter(tracking_number=number).first()
        if original is None:
            raise forms.ValidationError(_("Laporan dengan nomor itu tidak ditemukan."))
        return original


class DispositionForm(forms.Form):
    """One lead OPD and any supporting OPDs. Adding OPDs to a report that already has a live
    lead offers supporting OPDs only (the service allows one live lead)."""

    prefix = "disposition"

    lead = forms.ChoiceField(
        label=_("OPD utama"),
        help_text=_("Bertanggung jawab atas jawaban laporan ini."),
        error_messages={"required": _("Pilih OPD utama.")},
    )
    supporting = forms.MultipleChoiceField(
        label=_("OPD pendukung (opsional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Catatan disposisi"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(2),
        help_text=_("Untuk OPD; tidak dibaca pelapor."),
    )

    def __init__(self, *args, opds, has_live_lead: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_live_lead = has_live_lead
        self._opds = {str(o.pk): o for o in opds}
        choices = [(str(o.pk), _opd_label(o)) for o in opds]
        self.fields["supporting"].choices = choices
        if has_live_lead:
            del self.fields["lead"]
            self.fields["supporting"].label = _("Tambahkan OPD pendukung")
        else:
            self.fields["lead"].choices = [("", _("— Pilih OPD utama —")), *choices]

    def supporting_options(self) -> list[tuple]:
        """(checkbox, OPD) pairs, so the list can show each OPD's name and whether it has an
        active Admin OPD beside its checkbox."""
        return [(option, self._opds[str(option.data["value"])]) for option in self["supporting"]]

    def clean_lead(self):
        return self._opds[self.cleaned_data["lead"]]

    def clean_supporting(self):
        return [self._opds[pk] for pk in self.cleaned_data["supporting"]]

    def clean(self):
        cleaned = super().clean()
        if self.has_live_lead and not cleaned.get("supporting") and not self.errors:
            self.add_error("supporting", _("Pilih minimal satu OPD."))
        return cleaned

    @property
    def chosen(self) -> list:
        """Every OPD the report goes to, the lead first (a lead also ticked as supporting
        counts once)."""
        lead = self.cleaned_data.get("lead")
        opds = [lead] if lead else []
        return list(dict.fromkeys([*opds, *self.cleaned_data.get("supporting", [])]))


class EscalateForm(forms.Form):
    prefix = "escalate"

    institution = forms.ChoiceField(
        label=_("Instansi tujuan"),
        error_messages={"required": _("Pilih instansi tujuan.")},
    )
    reason = forms.CharField(
        label=_("Alasan (bukan wewenang)"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(3),
        error_messages={"required": _("Alasan eskalasi wajib diisi.")},
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self._institutions = {str(i.pk): i for i in institutions}
        groups: dict[str, list] = {}
        for institution in institutions:
            groups.setdefault(institution.level, []).append((str(institution.pk), institution.name))
        self.fields["institution"].choices = [
            ("", _("— Pilih instansi —")),
            *(
                (ExternalInstitution.Level(level).label, options)
                for level, options in groups.items()
            ),
        ]

    def clean_institution(self):
        return self._institutions[self.cleaned_data["institution"]]


class LinkLaporForm(forms.Form):
    prefix = "lapor"

    lapor_id = forms.CharField(
        label=_("Nomor pelacakan LAPOR!"),
        max_length=LAPOR_ID_MAX_LENGTH + 4,
        help_text=_("Nomor laporan yang sama di lapor.go.id, contoh: 1916449."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Masukkan nomor pelacakan LAPOR!.")},
    )


class FlagsForm(forms.Form):
    prefix = "flags"

    is_secret = forms.BooleanField(label=_("Rahasia"), required=False)
    is_anonymous = forms.BooleanField(label=_("Anonim"), required=False)
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(2),
        help_text=_("Dicatat pada riwayat: perubahan sifat laporan selalu diaudit."),
        error_messages={"required": _("Alasan perubahan wajib diisi.")},
    )


class AnonymiseForm(forms.Form):
    prefix = "anonymise"

    reason = forms.CharField(
        label=_("Dasar permintaan"),
        max_length=REASON_MAX_LENGTH,
        widget=_textarea(2),
        help_text=_("Misalnya: permintaan pelapor melalui e-mail tanggal …"),
        error_messages={"required": _("Tuliskan dasar permintaan anonimisasi.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Saya yakin: nama, NIK, telepon, e-mail dan akun pelapor dihapus permanen dari "
            "laporan ini. Tindakan ini tidak dapat dibatalkan."
        ),
        error_messages={"required": _("Centang konfirmasi untuk menganonimkan.")},
    )
