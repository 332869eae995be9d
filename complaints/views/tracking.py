"""Following one's report: ``/lacak/`` (number + access code, or the citizen's account), the
report's own page ``/lacak/<nomor>/``, and the reporter's actions on it.

Who may see a report's page is decided once, by ``tracking_actor`` (the account that filed it,
or a browser session granted by the right code). Without it a visitor is sent to the form with
the number filled in, whether or not the number exists: the page never says which numbers
exist, and never answers 200 with a report's data.

Guessing codes is limited per IP address here (``settings.RATELIMIT_TRACKING_IP``, every
attempt counts, the form is shown again with the number kept) and per tracking number by the
service (``complaints.services.tracking``).
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from complaints.forms.tracking import (
    ObjectionForm,
    ProvideInfoForm,
    RatingForm,
    ResendCodeForm,
    TrackForm,
    add_service_errors,
)
from complaints.models import Status
from complaints.selectors import tracking_complaint, tracking_view
from complaints.services import (
    access_code_resend,
    complaint_object,
    complaint_provide_info,
    rating_submit,
    tracking_access_check,
    tracking_number_normalise,
)
from complaints.views.access import grant_tracking, tracking_actor
from complaints.workflow import TransitionError

THROTTLED_MESSAGE = gettext_lazy(
    "Terlalu banyak percobaan dari perangkat atau jaringan Anda. Demi keamanan laporan warga, "
    "tunggu sekitar satu jam lalu coba lagi. Nomor yang Anda ketik tetap tersimpan di bawah."
)
RESEND_SENT_MESSAGE = gettext_lazy(
    "Bila nomor pelacakan dan kontak yang Anda masukkan sesuai dengan data laporan, kode akses "
    "baru sudah kami kirim ke kontak tersebut dan kode lama tidak berlaku lagi. Periksa e-mail "
    "atau SMS Anda dalam beberapa menit."
)

STATUS_BADGE = {
    Status.WAITING_REPORTER: "badge-warn",
    Status.RESPONDED: "badge-ok",
    Status.FINISHED: "badge-ok",
    Status.CLOSED: "badge-ok",
    Status.REOPENED: "badge-warn",
    Status.ARCHIVED: "badge-bad",
    Status.DUPLICATE: "badge-warn",
}
CLOCK_BADGE = {"on_time": "badge-ok", "at_risk": "badge-warn", "overdue": "badge-bad"}


def _tracking_rate(group, request):
    # Read at request time, so the setting (and a test's override) applies without a restart.
    return settings.RATELIMIT_TRACKING_IP


def _form_url(number: str) -> str:
    url = reverse("complaints:track")
    return f"{url}?nomor={quote(number)}" if number else url


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_tracking_rate, method="POST", block=False, group="tracking-lookup")
def track(request):
    """The tracking form. Right number and code → the report's page (granted to this browser)."""
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if request.limited:
            form.is_valid()
            form.add_error(None, THROTTLED_MESSAGE)
            status = 429
        elif form.is_valid():
            try:
                complaint = tracking_access_check(
                    tracking_number=form.cleaned_data["tracking_number"],
                    access_code=form.cleaned_data["access_code"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 429 if exc.code == "locked" else 200
            else:
                # A new session key with the new right, as a login does: a session id planted
                # in this browser beforehand does not gain access to the report.
                request.session.cycle_key()
                grant_tracking(request, complaint)
                return redirect(
                    "complaints:track_detail", tracking_number=complaint.tracking_number
                )
    else:
        number = tracking_number_normalise(request.GET.get("nomor", ""))[:40]
        if number:
            complaint = tracking_complaint(number)
            # A browser or account that already has access goes straight to the report (the
            # link in every notification lands here).
            if complaint is not None and tracking_actor(request, complaint) is not None:
                return redirect("complaints:track_detail", tracking_number=number)
        form = TrackForm(initial={"tracking_number": number})
    return render(request, "complaints/tracking/track.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_tracking_rate, method="POST", block=False, group="tracking-resend")
def resend_code(request):
    """A new access code, sent to the contact given with the report; the same answer always."""
    status = 200
    if request.method == "POST":
        form = ResendCodeForm(request.POST)
        if request.limited:
            form.is_valid()
            form.add_error(None, THROTTLED_MESSAGE)
            status = 429
        elif form.is_valid():
            number = form.cleaned_data["tracking_number"]
            access_code_resend(tracking_number=number, contact=form.cleaned_data["contact"])
            messages.info(request, RESEND_SENT_MESSAGE)
            return redirect(_form_url(number))
    else:
        number = tracking_number_normalise(request.GET.get("nomor", ""))[:40]
        form = ResendCodeForm(initial={"tracking_number": number})
    return render(request, "complaints/tracking/resend_code.html", {"form": form}, status=status)


def _granted(request, tracking_number: str):
    """(report, reporter actor) if this visitor may follow it, else (None, None)."""
    complaint = tracking_complaint(tracking_number_normalise(tracking_number))
    if complaint is None:
        return None, None
    actor = tracking_actor(request, complaint)
    return (complaint, actor) if actor is not None else (None, None)


def _detail(request, complaint, *, status=200, **forms):
    view = tracking_view(complaint, now=timezone.now())
    context = {
        "view": view,
        "complaint": complaint,
        "status_badge": STATUS_BADGE.get(complaint.status, ""),
        "clock_badge": CLOCK_BADGE.get(view.deadline.state, "") if view.deadline else "",
        "info_form": forms.get("info_form") or ProvideInfoForm(),
        "object_form": forms.get("object_form") or ObjectionForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "public_detail_url": reverse(
            "complaints:public_detail", args=[view.original.tracking_number]
        )
        if view.original
        else "",
    }
    return render(request, "complaints/tracking/detail.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def track_detail(request, tracking_number):
    complaint, _actor = _granted(request, tracking_number)
    if complaint is None:
        return redirect(_form_url(tracking_number_normalise(tracking_number)))
    if complaint.tracking_number != tracking_number:
        return redirect("complaints:track_detail", tracking_number=complaint.tracking_number)
    return _detail(request, complaint)


def _back(complaint, anchor=""):
    url = reverse("complaints:track_detail", args=[complaint.tracking_number])
    return redirect(f"{url}#{anchor}" if anchor else url)


@never_cache
@require_POST
def provide_info(request, tracking_number):
    """The reporter answers a request for information (only while one is open)."""
    complaint, actor = _granted(request, tracking_number)
    if complaint is None:
        return redirect(_form_url(tracking_number_normalise(tracking_number)))
    if complaint.status != Status.WAITING_REPORTER:
        # A stale page (the request was answered or closed meanwhile): explain, keep the text.
        form = ProvideInfoForm(request.POST)
        form.is_valid()
        form.add_error(
            None, _("Saat ini tidak ada keterangan yang diminta dari Anda untuk laporan ini.")
        )
        return _detail(request, complaint, info_form=form)
    form = ProvideInfoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            complaint_provide_info(
                complaint=complaint,
                actor=actor,
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Terima kasih. Keterangan Anda sudah kami terima dan diteruskan.")
            )
            return _back(complaint, "riwayat")
    return _detail(request, complaint, info_form=form)


@never_cache
@require_POST
def object_to_answer(request, tracking_number):
    """The reporter objects to the final answer, within the objection window (reopens it)."""
    complaint, actor = _granted(request, tracking_number)
    if complaint is None:
        return redirect(_form_url(tracking_number_normalise(tracking_number)))
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            complaint_object(complaint=complaint, actor=actor, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Sanggahan Anda sudah kami terima. Laporan dibuka kembali dan ditindaklanjuti."),
            )
            return _back(complaint, "riwayat")
    return _detail(request, complaint, object_form=form)


@never_cache
@require_POST
def rate(request, tracking_number):
    """The reporter rates the outcome once the report is finished (once)."""
    complaint, actor = _granted(request, tracking_number)
    if complaint is None:
        return redirect(_form_url(tracking_number_normalise(tracking_number)))
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rating_submit(
                complaint=complaint,
                actor=actor,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Terima kasih atas penilaian Anda."))
            return _back(complaint, "penilaian")
    return _detail(request, complaint, rating_form=form)
