"""Onboarding (issue 4 point 5): which OPDs have their Pejabat Penghubung and Admin OPDs, and
the actions that fill the gaps; the Pejabat Penghubung's nominations; the invitation link.

Admin Kabupaten only, except the nominations page (the Pejabat Penghubung's) and the
invitation link (anyone holding a valid one). Every action is a service of
``disposition.staff``; its refusal is shown on the form or as a message, never swallowed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disposition import staff
from disposition.forms.onboarding import (
    AccountForm,
    AppointForm,
    DeactivateForm,
    InvitationPasswordForm,
    NominationForm,
    RejectForm,
    add_service_errors,
)
from disposition.models import OPD, AdminNomination, Role, StaffRole
from disposition.views.access import staff_view

User = get_user_model()

ADMIN_KABUPATEN = frozenset({Role.ADMIN_KABUPATEN})
OPD_PEOPLE = (Role.PEJABAT_PENGHUBUNG, Role.ADMIN_OPD)
FILTERS = ("semua", "belum-lengkap", "lengkap")


def _next_or(request, fallback: str) -> str:
    """Where to go back after an action posted from a list (the onboarding page or an OPD's
    page): the form's ``next`` if it is one of ours, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/kelola/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- the overview -------------------------------------------------------------------------


class OpdRow:
    """One OPD on the onboarding page, with the people found for it."""

    def __init__(self, opd: OPD):
        self.opd = opd
        self.pejabat_penghubung: StaffRole | None = None
        self.admins: list[StaffRole] = []
        self.nominations: list[AdminNomination] = []

    @property
    def missing(self) -> int:
        """How many of the two things an OPD needs are missing (0, 1 or 2)."""
        return (self.pejabat_penghubung is None) + (not self.admins)

    @property
    def complete(self) -> bool:
        return self.missing == 0


def onboarding_rows() -> list[OpdRow]:
    """Every active OPD with its people and pending nominations, most-missing first.

    Three queries whatever the number of OPDs (OPDs, active roles, pending nominations); the
    grouping is done here.
    """
    rows = {opd.pk: OpdRow(opd) for opd in OPD.objects.filter(is_active=True).order_by("name")}
    roles = (
        StaffRole.objects.filter(
            opd__is_active=True, is_active=True, user__is_active=True, role__in=OPD_PEOPLE
        )
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    for role in roles:
        row = rows.get(role.opd_id)
        if row is None:
            continue
        if role.role == Role.PEJABAT_PENGHUBUNG:
            row.pejabat_penghubung = role
        else:
            row.admins.append(role)
    nominations = (
        AdminNomination.objects.filter(status=AdminNomination.Status.PENDING, opd__is_active=True)
        .select_related("nominated_by")
        .order_by("created_at", "id")
    )
    for nomination in nominations:
        if nomination.opd_id in rows:
            rows[nomination.opd_id].nominations.append(nomination)
    return sorted(rows.values(), key=lambda row: (-row.missing, row.opd.name.lower()))


@staff_view(roles=ADMIN_KABUPATEN)
def onboarding(request):
    rows = onboarding_rows()
    counts = {
        "opds": len(rows),
        "without_pp": sum(row.pejabat_penghubung is None for row in rows),
        "without_admin": sum(not row.admins for row in rows),
        "complete": sum(row.complete for row in rows),
        "pending": sum(len(row.nominations) for row in rows),
        "uninvited": sum(
            not role.user.has_usable_password()
            for row in rows
            for role in ([row.pejabat_penghubung] if row.pejabat_penghubung else []) + row.admins
        ),
    }
    shown = request.GET.get("tampil", "semua")
    if shown not in FILTERS:
        shown = "semua"
    query = (request.GET.get("q") or "").strip()
    visible = [
        row
        for row in rows
        if (shown == "semua" or (shown == "lengkap") == row.complete)
        and (
            not query
            or query.lower() in row.opd.name.lower()
            or query.lower() in row.opd.short_name.lower()
        )
    ]
    pending = [nomination for row in rows for nomination in row.nominations]
    pending.sort(key=lambda n: (n.created_at, n.pk))
    opd_names = {row.opd.pk: row.opd for row in rows}
    for nomination in pending:
        nomination.opd = opd_names[nomination.opd_id]  # already loaded: no query per row
    return render(
        request,
        "disposition/onboarding/index.html",
        {
            "rows": visible,
            "counts": counts,
            "pending": pending,
            "shown": shown,
            "query": query,
            "filters": [
                ("semua", _("Semua OPD")),
                ("belum-lengkap", _("Belum lengkap")),
                ("lengkap", _("Lengkap")),
            ],
            "here": request.get_full_path(),
        },
    )


# --- one OPD ------------------------------------------------------------------------------


def _opd_context(opd: OPD) -> dict:
    roles = list(
        StaffRole.objects.filter(opd=opd, role__in=OPD_PEOPLE)
        .select_related("user")
        .order_by("-is_active", "role", "user__first_name", "user__username")
    )
    active = [r for r in roles if r.is_active and r.user.is_active]
    nominations = list(
        AdminNomination.objects.filter(opd=opd)
        .select_related("nominated_by", "decided_by", "user")
        .order_by("-created_at", "-id")
    )
    return {
        "opd": opd,
        "pejabat_penghubung": next((r for r in active if r.role == Role.PEJABAT_PENGHUBUNG), None),
        "admins": [r for r in active if r.role == Role.ADMIN_OPD],
        "former": [r for r in roles if r not in active],
        "pending": [n for n in nominations if n.status == AdminNomination.Status.PENDING],
        "decided": [n for n in nominations if n.status != AdminNomination.Status.PENDING],
    }


def _active_opd(pk) -> OPD:
    return get_object_or_404(OPD, pk=pk, is_active=True)


@staff_view(roles=ADMIN_KABUPATEN)
def opd_detail(request, pk):
    opd = _active_opd(pk)
    context = _opd_context(opd)
    context["here"] = request.get_full_path()
    return render(request, "disposition/onboarding/opd.html", context)


@staff_view(roles=ADMIN_KABUPATEN)
def appoint_pejabat_penghubung(request, pk):
    opd = _active_opd(pk)
    form = AppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = data["account"] == AppointForm.EXISTING
        try:
            user = staff.pejabat_penghubung_appoint(
                actor=request.actor,
                opd=opd,
                user=data.get("user") if existing else None,
                name=data["name"],
                email=data["email"],
                username=data["username"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if existing:
                messages.success(
                    request,
                    _("%(name)s kini Pejabat Penghubung %(opd)s.")
                    % {"name": staff.display_name(user), "opd": opd.short_name},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s kini Pejabat Penghubung %(opd)s. Undangan untuk membuat kata "
                        "sandi dikirim ke %(email)s (nama pengguna: %(username)s)."
                    )
                    % {
                        "name": staff.display_name(user),
                        "opd": opd.short_name,
                        "email": user.email,
                        "username": user.username,
                    },
                )
            return redirect("kelola:onboarding_opd", pk=opd.pk)
    context = _opd_context(opd)
    context["form"] = form
    return render(request, "disposition/onboarding/appoint.html", context)


@staff_view(roles=ADMIN_KABUPATEN)
def admin_create(request, pk):
    opd = _active_opd(pk)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = staff.admin_opd_create(
                actor=request.actor,
                opd=opd,
                name=data["name"],
                email=data["email"],
                username=data["username"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Akun Admin OPD %(opd)s untuk %(name)s dibuat. Undangan untuk membuat kata "
                    "sandi dikirim ke %(email)s (nama pengguna: %(username)s)."
                )
                % {
                    "opd": opd.short_name,
                    "name": staff.display_name(user),
                    "email": user.email,
                    "username": user.username,
                },
            )
            return redirect("kelola:onboarding_opd", pk=opd.pk)
    context = _opd_context(opd)
    context["form"] = form
    return render(request, "disposition/onboarding/admin_create.html", context)


# --- nominations: deciding ---------------------------------------------------------------


def _pending_nomination(pk) -> AdminNomination:
    return get_object_or_404(
        AdminNomination.objects.select_related("opd", "nominated_by"), pk=pk, opd__is_active=True
    )


@staff_view(roles=ADMIN_KABUPATEN)
@require_POST
def nomination_approve(request, pk):
    nomination = _pending_nomination(pk)
    back = _next_or(request, reverse("kelola:onboarding"))
    try:
        user = staff.nomination_approve(actor=request.actor, nomination=nomination)
    except ValidationError as error:
        messages.error(
            request,
            _("Usulan %(name)s tidak dapat disetujui: %(why)s")
            % {"name": nomination.name, "why": " ".join(error.messages)},
        )
    else:
        messages.success(
            request,
            _(
                "Usulan disetujui: %(name)s kini Admin OPD %(opd)s. Undangan untuk membuat kata "
                "sandi dikirim ke %(email)s (nama pengguna: %(username)s)."
            )
            % {
                "name": staff.display_name(user),
                "opd": nomination.opd.short_name,
                "email": user.email,
                "username": user.username,
            },
        )
    return redirect(back)


@staff_view(roles=ADMIN_KABUPATEN)
def nomination_reject(request, pk):
    nomination = _pending_nomination(pk)
    back = _next_or(request, reverse("kelola:onboarding"))
    if nomination.status != AdminNomination.Status.PENDING:
        messages.info(
            request,
            _("Usulan %(name)s sudah diputuskan: %(status)s.")
            % {"name": nomination.name, "status": nomination.get_status_display().lower()},
        )
        return redirect(back)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.nomination_reject(
                actor=request.actor, nomination=nomination, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Usulan %(name)s (%(opd)s) ditolak; alasannya ditampilkan kepada pengusul.")
                % {"name": nomination.name, "opd": nomination.opd.short_name},
            )
            return redirect(back)
    return render(
        request,
        "disposition/onboarding/reject.html",
        {"nomination": nomination, "form": form, "back": back},
    )


# --- accounts -----------------------------------------------------------------------------


def _opd_account(user_id) -> StaffRole:
    """The role of an OPD account (Admin OPD or Pejabat Penghubung); 404 for any other
    account: Diskominfo's own are managed by the superuser in the Django admin."""
    role = (
        StaffRole.objects.filter(user_id=user_id, role__in=OPD_PEOPLE)
        .select_related("user", "opd")
        .first()
    )
    if role is None:
        raise Http404
    return role


@staff_view(roles=ADMIN_KABUPATEN)
def account_deactivate(request, user_id):
    role = _opd_account(user_id)
    back = _next_or(request, reverse("kelola:onboarding_opd", args=[role.opd_id]))
    if not (role.is_active and role.user.is_active):
        messages.info(
            request,
            _("Akun %(username)s sudah nonaktif.") % {"username": role.user.username},
        )
        return redirect(back)
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.staff_deactivate(
                actor=request.actor, user=role.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _deactivated_messages(request, role)
            return redirect(back)
    return render(
        request,
        "disposition/onboarding/deactivate.html",
        {"role": role, "form": form, "back": back},
    )


def _deactivated_messages(request, role: StaffRole) -> None:
    messages.success(
        request,
        _(
            "Akun %(username)s (%(name)s) dinonaktifkan: tidak dapat masuk lagi. Riwayat "
            "tindakannya tetap tersimpan."
        )
        % {"username": role.user.username, "name": staff.display_name(role.user)},
    )
    if role.role == Role.PEJABAT_PENGHUBUNG:
        messages.warning(
            request,
            _("%(opd)s kini tidak memiliki Pejabat Penghubung: tetapkan penggantinya.")
            % {"opd": role.opd.short_name},
        )
    elif not StaffRole.objects.filter(
        opd_id=role.opd_id, role=Role.ADMIN_OPD, is_active=True, user__is_active=True
    ).exists():
        messages.warning(
            request,
            _(
                "%(opd)s kini tidak memiliki Admin OPD aktif: disposisi baru ditangani "
                "Pejabat Penghubungnya sampai ada Admin OPD baru."
            )
            % {"opd": role.opd.short_name},
        )


@staff_view(roles=ADMIN_KABUPATEN)
@require_POST
def account_invite(request, user_id):
    role = _opd_account(user_id)
    back = _next_or(request, reverse("kelola:onboarding_opd", args=[role.opd_id]))
    try:
        staff.staff_invite(actor=request.actor, user=role.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("Undangan baru dikirim ke %(email)s.") % {"email": role.user.email},
        )
    return redirect(back)


# --- nominations: proposing (the Pejabat Penghubung) --------------------------------------


@staff_view(roles=frozenset({Role.ADMIN_KABUPATEN, Role.PEJABAT_PENGHUBUNG}))
def nominations(request):
    """The Pejabat Penghubung proposes Admin OPD candidates and follows their decisions.
    Admin Kabupaten decides them on the onboarding page, where they are listed per OPD."""
    actor = request.actor
    if actor.role == Role.ADMIN_KABUPATEN:
        return redirect(f"{reverse('kelola:onboarding')}#usulan")
    opd = get_object_or_404(OPD, pk=actor.opd_id)
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = staff.nomination_create(
                actor=actor,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                position=data["position"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Usulan %(name)s sebagai Admin OPD %(opd)s terkirim. Admin Kabupaten akan "
                    "memutuskannya; bila disetujui, undangan dikirim ke %(email)s."
                )
                % {"name": nomination.name, "opd": opd.short_name, "email": nomination.email},
            )
            return redirect("kelola:nominations")
    admins = list(
        StaffRole.objects.filter(opd=opd, role=Role.ADMIN_OPD, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return render(
        request,
        "disposition/onboarding/nominations.html",
        {
            "opd": opd,
            "form": form,
            "admins": admins,
            "nominations": AdminNomination.objects.filter(opd=opd)
            .select_related("decided_by", "nominated_by")
            .order_by("-created_at", "-id"),
        },
    )


# --- the invitation link ------------------------------------------------------------------


class InvitationView(auth_views.PasswordResetConfirmView):
    """The one-time link of an invitation: the new staff member sets their first password.

    Django's password-reset confirmation with the invitation's own token generator: the link
    is void once a password is set, when it expires, and when the account or its role was
    deactivated meanwhile.
    """

    form_class = InvitationPasswordForm
    token_generator = staff.invitation_token_generator
    reset_url_token = "atur-sandi"  # noqa: S105 - a URL segment, not a password
    template_name = "disposition/onboarding/invitation.html"
    success_url = reverse_lazy("kelola:invitation_done")
    post_reset_login = False

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not user.is_active:
            return None
        role = StaffRole.objects.filter(user=user, is_active=True).first()
        return user if role is not None else None

    def form_valid(self, form):
        response = super().form_valid(form)
        staff.invitation_accepted_log(user=form.user)
        return response


invitation = InvitationView.as_view()


def invitation_done(request):
    return render(request, "disposition/onboarding/invitation_done.html")
