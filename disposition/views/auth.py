"""The staff login at /kelola/: username and password, then the second factor, logout,
password reset by e-mail and change, the lock-out page, and a superuser's reset of a lost
authenticator.

How a login goes:

1. ``kelola:login`` checks username and password (django-axes refuses a locked-out username
   from that address and counts every failure). A staff member who needs no second factor
   and has none is logged in at once.
2. Anyone else is *not* logged in yet: the session only remembers, for a few minutes, whose
   password was right ("pending"). With an authenticator app they go to
   ``kelola:second_factor``; a role that requires one (``needs_second_factor``) but has no
   app yet goes to ``kelola:second_factor_setup``. Only a right code logs them in, so an
   optional app, once set up, cannot be skipped either.
3. Wrong codes count as failed logins for django-axes too (the same lock-out), on top of
   django-otp's own per-device throttling.

Audit: django-axes writes every login (``AccessLog``, with its logout time) and every failed
login (``AccessFailureLog``, including refused citizens, wrong codes); both are in the Django
admin for superusers. Changes to a second factor are in the admin log (disposition.accounts).

Staff sessions end when the browser closes (shared office computers); the server drops them
SESSION_COOKIE_AGE (8 hours) after they were last written, which is the login.
"""

from __future__ import annotations

import functools
import math
import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_session_hash, get_cool_off, get_failure_limit
from axes.models import AccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.middleware import is_verified
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.core import get_usage

from complaints.actors import actor_for_user
from disposition.accounts import (
    SecondFactorError,
    backup_code_display,
    backup_codes_left,
    backup_codes_replace,
    has_second_factor,
    second_factor_enrol,
    second_factor_reset,
    second_factor_verify,
    totp_config_url,
    totp_new_key,
    totp_secret_text,
)
from disposition.forms.auth import (
    CodeProofForm,
    PasswordProofForm,
    SecondFactorForm,
    SetupConfirmForm,
    StaffLoginForm,
    StaffPasswordChangeForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
)
from disposition.views.access import needs_second_factor, staff_view

# Staff sessions always use ModelBackend (the citizen backend's sessions hold citizens only).
STAFF_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Session keys: whose password was right (before the second factor), an authenticator being
# set up (its secret lives here until confirmed, never in a half-made device row), and new
# backup codes waiting to be shown once.
PENDING_KEY = "kelola_login_pending"
ENROL_KEY = "kelola_2fa_enrol"
CODES_KEY = "kelola_2fa_codes"
# Time to type a code, or to install an app and scan the QR code, after the password.
PENDING_SECONDS = 15 * 60
RESET_MAILS_PER_ADDRESS = "3/h"

AUTH_TEMPLATES = "disposition/auth/"


# --- Helpers ------------------------------------------------------------------------------


def _safe_next(request, value: str | None = None) -> str:
    """The ``next`` address if it stays on this site, else ""."""
    target = value if value is not None else request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _home_or(next_url: str) -> str:
    return next_url or reverse("kelola:home")


def _staff_actor(user):
    return actor_for_user(user) if user is not None and user.is_authenticated else None


def _second_factor_due(user) -> bool:
    """Whether ``user`` must pass a second factor: their role requires one, or they set one
    up (an optional app, once there, is not skipped)."""
    actor = actor_for_user(user)
    return actor is not None and (needs_second_factor(user, actor) or has_second_factor(user))


def _signed_in_staff(request) -> bool:
    """A staff session that may use the back-office right now."""
    user = request.user
    if _staff_actor(user) is None:
        return False
    return user.is_verified() or not _second_factor_due(user)


def _record_failure(request, username: str) -> None:
    """A failed staff login that Django's authenticate() did not see (a refused citizen, a
    wrong code): django-axes logs it and counts it towards the lock-out like a wrong
    password."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def _locked(request, username: str):
    """The lock-out page if ``username`` is locked out from this address, else None."""
    credentials = {"username": username}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request, None, credentials)
    return None


def _complete_login(request, user, device=None) -> None:
    auth_login(request, user, backend=STAFF_BACKEND)
    # login() replaced request.user with a plain user: give it django-otp's attributes.
    request.user.otp_device = None
    request.user.is_verified = functools.partial(is_verified, request.user)
    if device is not None:
        otp_login(request, device)
    # Ends with the browser (see the module docstring); the server drops it after
    # SESSION_COOKIE_AGE.
    request.session.set_expiry(0)


def _pending_start(request, user, next_url: str) -> None:
    if request.user.is_authenticated and request.user.pk != user.pk:
        # Someone else (a citizen, a colleague) was logged in on this browser: they leave.
        auth_logout(request)
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "at": int(time.time()),
        "next": next_url,
        # A password changed meanwhile (reset by e-mail) voids the pending login.
        "hash": user.get_session_auth_hash(),
    }


def _pending_user(request):
    """The user whose password was right a moment ago in this browser, if still valid."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if (
        user is None
        or actor_for_user(user) is None
        or user.get_session_auth_hash() != data.get("hash")
    ):
        request.session.pop(PENDING_KEY, None)
        return None
    return user


def _pending_next(request) -> str:
    data = request.session.get(PENDING_KEY) or {}
    return _safe_next(request, data.get("next") or "")


def _login_again(request, message: str | None = None):
    messages.info(
        request,
        message or _("Waktu untuk memasukkan kode sudah habis. Silakan masuk lagi."),
    )
    return redirect("kelola:login")


# --- Lock-out (django-axes) ---------------------------------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lock-out page, in the back-office's layout for the staff
    login and the Django admin, in the citizen site's layout for the citizen login (django-
    axes watches every login form: a staff username typed at the citizen login is locked out
    too)."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    staff_side = request.path.startswith((reverse("kelola:home"), reverse("admin:index")))
    context = {
        "minutes": minutes,
        "until": timezone.localtime(timezone.now() + cool_off) if cool_off else None,
        "failure_limit": get_failure_limit(request, credentials),
        "staff_side": staff_side,
        "base_template": "disposition/base.html" if staff_side else "base.html",
        "login_url": reverse("kelola:login" if staff_side else "complaints:login"),
        "reset_url": reverse(
            "kelola:password_reset" if staff_side else "complaints:password_reset"
        ),
    }
    return render(
        request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


# --- Log in, log out ----------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    template = AUTH_TEMPLATES + "login.html"
    next_url = _safe_next(request)
    if request.method == "GET":
        if _signed_in_staff(request):
            return HttpResponseRedirect(_home_or(next_url))
        if _staff_actor(request.user) is not None and has_second_factor(request.user):
            # Logged in by password elsewhere (the Django admin), not yet verified.
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            return HttpResponseRedirect(reverse("kelola:second_factor") + query)
        context = {"form": StaffLoginForm(request), "next": next_url}
        return render(request, template, _login_context(context))

    form = StaffLoginForm(request, data=request.POST)
    if not form.is_valid():
        if form.refused_user is not None:
            _record_failure(request, form.refused_user.get_username())
        context = {
            "form": form,
            "next": next_url,
            "citizen_refused": form.has_error(NON_FIELD_ERRORS, "citizen_account"),
        }
        return render(request, template, _login_context(context), status=400)

    user = form.user
    if _second_factor_due(user):
        _pending_start(request, user, next_url)
        if has_second_factor(user):
            return redirect("kelola:second_factor")
        return redirect("kelola:second_factor_setup")
    _complete_login(request, user)
    _welcome(request, user)
    return HttpResponseRedirect(_home_or(next_url))


def _login_context(context: dict) -> dict:
    return {**context, "failure_limit": settings.AXES_FAILURE_LIMIT}


def _welcome(request, user) -> None:
    name = user.get_full_name() or user.get_username()
    messages.success(request, _("Selamat datang, %(name)s.") % {"name": name})


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request):
    """POST logs out (a link or an image elsewhere cannot log staff out); GET asks first."""
    if request.method == "POST":
        request.session.pop(PENDING_KEY, None)
        # user_logged_out: django-axes writes the logout time on this session's AccessLog.
        auth_logout(request)
        messages.success(request, _("Anda sudah keluar dari halaman petugas."))
        return redirect("kelola:login")
    if not request.user.is_authenticated:
        return redirect("kelola:login")
    return render(request, AUTH_TEMPLATES + "logout.html")


# --- The second factor at login -----------------------------------------------------------


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """The code after the password: from the pending login, or for a logged-in staff session
    not yet verified (e.g. opened through the Django admin's login)."""
    had_pending = PENDING_KEY in request.session
    pending = _pending_user(request)
    if pending is not None:
        user, next_url = pending, _pending_next(request)
    elif _staff_actor(request.user) is not None:
        user, next_url = request.user, _safe_next(request)
        if user.is_verified():
            return HttpResponseRedirect(_home_or(next_url))
    else:
        return _login_again(request) if had_pending else redirect("kelola:login")
    if not has_second_factor(user):
        return redirect("kelola:second_factor_setup")

    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        locked = _locked(request, user.get_username())
        if locked is not None:
            return locked
        if form.is_valid():
            try:
                device = second_factor_verify(user=user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                form.add_error("code", exc)
                if exc.code == SecondFactorError.THROTTLED:
                    status = 429
                else:
                    _record_failure(request, user.get_username())
                    status = 400
            else:
                request.session.pop(PENDING_KEY, None)
                if pending is not None:
                    _complete_login(request, user, device)
                    _welcome(request, user)
                else:
                    otp_login(request, device)
                if isinstance(device, StaticDevice):
                    _backup_code_used_message(request, user)
                return HttpResponseRedirect(_home_or(next_url))
        else:
            status = 400
    return render(
        request,
        AUTH_TEMPLATES + "second_factor.html",
        {"form": form, "pending_user": user, "next": next_url},
        status=status,
    )


def _backup_code_used_message(request, user) -> None:
    left = backup_codes_left(user)
    messages.warning(
        request,
        ngettext(
            "Anda masuk dengan kode cadangan; kode itu tidak berlaku lagi. Tersisa %(n)d kode "
            "cadangan. Buat kode baru di Keamanan akun bila tinggal sedikit.",
            "Anda masuk dengan kode cadangan; kode itu tidak berlaku lagi. Tersisa %(n)d kode "
            "cadangan. Buat kode baru di Keamanan akun bila tinggal sedikit.",
            left,
        )
        % {"n": left},
    )


# --- Setting up the second factor ("Keamanan akun") ---------------------------------------


def _enrolment(request, user) -> dict | None:
    data = request.session.get(ENROL_KEY)
    if (
        isinstance(data, dict)
        and data.get("user") == user.pk
        and time.time() - data.get("at", 0) <= PENDING_SECONDS
    ):
        return data
    request.session.pop(ENROL_KEY, None)
    return None


def _enrolment_start(request, user) -> dict:
    data = {"user": user.pk, "key": totp_new_key(), "at": int(time.time())}
    request.session[ENROL_KEY] = data
    return data


def _qr_svg(text: str) -> str:
    """The QR code as inline SVG, drawn on the server (no network, no script)."""
    import segno

    return segno.make(text, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", omitsize=False
    )


@sensitive_post_parameters("code", "password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Set up, replace or check the authenticator app and backup codes.

    Reached by a pending login whose role requires a second factor (the password was just
    checked), or by a logged-in staff member: starting a set-up then asks for the password
    (no app yet) or a current code (replacing the app), so that an unattended open session
    cannot be used to tie the account to someone else's phone.
    """
    had_pending = PENDING_KEY in request.session
    pending = _pending_user(request)
    if pending is not None and not has_second_factor(pending):
        user, via_pending = pending, True
    elif _staff_actor(request.user) is not None:
        user, via_pending = request.user, False
        if has_second_factor(user) and not user.is_verified():
            return redirect("kelola:second_factor")
    elif pending is not None:
        return redirect("kelola:second_factor")
    else:
        if had_pending:
            return _login_again(request)
        return redirect_to_login(request.get_full_path(), "kelola:login")

    if not via_pending and (user.is_verified() or not _second_factor_due(user)):
        # A session that may use the back-office: show its menu.
        request.actor = actor_for_user(user)

    if request.method == "GET":
        shown = request.session.pop(CODES_KEY, None)
        if isinstance(shown, dict) and shown.get("user") == user.pk:
            return render(
                request,
                AUTH_TEMPLATES + "backup_codes.html",
                {
                    "codes": [backup_code_display(code) for code in shown["codes"]],
                    "continue_url": _home_or(_safe_next(request, shown.get("next") or "")),
                },
            )

    enrolment = _enrolment(request, user)
    if via_pending and enrolment is None:
        # The password was checked a moment ago: no second proof needed to begin.
        enrolment = _enrolment_start(request, user)

    has_device = has_second_factor(user)
    context = {
        "setup_user": user,
        "via_pending": via_pending,
        "required": needs_second_factor(user, actor_for_user(user)),
        "has_device": has_device,
        "device": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        "codes_left": backup_codes_left(user) if has_device else 0,
        "confirm_form": SetupConfirmForm(),
        "proof_form": CodeProofForm() if has_device else PasswordProofForm(),
        "codes_form": CodeProofForm(prefix="codes"),
        "is_superuser": user.is_superuser and not via_pending,
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "confirm" and enrolment is not None:
            response = _setup_confirm(request, user, enrolment, via_pending, context)
            if response is not None:
                return response
            status = 400
        elif action == "start" and not via_pending:
            response = _setup_start(request, user, has_device, context)
            if response is not None:
                return response
            status = 400
        elif action == "codes" and has_device and not via_pending:
            response = _setup_new_codes(request, user, context)
            if response is not None:
                return response
            status = 400
        elif action == "cancel" and not via_pending:
            request.session.pop(ENROL_KEY, None)
            messages.info(request, _("Pengaturan aplikasi dibatalkan; tidak ada yang berubah."))
            return redirect("kelola:second_factor_setup")
        else:
            return redirect("kelola:second_factor_setup")
        enrolment = _enrolment(request, user)

    if enrolment is not None:
        url = totp_config_url(user, enrolment["key"])
        context.update(
            {
                "enrolment": enrolment,
                "qr_svg": _qr_svg(url),
                "secret": totp_secret_text(enrolment["key"]),
                "issuer": settings.OTP_TOTP_ISSUER,
            }
        )
    return render(request, AUTH_TEMPLATES + "setup.html", context, status=status)


def _setup_confirm(request, user, enrolment, via_pending, context):
    form = SetupConfirmForm(request.POST)
    context["confirm_form"] = form
    if not form.is_valid():
        return None
    try:
        device, codes = second_factor_enrol(
            user=user, key=enrolment["key"], code=form.cleaned_data["code"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    request.session.pop(ENROL_KEY, None)
    next_url = ""
    if via_pending:
        next_url = _pending_next(request)
        request.session.pop(PENDING_KEY, None)
        _complete_login(request, user, device)
    else:
        otp_login(request, device)
    request.session[CODES_KEY] = {"user": user.pk, "codes": codes, "next": next_url}
    messages.success(
        request,
        _("Verifikasi dua langkah aktif. Mulai sekarang, masuk memakai kode dari aplikasi."),
    )
    return redirect("kelola:second_factor_setup")


def _check_proof(request, user, form, *, field: str) -> bool:
    """Re-verification by password or current code; a wrong one is a failed login."""
    locked = _locked(request, user.get_username())
    if locked is not None:
        form.add_error(None, _("Terlalu banyak percobaan yang salah. Coba lagi nanti."))
        return False
    if not form.is_valid():
        return False
    if field == "password":
        if user.check_password(form.cleaned_data["password"]):
            return True
        form.add_error("password", _("Kata sandi salah."))
        _record_failure(request, user.get_username())
        return False
    try:
        second_factor_verify(user=user, code=form.cleaned_data["code"])
    except ValidationError as exc:
        form.add_error("code", exc)
        if exc.code != SecondFactorError.THROTTLED:
            _record_failure(request, user.get_username())
        return False
    return True


def _setup_start(request, user, has_device, context):
    if has_device:
        form = CodeProofForm(request.POST)
        ok = _check_proof(request, user, form, field="code")
    else:
        form = PasswordProofForm(request.POST)
        ok = _check_proof(request, user, form, field="password")
    context["proof_form"] = form
    if not ok:
        return None
    _enrolment_start(request, user)
    return redirect("kelola:second_factor_setup")


def _setup_new_codes(request, user, context):
    form = CodeProofForm(request.POST, prefix="codes")
    context["codes_form"] = form
    if not _check_proof(request, user, form, field="code"):
        return None
    codes = backup_codes_replace(user=user)
    request.session[CODES_KEY] = {"user": user.pk, "codes": codes, "next": ""}
    messages.success(request, _("Kode cadangan baru sudah dibuat; kode lama tidak berlaku lagi."))
    return redirect("kelola:second_factor_setup")


# --- A superuser resets a lost device -----------------------------------------------------


@staff_view
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_reset_view(request):
    """Superusers only (404 for anyone else): remove a staff member's authenticator app and
    backup codes when the phone is lost. GET ?pengguna=<id> asks to confirm; POST resets."""
    if not request.user.is_superuser:
        raise Http404
    users = get_user_model().objects.filter(
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk")))
        | Exists(StaticDevice.objects.filter(user=OuterRef("pk")))
    )
    if request.method == "POST":
        target = get_object_or_404(users, pk=request.POST.get("pengguna") or 0)
        try:
            second_factor_reset(by=request.user, user=target)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "Perangkat verifikasi dua langkah %(name)s sudah direset. Saat masuk "
                    "berikutnya, %(name)s mengatur aplikasi autentikator lagi."
                )
                % {"name": _display_name(target)},
            )
        return redirect("kelola:second_factor_reset")

    query = (request.GET.get("q") or "").strip()
    listed = users.select_related("staff_role__opd").order_by("username")
    if query:
        listed = listed.filter(username__icontains=query) | listed.filter(email__icontains=query)
    target = None
    if request.GET.get("pengguna"):
        target = get_object_or_404(users, pk=request.GET.get("pengguna"))
    return render(
        request,
        AUTH_TEMPLATES + "reset.html",
        {"users": listed[:200], "query": query, "target": target},
    )


def _display_name(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


# --- Passwords ----------------------------------------------------------------------------


def _over_limit(request, group: str, *, rate: str, key="ip") -> int | None:
    usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 60)


class StaffPasswordResetView(auth_views.PasswordResetView):
    """A reset link by e-mail, for staff accounts only; the answer is the same whether or not
    the address belongs to one."""

    form_class = StaffPasswordResetForm
    template_name = AUTH_TEMPLATES + "password_reset_form.html"
    email_template_name = AUTH_TEMPLATES + "password_reset_email.txt"
    subject_template_name = AUTH_TEMPLATES + "password_reset_subject.txt"
    success_url = reverse_lazy("kelola:password_reset_done")

    def post(self, request, *args, **kwargs):
        wait = _over_limit(request, "kelola.password_reset", rate=settings.RATELIMIT_ACCOUNT_IP)
        if wait:
            form = self.get_form()
            minutes = max(1, round(wait / 60))
            form.refuse_throttled(
                ngettext(
                    "Terlalu banyak permintaan dari perangkat ini. Coba lagi dalam %(m)d menit.",
                    "Terlalu banyak permintaan dari perangkat ini. Coba lagi dalam %(m)d menit.",
                    minutes,
                )
                % {"m": minutes}
            )
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        if _over_limit(
            self.request,
            "kelola.password_reset.address",
            rate=RESET_MAILS_PER_ADDRESS,
            key=lambda _group, _request: address,
        ):
            # The same neutral answer, without another mail to that mailbox.
            return HttpResponseRedirect(self.get_success_url())
        # Links in mail use the site's public address, never the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = StaffSetPasswordForm
    template_name = AUTH_TEMPLATES + "password_reset_confirm.html"
    success_url = reverse_lazy("kelola:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Proving the mailbox lifts a lock-out of this username (from any address): the
        # owner is back in control of the password.
        axes_reset(username=form.user.get_username())
        return response


password_reset = StaffPasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name=AUTH_TEMPLATES + "password_reset_done.html"
)
password_reset_confirm = StaffPasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name=AUTH_TEMPLATES + "password_reset_complete.html"
)


@staff_view
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = StaffPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            old_hash = get_client_session_hash(request)
            form.save()
            # Keeps this session (others end) under a new key; the login's AccessLog row
            # follows the key so that the logout is still recorded on it.
            update_session_auth_hash(request, form.user)
            AccessLog.objects.filter(
                session_hash=old_hash, username=request.user.get_username()
            ).update(session_hash=get_client_session_hash(request))
            messages.success(
                request,
                _(
                    "Kata sandi Anda sudah diganti. Perangkat lain yang masuk dengan akun ini "
                    "sudah keluar."
                ),
            )
            return redirect("kelola:second_factor_setup")
        return render(request, AUTH_TEMPLATES + "password_change.html", {"form": form}, status=400)
    return render(request, AUTH_TEMPLATES + "password_change.html", {"form": form})
