"""What the regency does, in public: the home page, the public reports, the statistics and the
privacy notice. Read-only pages: a selector reads, a GET form validates the filters.

With htmx the list's results are swapped in place (the URL follows, hx-push-url); without
JavaScript the same form reloads the page. Everything shown comes from
``complaints.selectors.public``, which only ever reads public versions, masked.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from complaints.charts import NARROW, WIDE, MonthValue, monthly_bar_line_chart
from complaints.forms.public import PublicReportFilterForm, StatisticsFilterForm
from complaints.selectors.public import (
    COUNT_LIMIT,
    headline_figures,
    latest_public_reports,
    public_filter_options,
    public_original_of,
    public_report_detail,
    public_report_page,
    public_statistics,
    sla_summary,
    statistics_years,
)


def _wants_fragment(request) -> bool:
    """An htmx request for the results only; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_safe
def home(request):
    return render(
        request,
        "complaints/home.html",
        {
            "figures": headline_figures(now=timezone.now()),
            "latest": latest_public_reports(),
            "sla": sla_summary(),
        },
    )


@require_safe
def privacy(request):
    return render(
        request,
        "complaints/privacy.html",
        {
            # Optional deployment settings; the notice names Diskominfo Kudus either way.
            "contact_email": getattr(settings, "PRIVACY_CONTACT_EMAIL", ""),
        },
    )


@require_safe
def report_list(request):
    options = public_filter_options()
    form = PublicReportFilterForm(request.GET or None, options=options)
    filters = form.filters()
    page = public_report_page(
        after=request.GET.get("setelah"), before=request.GET.get("sebelum"), **filters
    )
    context = {
        "form": form,
        "page": page,
        "is_filtered": bool(filters),
        "count_limit": COUNT_LIMIT,
    }
    template = (
        "complaints/public/_results.html"
        if _wants_fragment(request)
        else "complaints/public/list.html"
    )
    response = render(request, template, context)
    # The same URL answers with a fragment (htmx) or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def report_detail(request, tracking_number):
    detail = public_report_detail(tracking_number)
    if detail is None:
        original = public_original_of(tracking_number)
        if original is not None:
            return redirect("complaints:public_detail", tracking_number=original)
        raise Http404(_("Laporan tidak ditemukan atau tidak ditampilkan untuk publik."))
    return render(request, "complaints/public/detail.html", {"detail": detail})


@require_safe
def statistics(request):
    now = timezone.now()
    form = StatisticsFilterForm(request.GET or None, years=statistics_years(now=now))
    stats = public_statistics(year=form.year(), now=now)
    points = [MonthValue(p.month, p.received, p.finished) for p in stats.trend]
    labels = {
        "title": _("Laporan diterima dan selesai per bulan"),
        "description": _(
            "Batang: laporan diterima; garis: laporan selesai; per bulan dari %(first)s "
            "sampai %(last)s. Angka lengkap ada pada tabel di bawah grafik."
        )
        % {"first": _month_name(stats.trend_start), "last": _month_name(stats.trend_end)},
        "bar_label": _("Diterima"),
        "line_label": _("Selesai"),
    }
    # Drawn twice; the stylesheet shows the wide one on a large screen, the narrow on a phone.
    charts = {
        "wide": monthly_bar_line_chart(points, chart_id="trend-wide", size=WIDE, **labels),
        "narrow": monthly_bar_line_chart(
            points, chart_id="trend-narrow", size=NARROW, font_size=12, **labels
        ),
    }
    return render(
        request,
        "complaints/public/statistics.html",
        {"form": form, "stats": stats, "charts": charts},
    )


def _month_name(day) -> str:
    return formats.date_format(day, "F Y")
