"""Filters of the public pages (GET forms: the URL is the state, so a filtered list can be
shared and works without JavaScript). An invalid value is reported next to its field and
ignored; the valid filters still apply."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms import category_filter_choices
from complaints.selectors.public import PUBLIC_STATUS_ORDER, FilterOptions, public_search_terms

SEARCH_MAX_LENGTH = 100


class PublicReportFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("mis. jalan berlubang, lampu mati"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
        help_text=_("Mencari judul dan isi publik laporan, atau nomor laporan."),
        error_messages={
            "max_length": _("Kata kunci maksimal %(limit_value)d karakter."),
        },
    )
    kategori = forms.ChoiceField(label=_("Kategori"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *((s.value, s.label) for s in PUBLIC_STATUS_ORDER)],
    )
    dari = forms.DateField(
        label=_("Diterima sejak"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={"invalid": _("Tanggal tidak valid; gunakan format HH-BB-TTTT.")},
    )
    sampai = forms.DateField(
        label=_("Diterima sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={"invalid": _("Tanggal tidak valid; gunakan format HH-BB-TTTT.")},
    )

    error_messages_choice = _("Pilihan tidak dikenal; pilih dari daftar.")

    def __init__(self, *args, options: FilterOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["kategori"].choices = [
            ("", _("Semua kategori")),
            *category_filter_choices(self.options.categories),
        ]
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan")), *options.kecamatan]
        for name in ("kategori", "kecamatan", "status"):
            self.fields[name].error_messages["invalid_choice"] = self.error_messages_choice
        self.search_words_dropped = False

    def clean_q(self):
        query = self.cleaned_data["q"].strip()
        _words, self.search_words_dropped = public_search_terms(query)
        return query

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end and end < start:
            self.add_error("sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for ``public_report_page``: the valid filters only."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        filters: dict = {}
        if data.get("q"):
            filters["query"] = data["q"]
        if data.get("kategori"):
            slug_to_id = {c.slug: c.id for c in self.options.categories}
            filters["category_ids"] = self.options.category_with_descendants(
                slug_to_id[data["kategori"]]
            )
        if data.get("kecamatan"):
            filters["kecamatan_code"] = data["kecamatan"]
        if data.get("status"):
            filters["status"] = data["status"]
        if data.get("dari"):
            filters["date_from"] = data["dari"]
        if data.get("sampai"):
            filters["date_to"] = data["sampai"]
        return filters

    @property
    def active_filter_count(self) -> int:
        """How many filters besides the search apply (shown on the collapsed filter panel)."""
        filters = self.filters()
        keys = ("category_ids", "kecamatan_code", "status", "date_from", "date_to")
        return sum(key in filters for key in keys)


class StatisticsFilterForm(forms.Form):
    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tahun"].choices = [(y, str(y)) for y in years]
        self.fields["tahun"].error_messages["invalid_choice"] = _(
            "Belum ada data untuk tahun itu; pilih dari daftar."
        )
        self.years = years

    def year(self) -> int:
        """The chosen year, or the newest one when none (or an unknown one) was chosen."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("tahun"):
            return self.cleaned_data["tahun"]
        return self.years[0]
