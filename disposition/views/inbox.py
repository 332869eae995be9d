"""Admin Kabupaten's inbox (/kelola/kotak-masuk/), its bulk actions, and the staff entry of a
report (/kelola/laporan-baru/).

The inbox is a GET form over ``disposition.selectors.inbox_page``: without JavaScript the form
reloads the page; with htmx only the results are swapped and the URL follows (hx-push-url).

Bulk actions are two POSTs: the first shows what will happen to each ticked report (and which
will be skipped, and why); the confirmation runs the service for each report in its own
transaction, so one refusal never undoes or blocks the others. The outcome comes back to the
inbox as a message (how many succeeded) and a list of the refusals with their reasons.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from complaints.models import ArchiveReason, Status
from complaints.selectors import complaints_for
from complaints.services import complaint_archive, complaint_submit
from complaints.workflow import COMPLAINT_TRANSITIONS, Action, TransitionError, find_transition
from disposition.forms.inbox import BulkActionForm, InboxFilterForm, StaffReportForm
from disposition.models import ClockKind, Role
from disposition.selectors import (
    INBOX_COUNT_LIMIT,
    INBOX_PAGE_SIZE,
    INBOX_QUEUE_COUNT_LIMIT,
    inbox_options,
    inbox_page,
)
from disposition.services import disposition_create
from disposition.views.access import staff_view

ADMIN_KABUPATEN = frozenset({Role.ADMIN_KABUPATEN})
# The refusals of the last bulk action, shown once on the inbox after the redirect.
BULK_RESULT_SESSION_KEY = "kelola_inbox_bulk_result"
# The number and access code of a report just entered, until the page showing them is shown.
CREATED_SESSION_KEY = "kelola_report_created"
# The statuses a bulk disposition takes: a report no OPD holds yet. Adding an OPD to a report
# being handled needs the report's own page (it has a lead already).
BULK_DISPOSITION_STATUSES = frozenset({Status.VERIFIED, Status.RETURNED})


def _wants_fragment(request) -> bool:
    """An htmx request for the results only; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _inbox_url(query: str = "") -> str:
    # Only the query string travels through the forms: the path is always the inbox, so a
    # forged value can never send the browser elsewhere.
    query = QueryDict(query or "").urlencode()
    url = reverse("kelola:inbox")
    return f"{url}?{query}" if query else url


# --- the inbox ------------------------------------------------------------------------------


@staff_view(roles=ADMIN_KABUPATEN)
@require_safe
def inbox(request):
    options = inbox_options()
    form = InboxFilterForm(request.GET or None, options=options)
    filters = form.filters()
    page = inbox_page(
        request.actor,
        filters,
        request.GET.get("setelah"),
        timezone.now(),
        page_size=INBOX_PAGE_SIZE,
    )
    bulk_form = BulkActionForm(options=options, auto_id="bulk_%s")
    query_string = _clean_query(request.GET)
    # Links (tabs, pages) are built from the filters in use, not every empty field of the form.
    clean_get = QueryDict(query_string)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "bulk_form": bulk_form,
        "bulk_result": request.session.pop(BULK_RESULT_SESSION_KEY, None),
        "query_string": query_string,
        "clean_get": clean_get,
        "count_limit": INBOX_COUNT_LIMIT,
        "queue_count_limit": INBOX_QUEUE_COUNT_LIMIT,
        "is_filtered": _is_filtered(filters),
    }
    fragment = _wants_fragment(request)
    template = f"disposition/inbox/{'_results' if fragment else 'list'}.html"
    response = render(request, template, context)
    if fragment:
        # The address bar shows the filters in use, not every empty field of the form.
        response["HX-Push-Url"] = _inbox_url(query_string)
    # The same URL answers with a fragment (htmx) or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _clean_query(params: QueryDict) -> str:
    clean = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [v for v in values if v.strip()]
        if kept:
            clean.setlist(key, kept)
    return clean.urlencode()


def _is_filtered(filters) -> bool:
    return any(
        (
            filters.query,
            filters.status,
            filters.channel,
            filters.classification_id,
            filters.category_ids,
            filters.kecamatan_code,
            filters.opd_id,
            filters.sla,
            filters.date_from,
            filters.date_to,
        )
    )


# --- bulk actions ---------------------------------------------------------------------------


@staff_view(roles=ADMIN_KABUPATEN)
@require_POST
def inbox_bulk(request):
    """POST without ``konfirmasi``: the confirmation page. With it: do it, back to the inbox."""
    options = inbox_options()
    form = BulkActionForm(request.POST, options=options)
    back = _inbox_url(request.POST.get("kembali", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    complaints = list(
        complaints_for(request.actor)
        .filter(pk__in=data["pilih"])
        .select_related("category")
        .only("id", "tracking_number", "status", "title", "public_title", "category__name")
        .order_by("created_at", "id")
    )
    if not complaints:
        messages.error(request, _("Laporan yang dipilih tidak ditemukan."))
        return redirect(back)
    action, opd = data["aksi"], data["opd"]
    if not data["konfirmasi"]:
        return render(
            request,
            "disposition/inbox/bulk_confirm.html",
            {
                "form": form,
                "action": action,
                "opd": opd,
                "items": [(c, _bulk_refusal(request.actor, action, c)) for c in complaints],
                "back": back,
                "ids": [c.pk for c in complaints],
            },
        )

    now = timezone.now()
    done, refused = [], []
    for complaint in complaints:
        # Each service call is its own transaction (no request-wide transaction here): a
        # report refused half-way is rolled back alone, the ones before it stay done.
        try:
            if action == BulkActionForm.ARCHIVE_SPAM:
                complaint_archive(
                    complaint=complaint, actor=request.actor, reason=ArchiveReason.SPAM, now=now
                )
            else:
                reason = _bulk_refusal(request.actor, action, complaint)
                if reason:
                    raise TransitionError(reason, code="bulk_skipped")
                disposition_create(
                    complaint=complaint, actor=request.actor, opds=[opd], lead=opd, now=now
                )
        except TransitionError as exc:
            refused.append({"tracking_number": complaint.tracking_number, "reason": exc.message})
        except ValidationError as exc:
            refused.append(
                {"tracking_number": complaint.tracking_number, "reason": " ".join(exc.messages)}
            )
        else:
            done.append(complaint.tracking_number)

    _bulk_messages(request, action, opd, done, refused, asked=len(data["pilih"]))
    return redirect(back)


def _bulk_refusal(actor, action: str, complaint) -> str:
    """Why ``complaint`` will be skipped ("" if it will not): shown before confirming and
    checked again before each service call (the service itself decides last)."""
    status_label = Status(complaint.status).label
    if action == BulkActionForm.DISPOSITION:
        if complaint.status not in BULK_DISPOSITION_STATUSES:
            return _(
                "Berstatus “%(status)s”: disposisi sekaligus hanya untuk laporan terverifikasi "
                "atau dikembalikan; buka laporannya untuk menambah OPD."
            ) % {"status": status_label}
        return ""
    try:
        find_transition(
            COMPLAINT_TRANSITIONS, action=Action.ARCHIVE, source=complaint.status, role=actor.role
        )
    except TransitionError as exc:
        return exc.message
    return ""


def _bulk_messages(request, action, opd, done, refused, *, asked):
    if action == BulkActionForm.ARCHIVE_SPAM:
        text = ngettext(
            "%(n)d laporan diarsipkan sebagai spam.",
            "%(n)d laporan diarsipkan sebagai spam.",
            len(done),
        ) % {"n": len(done)}
    else:
        text = ngettext(
            "%(n)d laporan didisposisikan ke %(opd)s.",
            "%(n)d laporan didisposisikan ke %(opd)s.",
            len(done),
        ) % {"n": len(done), "opd": opd.name}
    (messages.success if done else messages.info)(request, text)
    if done and action == BulkActionForm.DISPOSITION and not getattr(opd, "has_admin", True):
        messages.warning(
            request,
            _(
                "%(opd)s belum memiliki Admin OPD aktif: Pejabat Penghubung-nya yang menerima "
                "disposisi ini. Lengkapi petugasnya di halaman OPD dan petugas."
            )
            % {"opd": opd.name},
        )
    missing = asked - len(done) - len(refused)
    if missing > 0:
        refused.append(
            {
                "tracking_number": "",
                "reason": ngettext(
                    "%(n)d laporan yang dipilih tidak ditemukan.",
                    "%(n)d laporan yang dipilih tidak ditemukan.",
                    missing,
                )
                % {"n": missing},
            }
        )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(n)d laporan tidak diproses; alasannya tercantum di bawah.",
                "%(n)d laporan tidak diproses; alasannya tercantum di bawah.",
                len(refused),
            )
            % {"n": len(refused)},
        )
        request.session[BULK_RESULT_SESSION_KEY] = {"refused": refused}


# --- staff entry ----------------------------------------------------------------------------


@staff_view(roles=ADMIN_KABUPATEN)
@require_http_methods(["GET", "POST"])
def report_create(request):
    """A report entered on behalf of a walk-in, phone or WhatsApp reporter.

    ``complaint_submit`` records the channel and the staff member (``submitted_by`` and the
    event's actor); a refusal shows the form again as typed (files must be chosen again).
    """
    if request.method == "GET":
        return _render_create(request, StaffReportForm())
    form = StaffReportForm(request.POST, request.FILES)
    files_lost = bool(request.FILES)
    if not form.is_valid():
        return _render_create(request, form, files_lost=files_lost)
    try:
        complaint, access_code = complaint_submit(
            actor=request.actor,
            channel=form.cleaned_data["channel"],
            **form.service_arguments(),
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _render_create(request, form, files_lost=files_lost)
    request.session[CREATED_SESSION_KEY] = {
        "tracking_number": complaint.tracking_number,
        "access_code": access_code,
    }
    messages.success(
        request,
        _("Laporan %(number)s tercatat (%(channel)s).")
        % {"number": complaint.tracking_number, "channel": complaint.get_channel_display()},
    )
    return redirect("kelola:report_created")


def _render_create(request, form, *, files_lost: bool = False):
    return render(
        request,
        "disposition/inbox/create.html",
        {"form": form, "files_lost": files_lost and bool(form.errors)},
    )


@never_cache  # the access code must not be kept by a cache or shown again by "back"
@staff_view(roles=ADMIN_KABUPATEN)
@require_safe
def report_created(request):
    """The tracking number and access code of the report just entered, shown once."""
    payload = request.session.pop(CREATED_SESSION_KEY, None)
    complaint = None
    if payload is not None:
        complaint = (
            complaints_for(request.actor)
            .filter(tracking_number=payload["tracking_number"])
            .select_related("reporter")
            .first()
        )
    verification = None
    if complaint is not None:
        verification = complaint.clocks.filter(kind=ClockKind.VERIFICATION).only("due_at").first()
    return render(
        request,
        "disposition/inbox/created.html",
        {
            "payload": payload,
            "complaint": complaint,
            "verification_due": verification.due_at if verification else None,
        },
    )
