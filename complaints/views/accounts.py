"""Citizen accounts: register, verify the e-mail address, log in and out, reset a forgotten
password, and "Laporan saya" (with re-sending the verification link and linking an earlier
report filed without an account).

Abuse limits (issue 3, point 7): every account action that sends mail, creates an account or
checks a secret is limited per IP address (settings.RATELIMIT_ACCOUNT_IP; linking a report
checks an access code, so it uses the tracking limit). Failed logins are also counted per
account (the e-mail address or phone number typed), so one account cannot be guessed at from
many addresses. A refused attempt re-renders the page with a plain Indonesian message and
what was typed, with status 429; the password is not checked while the limit holds.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from complaints.actors import reporter_actor
from complaints.forms.accounts import (
    CitizenPasswordResetForm,
    CitizenSetPasswordForm,
    ClaimReportForm,
    LoginForm,
    RegisterForm,
)
from complaints.models import CitizenProfile, Rating, Status
from complaints.selectors import complaints_for
from complaints.services import (
    citizen_claim_report,
    citizen_email_verification_send,
    citizen_email_verify,
    citizen_register,
    is_citizen_account,
    normalise_login,
)

# The backend every citizen session is opened with (see EmailOrPhoneBackend.get_user).
CITIZEN_BACKEND = "complaints.auth.EmailOrPhoneBackend"
# Reset e-mails one address may receive, whoever asks: a mailbox cannot be flooded.
RESET_MAILS_PER_ADDRESS = "3/h"
MY_REPORTS_PAGE_SIZE = 10
EXCERPT_LENGTH = 140

# Status → badge style on "Laporan saya".
STATUS_BADGE = {
    Status.RECEIVED: "",
    Status.WAITING_REPORTER: "badge-warn",
    Status.VERIFIED: "",
    Status.DISPOSITIONED: "",
    Status.RETURNED: "",
    Status.RESPONDED: "",
    Status.FINISHED: "badge-ok",
    Status.REOPENED: "badge-warn",
    Status.CLOSED: "badge-ok",
    Status.ARCHIVED: "my-report-badge-ended",
    Status.DUPLICATE: "my-report-badge-ended",
    Status.ESCALATED: "",
}


# Where "Laporan saya" invites a rating (the tracking page takes it).
RATABLE = (Status.FINISHED, Status.CLOSED)


# --- Rate limits --------------------------------------------------------------------------


def _over_limit(request, group: str, *, rate: str, key="ip", increment: bool = True):
    """Seconds until the limit lifts if ``request`` is over it, else None.

    With ``increment`` this attempt counts (and is refused past the limit); without, the
    counter is only read (refused once it has reached the limit), so that only failures
    count, as for logins.
    """
    usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=increment)
    if usage is None:
        return None
    over = usage["should_limit"] if increment else usage["count"] >= usage["limit"]
    return max(usage["time_left"], 60) if over else None


def _throttle_message(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return ngettext(
        "Terlalu banyak percobaan dari perangkat atau akun ini. Demi keamanan akun warga, "
        "silakan coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak percobaan dari perangkat atau akun ini. Demi keamanan akun warga, "
        "silakan coba lagi dalam %(minutes)d menit.",
        minutes,
    ) % {"minutes": minutes}


def _login_key(login_value: str):
    identifier = normalise_login(login_value)
    return lambda _group, _request: identifier


# --- Helpers ------------------------------------------------------------------------------


def _safe_next(request) -> str:
    """The ``next`` address if it stays on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _after_login_url(request) -> str:
    return _safe_next(request) or reverse(settings.LOGIN_REDIRECT_URL)


def _throttled_response(request, template: str, context: dict):
    return render(request, template, context, status=429)


# --- Register -----------------------------------------------------------------------------


@sensitive_post_parameters("password", "password_confirm")
@csrf_protect
@never_cache
def register(request):
    if request.user.is_authenticated and is_citizen_account(request.user):
        messages.info(request, _("Anda sudah masuk dengan akun warga."))
        return redirect("complaints:my_reports")
    template = "complaints/accounts/register.html"
    if request.method != "POST":
        return render(request, template, {"form": RegisterForm()})

    form = RegisterForm(request.POST)
    wait = _over_limit(request, "accounts.register", rate=settings.RATELIMIT_ACCOUNT_IP)
    if wait:
        form.refuse_throttled(_throttle_message(wait))
        form.is_valid()
        return _throttled_response(request, template, {"form": form})
    if form.is_valid():
        try:
            user = citizen_register(**form.service_arguments())
        except ValidationError as exc:
            # Only a registration that raced this one gets here (the form checked the rest).
            form.add_error(None, exc)
        else:
            login(request, user, backend=CITIZEN_BACKEND)
            if user.email:
                messages.success(
                    request,
                    _(
                        "Akun Anda sudah dibuat. Kami mengirim tautan verifikasi ke %(email)s: "
                        "buka e-mail itu untuk memastikan alamat Anda benar."
                    )
                    % {"email": user.email},
                )
            else:
                messages.success(request, _("Akun Anda sudah dibuat dan Anda sudah masuk."))
            return redirect("complaints:my_reports")
    return render(request, template, {"form": form}, status=400)


# --- E-mail verification ------------------------------------------------------------------


@never_cache
def verify_email(request, token):
    """Opening the link verifies the address. A GET that writes is deliberate here: the link
    is a one-purpose capability sent only to that mailbox, verifying is idempotent, and a mail
    scanner that opens it first proves the same thing the citizen would."""
    template = "complaints/accounts/verify_email.html"
    try:
        user, newly_verified = citizen_email_verify(token=token)
    except ValidationError as exc:
        return render(
            request,
            template,
            {"failed": True, "reason": exc.code, "message": exc.messages[0]},
            status=400,
        )
    return render(
        request,
        template,
        {"failed": False, "newly_verified": newly_verified, "email": user.email},
    )


# --- Log in, log out ----------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    template = "complaints/accounts/login.html"
    next_url = _safe_next(request)
    if request.method != "POST":
        if request.user.is_authenticated and is_citizen_account(request.user):
            return HttpResponseRedirect(_after_login_url(request))
        return render(request, template, {"form": LoginForm(request), "next": next_url})

    form = LoginForm(request, data=request.POST)
    typed = request.POST.get("login", "")
    rate = settings.RATELIMIT_ACCOUNT_IP
    by_account = _login_key(typed) if typed.strip() else None
    wait = _over_limit(request, "accounts.login.ip", rate=rate, increment=False)
    if by_account and not wait:
        wait = _over_limit(
            request, "accounts.login.account", rate=rate, key=by_account, increment=False
        )
    if wait:
        form.refuse_throttled(_throttle_message(wait))
    if form.is_valid():
        # Always under the citizen backend, even for a user ModelBackend recognised (a citizen
        # typing their generated username): its session then ends if it gains staff rights.
        login(request, form.user, backend=CITIZEN_BACKEND)
        name = form.user.first_name
        messages.success(
            request,
            _("Selamat datang, %(name)s.") % {"name": name} if name else _("Anda sudah masuk."),
        )
        return HttpResponseRedirect(_after_login_url(request))
    status = 400
    if wait:
        status = 429
    elif form.has_error(NON_FIELD_ERRORS, "invalid_login"):
        # Only failures count: a citizen who logs in often is never slowed down.
        _over_limit(request, "accounts.login.ip", rate=rate)
        if by_account:
            _over_limit(request, "accounts.login.account", rate=rate, key=by_account)
    return render(request, template, {"form": form, "next": next_url}, status=status)


@csrf_protect
@require_http_methods(["GET", "POST"])
def logout_view(request):
    """Logging out takes a POST (a link or an image elsewhere cannot log a citizen out); a GET
    asks for that click."""
    if request.method == "POST":
        logout(request)
        messages.success(request, _("Anda sudah keluar. Sampai jumpa."))
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "complaints/accounts/logout.html")


# --- Password reset -----------------------------------------------------------------------


class CitizenPasswordResetView(auth_views.PasswordResetView):
    form_class = CitizenPasswordResetForm
    template_name = "complaints/accounts/password_reset_form.html"
    email_template_name = "complaints/email/account_password_reset.txt"
    subject_template_name = "complaints/email/account_password_reset_subject.txt"
    success_url = reverse_lazy("complaints:password_reset_done")

    def post(self, request, *args, **kwargs):
        wait = _over_limit(request, "accounts.password_reset", rate=settings.RATELIMIT_ACCOUNT_IP)
        if wait:
            form = self.get_form()
            form.refuse_throttled(_throttle_message(wait))
            form.is_valid()
            context = self.get_context_data(form=form)
            return _throttled_response(request, self.template_name, context)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        if _over_limit(
            self.request,
            "accounts.password_reset.address",
            rate=RESET_MAILS_PER_ADDRESS,
            key=lambda _group, _request: address,
        ):
            # The same neutral answer, without another mail to that mailbox.
            return HttpResponseRedirect(self.get_success_url())
        # Links in mail use the site's public address, never the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class CitizenPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = CitizenSetPasswordForm
    template_name = "complaints/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("complaints:password_reset_complete")


password_reset = CitizenPasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="complaints/accounts/password_reset_done.html"
)
password_reset_confirm = CitizenPasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="complaints/accounts/password_reset_complete.html"
)


# --- Laporan saya -------------------------------------------------------------------------


def _my_reports_context(request, *, claim_form=None) -> dict:
    reports = (
        complaints_for(reporter_actor(user=request.user))
        .select_related("category")
        .only("tracking_number", "title", "status", "created_at", "category__name")
        .annotate(
            excerpt=Substr("text", 1, EXCERPT_LENGTH + 1),
            has_rating=Exists(Rating.objects.filter(complaint=OuterRef("pk"))),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, MY_REPORTS_PAGE_SIZE).get_page(request.GET.get("halaman"))
    for report in page.object_list:
        report.badge_class = STATUS_BADGE.get(report.status, "")
        report.status_label = Status(report.status).label
        # Their own words: the title they gave, else the start of their text.
        snippet = Truncator(" ".join(report.excerpt.split())).chars(EXCERPT_LENGTH)
        report.heading = report.title or snippet
        report.snippet = snippet if report.title else ""
        report.needs_info = report.status == Status.WAITING_REPORTER
        report.can_rate = not report.has_rating and report.status in RATABLE
    profile = CitizenProfile.objects.filter(user=request.user).first()
    return {
        "page": page,
        "profile": profile,
        "phone_display": _phone_display(profile.phone if profile else ""),
        "claim_form": claim_form or ClaimReportForm(),
    }


def _phone_display(e164: str) -> str:
    """+6281229990001 as +62 812-2999-0001, the way Indonesians write it."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _resend_verification(request):
    wait = _over_limit(
        request, "accounts.resend_verification", rate=settings.RATELIMIT_ACCOUNT_IP
    ) or _over_limit(
        request, "accounts.resend_verification.user", rate=settings.RATELIMIT_ACCOUNT_IP, key="user"
    )
    if wait:
        messages.error(request, _throttle_message(wait))
    elif citizen_email_verification_send(user=request.user):
        messages.success(
            request,
            _("Tautan verifikasi baru sudah kami kirim ke %(email)s.")
            % {"email": request.user.email},
        )
    else:
        messages.info(request, _("Alamat e-mail Anda sudah terverifikasi."))
    return redirect("complaints:my_reports")


def _claim(request):
    form = ClaimReportForm(request.POST)
    wait = _over_limit(request, "accounts.claim", rate=settings.RATELIMIT_TRACKING_IP)
    status = 400
    if wait:
        form.refuse_throttled(_throttle_message(wait))
        status = 429
    if form.is_valid():
        try:
            complaint = citizen_claim_report(
                user=request.user,
                tracking_number=form.cleaned_data["tracking_number"],
                access_code=form.cleaned_data["access_code"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Laporan %(number)s kini ada di daftar laporan Anda.")
                % {"number": complaint.tracking_number},
            )
            return redirect("complaints:my_reports")
    return render(
        request,
        "complaints/accounts/my_reports.html",
        _my_reports_context(request, claim_form=form),
        status=status,
    )


@login_required
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def my_reports(request):
    """The citizen's own reports, newest first. POST: re-send the verification link
    (``action=resend_verification``) or link an earlier report (``action=claim``)."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "resend_verification":
            return _resend_verification(request)
        if action == "claim":
            return _claim(request)
        return redirect("complaints:my_reports")
    return render(request, "complaints/accounts/my_reports.html", _my_reports_context(request))
