"""Forms of the OPD workspace: the actions on a disposition and the OPD's answer templates.

The action forms check only the shape of the input; the services decide (status, role,
scope, minimum lengths, attachments) and their errors are put back on these forms by
``add_service_errors``, so a refusal shows the service's own words next to what was typed.
Field names are the services' error keys.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from complaints.forms.report import MultipleFileField, MultipleFileInput
from complaints.forms.tracking import ACCEPTED_TYPES
from disposition.models import AnswerTemplate, ResponseKind, Role, Visibility

RESPONSE_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 2_000


class _ActionForm(forms.Form):
    # Ids are prefixed per form ("opd-note-text"), so the panel's fields never clash with each
    # other's or with the report page's own.
    id_prefix = "opd"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class AcceptForm(_ActionForm):
    """Accepting takes no input: the form only carries the CSRF token and the button."""

    id_prefix = "opd-accept"


class AssignForm(_ActionForm):
    id_prefix = "opd-assign"

    # Any active Admin OPD may be chosen here: the service checks that the person belongs to
    # this OPD or one of its sub-units, and says so when not (a list gone stale).
    assignee = forms.ModelChoiceField(
        label=_("Tugaskan kepada"),
        queryset=get_user_model().objects.filter(
            is_active=True, staff_role__role=Role.ADMIN_OPD, staff_role__is_active=True
        ),
        empty_label=_("— pilih petugas —"),
        error_messages={
            "required": _("Pilih petugas yang ditugaskan."),
            "invalid_choice": _("Petugas itu bukan Admin OPD aktif."),
        },
    )

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        # The choices shown: the OPD's own people (the queryset above still validates).
        field.widget.choices = [("", field.empty_label)] + [
            (user.pk, _person_label(user)) for user in assignees
        ]


def _person_label(user) -> str:
    name = user.get_full_name() or user.username
    opd = getattr(getattr(user, "staff_role", None), "opd", None)
    return f"{name} ({opd.short_name})" if opd is not None else name


class ReturnForm(_ActionForm):
    id_prefix = "opd-return"

    reason = forms.CharField(
        label=_("Alasan pengembalian"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Jelaskan mengapa laporan ini bukan tugas dan fungsi OPD Anda, dan bila tahu, OPD "
            "mana yang berwenang. Admin Kabupaten membaca alasan ini untuk disposisi ulang."
        ),
        error_messages={"required": _("Alasan pengembalian wajib diisi.")},
    )


class RequestInfoForm(_ActionForm):
    id_prefix = "opd-info"

    question = forms.CharField(
        label=_("Pertanyaan untuk pelapor"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Pelapor menerima pertanyaan ini. Jam layanan dijeda sampai pelapor menjawab; "
            "tanpa jawaban dalam batas waktu, laporan diarsipkan."
        ),
        error_messages={"required": _("Pertanyaan untuk pelapor wajib diisi.")},
    )


class ResponseForm(_ActionForm):
    """The initial response, a follow-up or the final follow-up (kind chosen by the page)."""

    id_prefix = "opd-response"

    KINDS = [
        (ResponseKind.INITIAL.value, ResponseKind.INITIAL.label),
        (ResponseKind.PROGRESS.value, ResponseKind.PROGRESS.label),
        (ResponseKind.FINAL.value, ResponseKind.FINAL.label),
    ]
    VISIBILITIES = [
        (Visibility.PUBLIC.value, _("Publik (tampil di halaman laporan publik)")),
        (Visibility.REPORTER.value, _("Pelapor saja")),
    ]

    kind = forms.ChoiceField(
        label=_("Jenis tanggapan"),
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenis tanggapan.")},
    )
    text = forms.CharField(
        label=_("Isi tanggapan"),
        max_length=RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": _("Isi tanggapan wajib diisi.")},
    )
    visibility = forms.ChoiceField(
        label=_("Tampil untuk"),
        choices=VISIBILITIES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih siapa yang dapat membaca tanggapan ini.")},
    )
    attachments = MultipleFileField(
        label=_("Lampiran"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}),
        help_text=_("Foto (JPG, PNG, WebP) atau PDF, paling banyak 5 berkas, masing-masing 10 MB."),
    )

    def __init__(self, *args, kinds=None, is_secret=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer what the disposition's status allows now; a stale form still posts its kind
        # and the service answers why it cannot be taken.
        if kinds:
            self.fields["kind"].widget.choices = [c for c in self.KINDS if c[0] in kinds]
            if len(kinds) == 1:
                self.fields["kind"].initial = kinds[0]
        # A rahasia report is never public: its answers go to the reporter only.
        if is_secret:
            self.fields["visibility"].widget.choices = [self.VISIBILITIES[1]]
            self.fields["visibility"].initial = Visibility.REPORTER
        else:
            self.fields["visibility"].initial = Visibility.PUBLIC


class NoteForm(_ActionForm):
    id_prefix = "opd-note"

    text = forms.CharField(
        label=_("Catatan koordinasi internal"),
        max_length=RESPONSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hanya untuk petugas. Tidak pernah ditampilkan kepada pelapor atau publik."),
        error_messages={"required": _("Isi catatan wajib diisi.")},
    )


class AnswerTemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["title", "text"]
        labels = {"title": _("Judul templat"), "text": _("Isi templat")}
        help_texts = {
            "title": _("Nama singkat yang dipilih petugas, mis. “Jalan rusak — survei lokasi”."),
            "text": _(
                "Teks awal tanggapan. Petugas menyesuaikannya sebelum mengirim; jangan memuat "
                "data pribadi."
            ),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, opd_id: int, **kwargs):
        self.opd_id = opd_id
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Judul templat wajib diisi.")
        self.fields["text"].error_messages["required"] = _("Isi templat wajib diisi.")

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        taken = AnswerTemplate.objects.filter(opd_id=self.opd_id, title__iexact=title)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("OPD Anda sudah memiliki templat dengan judul ini."))
        return title

    def clean_text(self):
        return self.cleaned_data["text"].strip()
