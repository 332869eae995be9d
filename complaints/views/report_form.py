"""Filing a report on the website: the form (``/lapor/``), its two htmx helpers (desa options
for a kecamatan, similar public reports) and the page that shows the access code once.

The order of checks on a submission, and why:

1. The request's size. An upload handler sees the Content-Length before anything is stored:
   a body larger than every allowed attachment together is refused, but its text fields are
   still read, so the form comes back filled in (only the files are dropped).
2. The honeypot. A filled-in honeypot is a robot: it is shown a convincing "received" page
   and nothing is saved, validated or counted, so it learns nothing to adapt to.
3. The form. Anything the reporter can fix (a missing field, a short text, a bad NIK) is
   refused here and does **not** count against the rate limits: a citizen correcting a
   typo must not be locked out.
4. The rate limits (django-ratelimit, ``block=False`` semantics): every submission that
   passed the form counts once per IP (hourly and daily) and once per contact given (phone
   and e-mail, normalised, daily), whether the service then accepts it or not; checking the
   files' content is the work being limited. A refusal re-renders the form with everything
   typed.
5. The service, ``complaint_submit``; its ValidationError (e.g. a file whose content is not
   a photo or PDF) is shown next to the fields.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import get_usage

from complaints.actors import reporter_actor
from complaints.forms.report import HONEYPOT_FIELD, ReportForm
from complaints.models import Channel, Desa
from complaints.selectors import complaints_for
from complaints.selectors import similar_reports as similar_reports_for
from complaints.selectors.similar import DRAFT_MIN_CHARS as SIMILAR_MIN_CHARS
from complaints.services import (
    TEXT_MAX_LENGTH,
    TEXT_MIN_LENGTH,
    complaint_submit,
    new_access_code,
    new_tracking_number,
)
from complaints.views.access import grant_tracking
from disposition.models import ClockKind

logger = logging.getLogger(__name__)

# The access code of a report just filed, until the page showing it is displayed (popped).
SUBMITTED_SESSION_KEY = "report_just_submitted"
# The tracking number of the last report filed from this browser (kept, without the code).
LAST_SUBMITTED_SESSION_KEY = "report_last_submitted"
# Multipart overhead and the text fields on top of the attachments themselves.
SUBMISSION_OVERHEAD_BYTES = 1024 * 1024


def submission_max_bytes() -> int:
    """The largest request body the form accepts: every allowed attachment at its largest,
    plus the text fields. Anything bigger cannot be a valid submission."""
    return settings.ATTACHMENT_MAX_COUNT * settings.ATTACHMENT_MAX_BYTES + (
        SUBMISSION_OVERHEAD_BYTES
    )


class SubmissionSizeLimit(FileUploadHandler):
    """First upload handler of the form: if the body is larger than ``max_bytes`` every file
    is skipped (nothing reaches memory or disk) while the text fields are still parsed.

    Django limits the text fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not the files; the
    reverse proxy's body limit must be at least ``submission_max_bytes()``.
    """

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length > self.max_bytes
        return None  # let the multipart parser do its work

    def new_file(self, *args, **kwargs):
        if self.too_large:
            raise SkipFile
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


# --- The form -------------------------------------------------------------------------------


@csrf_exempt  # only to install the upload handler first; _report_create checks the token
def report_create(request):
    """GET: the empty form. POST: file the report, or show similar reports ("periksa")."""
    size_limit = SubmissionSizeLimit(request, max_bytes=submission_max_bytes())
    if request.method == "POST":
        # Must happen before anything reads request.POST (the CSRF check would).
        request.upload_handlers.insert(0, size_limit)
    return _report_create(request, size_limit)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _report_create(request, size_limit: SubmissionSizeLimit):
    if request.method == "GET":
        return _render_form(request, ReportForm(initial=_account_initial(request.user)))
    try:
        data, files = request.POST, request.FILES
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        # The text fields alone were over Django's limit: nothing could be read back.
        return _render_form(
            request,
            ReportForm(initial=_account_initial(request.user)),
            status=413,
            refusal=_(
                "Kiriman Anda terlalu besar untuk kami terima, sehingga isian tidak dapat "
                "ditampilkan kembali. Mohon persingkat isi laporan lalu kirim ulang."
            ),
        )
    files_lost = bool(files) or size_limit.too_large

    if size_limit.too_large:
        form = ReportForm(data)
        form.is_valid()
        form.add_error(
            "attachments",
            _(
                "Ukuran seluruh lampiran melebihi batas %(mb)s MB, sehingga tidak ada yang "
                "kami terima. Pilih ulang lampiran: paling banyak %(count)s berkas, "
                "masing-masing paling besar %(each)s MB."
            )
            % {
                "mb": submission_max_bytes() // (1024 * 1024),
                "count": settings.ATTACHMENT_MAX_COUNT,
                "each": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
            },
        )
        return _render_form(request, form, status=413, files_lost=True)

    if (data.get(HONEYPOT_FIELD) or "").strip():
        logger.info("Report form: honeypot filled in; nothing saved.")
        request.session[SUBMITTED_SESSION_KEY] = {
            "tracking_number": new_tracking_number(),
            "access_code": new_access_code(),
            "contacts": [],
        }
        return redirect("complaints:report_submitted")

    if data.get("action") == "similar":
        # "Periksa laporan serupa" without JavaScript: the form comes back as typed (no
        # errors yet: nothing was submitted) with the hints.
        form = ReportForm(initial=data.dict())
        return _render_form(request, form, similar=_similar_context(data), files_lost=files_lost)

    form = ReportForm(data, files)
    if not form.is_valid():
        return _render_form(request, form, files_lost=files_lost)

    refusal = _rate_limit_refusal(request, form.contacts())
    if refusal:
        return _render_form(request, form, status=429, refusal=refusal, files_lost=files_lost)

    user = request.user if request.user.is_authenticated else None
    try:
        complaint, access_code = complaint_submit(
            actor=reporter_actor(user=user),
            channel=Channel.WEB,
            reporter_user=user,
            **form.service_arguments(),
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _render_form(request, form, files_lost=files_lost)

    grant_tracking(request, complaint)
    request.session[SUBMITTED_SESSION_KEY] = {
        "tracking_number": complaint.tracking_number,
        "access_code": access_code,
        "contacts": _contact_hints(form.cleaned_data),
        "complaint_id": complaint.pk,
    }
    request.session[LAST_SUBMITTED_SESSION_KEY] = complaint.tracking_number
    return redirect("complaints:report_submitted")


def _render_form(
    request,
    form: ReportForm,
    *,
    status: int = 200,
    refusal: str = "",
    files_lost: bool = False,
    similar: dict | None = None,
):
    return render(
        request,
        "complaints/report/form.html",
        {
            "form": form,
            "refusal": refusal,
            "files_lost": files_lost,
            "honeypot_field": HONEYPOT_FIELD,
            "text_min": TEXT_MIN_LENGTH,
            "text_max": TEXT_MAX_LENGTH,
            "max_files": settings.ATTACHMENT_MAX_COUNT,
            "max_bytes": settings.ATTACHMENT_MAX_BYTES,
            "max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "similar_days": settings.SIMILAR_REPORTS_DAYS,
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            **(similar or {"similar": [], "similar_checked": False, "similar_ready": False}),
        },
        status=status,
    )


def _account_initial(user) -> dict:
    """A logged-in citizen's contact, filled in for them (they may change or remove it)."""
    if not user.is_authenticated:
        return {}
    initial = {"reporter_name": user.get_full_name(), "reporter_email": user.email}
    profile = getattr(user, "citizen_profile", None)
    if profile is not None and profile.phone:
        initial["reporter_phone"] = profile.phone
    return initial


def _rate_limit_refusal(request, contacts: list[str]) -> str:
    """Count this submission against every limit; the refusal to show, or ""."""
    checks = [
        ("report-submit-ip-hourly", "ip", settings.RATELIMIT_SUBMIT_IP_HOURLY),
        ("report-submit-ip-daily", "ip", settings.RATELIMIT_SUBMIT_IP_DAILY),
    ]
    for value in contacts:
        # django-ratelimit hashes the key into the cache key: no phone number in Redis.
        key = lambda group, req, value=value: value  # noqa: E731
        checks.append(("report-submit-contact", key, settings.RATELIMIT_SUBMIT_CONTACT_DAILY))
    refusals = []
    for group, key, rate in checks:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            refusals.append((group, usage))
    if not refusals:
        return ""
    group, usage = refusals[0]
    values = {"limit": usage["limit"], "wait": _wait_text(usage["time_left"])}
    if group == "report-submit-contact":
        return (
            _(
                "Kontak ini sudah mengirim %(limit)s laporan hari ini, batas harian kami. Isian "
                "Anda tetap tersimpan di bawah; silakan kirim lagi %(wait)s, atau ikuti laporan "
                "yang sudah Anda kirim."
            )
            % values
        )
    if group == "report-submit-ip-hourly":
        return (
            _(
                "Terlalu banyak laporan dikirim dari jaringan Anda (batas %(limit)s laporan per "
                "jam). Isian Anda tetap tersimpan di bawah; silakan kirim lagi %(wait)s."
            )
            % values
        )
    return (
        _(
            "Terlalu banyak laporan dikirim dari jaringan Anda (batas %(limit)s laporan per "
            "hari). Isian Anda tetap tersimpan di bawah; silakan kirim lagi %(wait)s."
        )
        % values
    )


def _wait_text(seconds: int) -> str:
    if seconds <= 0:
        return _("sebentar lagi")
    if seconds >= 3600:
        hours = -(-seconds // 3600)
        return ngettext("dalam %(n)s jam", "dalam %(n)s jam", hours) % {"n": hours}
    minutes = max(1, -(-seconds // 60))
    return ngettext("dalam %(n)s menit", "dalam %(n)s menit", minutes) % {"n": minutes}


def _contact_hints(data: dict) -> list[str]:
    """Where notifications go, partly hidden (the page may be printed or photographed)."""
    hints = []
    if email := data.get("reporter_email"):
        local, _at, domain = email.partition("@")
        hints.append(f"{local[:2]}***@{domain}")
    if phone := data.get("reporter_phone"):
        hints.append(f"{phone[:6]}****{phone[-3:]}")
    return hints


# --- htmx helpers ---------------------------------------------------------------------------


@require_GET
def desa_options(request):
    """The desa/kelurahan ``<option>``s of one kecamatan (all, grouped, if none is chosen)."""
    kecamatan_id = _int_or_none(request.GET.get("kecamatan"))
    selected = request.GET.get("desa", "")
    if kecamatan_id is None:
        desa = Desa.objects.order_by("kecamatan__name", "name")
    else:
        desa = Desa.objects.filter(kecamatan_id=kecamatan_id).order_by("name")
    desa = list(desa.select_related("kecamatan"))
    return render(
        request,
        "complaints/report/_desa_options.html",
        {"desa_list": desa, "grouped": kecamatan_id is None, "selected": selected},
    )


@require_http_methods(["GET", "POST"])
def similar_reports(request):
    """The similar-reports hint (a partial for htmx). POST because a draft can be longer than
    a URL may be; both are reads."""
    params = request.POST if request.method == "POST" else request.GET
    return render(request, "complaints/report/_similar.html", _similar_context(params))


def _similar_context(params) -> dict:
    text = params.get("text", "")
    category_id = _int_or_none(params.get("category"))
    desa_id = _int_or_none(params.get("desa"))
    return {
        "similar": similar_reports_for(text=text, category_id=category_id, desa_id=desa_id),
        "similar_checked": True,
        # Whether there was enough to compare; otherwise the hint says what is missing.
        "similar_ready": len(text.strip()) >= SIMILAR_MIN_CHARS
        and (category_id is not None or desa_id is not None),
    }


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- After submitting -----------------------------------------------------------------------


@never_cache  # the access code must not be kept by a cache or shown again by "back"
@require_GET
def report_submitted(request):
    """The tracking number and access code, shown once; afterwards a page that says so."""
    payload = request.session.pop(SUBMITTED_SESSION_KEY, None)
    if payload is None:
        return render(
            request,
            "complaints/report/submitted_again.html",
            {
                "tracking_number": request.session.get(LAST_SUBMITTED_SESSION_KEY, ""),
                "resend_url": reverse("complaints:resend_code"),
            },
        )
    complaint = None
    verification_due = None
    if payload.get("complaint_id"):
        complaint = (
            complaints_for(reporter_actor(complaint_id=payload["complaint_id"]))
            .select_related("category")
            .filter(tracking_number=payload["tracking_number"])
            .first()
        )
    if complaint is not None:
        clock = complaint.clocks.filter(kind=ClockKind.VERIFICATION).only("due_at").first()
        verification_due = clock.due_at if clock else None
    response: HttpResponse = render(
        request,
        "complaints/report/submitted.html",
        {
            "tracking_number": payload["tracking_number"],
            "access_code": payload["access_code"],
            "contacts": payload.get("contacts", []),
            "complaint": complaint,
            "submitted_at": complaint.created_at if complaint else timezone.now(),
            "verification_due": verification_due,
        },
    )
    return response
