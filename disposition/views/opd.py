"""The OPD workspace: the inbox of an OPD's dispositions, the actions on one disposition, and
the OPD's answer templates (issue 4, parts 3 and 4).

Who: an Admin OPD and the Pejabat Penghubung of the OPD. Admin Kabupaten gets 404 here: it
works from its own inbox (which filters by OPD) and the report page, which shows every
disposition; these pages are one OPD's desk. A Pejabat Penghubung reads everything an Admin
OPD reads; it acts only while the OPD has no active Admin OPD (the services refuse otherwise,
and record ``in_place_of_admin_opd`` when it does).

Every action fetches the disposition through ``dispositions_for(actor)`` (another OPD's → 404)
and acts through its service, which checks status, role and scope again. A success goes back
to the report's page with a message; a refusal shows this action's own page with the
service's reason and everything typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from complaints.forms.tracking import add_service_errors
from complaints.selectors import dispositions_for
from complaints.services import complaint_request_info
from complaints.workflow import TransitionError
from disposition import selectors
from disposition.calendar import working_calendar
from disposition.forms.opd import (
    AcceptForm,
    AnswerTemplateForm,
    AssignForm,
    NoteForm,
    RequestInfoForm,
    ResponseForm,
    ReturnForm,
)
from disposition.models import Disposition, ResponseKind, Role
from disposition.services import (
    disposition_accept,
    disposition_assign,
    disposition_return,
    response_add,
)
from disposition.views.access import staff_view

OPD_ROLES = frozenset({Role.ADMIN_OPD, Role.PEJABAT_PENGHUBUNG})
opd_view = staff_view(roles=OPD_ROLES)


# --- the inbox ----------------------------------------------------------------------------


@opd_view
@require_http_methods(["GET"])
def opd_inbox(request):
    """The OPD's dispositions in four queues, with each clock's state and due time."""
    actor = request.actor
    mine = actor.role == Role.ADMIN_OPD and request.GET.get("saya") == "1"
    page = selectors.opd_inbox_page(
        actor,
        queue=request.GET.get("antrian", selectors.DEFAULT_OPD_QUEUE),
        mine=mine,
        after=request.GET.get("setelah"),
        before=request.GET.get("sebelum"),
        now=timezone.now(),
    )
    can_act, in_place = selectors.opd_acts_in_place(actor)
    return render(
        request,
        "disposition/opd/inbox.html",
        {
            "page": page,
            "tabs": [{"queue": q, "count": page.counts.get(q.key)} for q in selectors.OPD_QUEUES],
            "can_act": can_act,
            "in_place_of_admin": in_place,
        },
    )


# --- actions on one disposition -----------------------------------------------------------


def _disposition(actor, pk: int) -> Disposition:
    queryset = dispositions_for(actor).select_related(
        "complaint", "complaint__category", "opd", "assigned_to"
    )
    return get_object_or_404(queryset, pk=pk)


def report_url(complaint) -> str:
    # No #fragment: the page must open at its top, where the message saying what happened is
    # (the report page puts the OPD panel right under its header for OPD roles).
    return reverse("kelola:report_detail", args=[complaint.tracking_number])


@dataclass(frozen=True)
class _Action:
    """One action: its form, its page's words and what it does (returns the success message)."""

    name: str
    form_class: type
    title: str
    button: str
    run: Callable[[HttpRequest, Disposition, dict], str]
    form_kwargs: Callable[[HttpRequest, Disposition], dict] = lambda request, disposition: {}
    initial: Callable[[HttpRequest, Disposition], dict] = lambda request, disposition: {}


def _action_view(action: _Action):
    @opd_view
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        disposition = _disposition(request.actor, pk)
        complaint = disposition.complaint
        kwargs = action.form_kwargs(request, disposition)
        if request.method == "POST":
            form = action.form_class(request.POST, request.FILES, **kwargs)
            if form.is_valid():
                try:
                    message = action.run(request, disposition, form.cleaned_data)
                except TransitionError as exc:
                    form.add_error(None, exc.message)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, message)
                    return redirect(report_url(complaint))
        else:
            form = action.form_class(initial=action.initial(request, disposition), **kwargs)
        can_act, in_place = selectors.opd_acts_in_place(request.actor)
        offered = (
            selectors.disposition_actions(request.actor, complaint, disposition)
            if can_act
            else set()
        )
        context = {
            "action": action,
            "form": form,
            "disposition": disposition,
            "complaint": complaint,
            "can_act": can_act,
            "in_place_of_admin": in_place,
            "offered": action.name in offered
            or (action.name == "respond" and bool(offered & RESPONSE_ACTIONS)),
            "clocks": selectors.clock_views(
                disposition.clocks.order_by("started_at", "id"),
                now=timezone.now(),
                calendar=working_calendar(),
            ),
        }
        if action.name == "respond" and context["offered"]:
            templates = list(selectors.answer_templates_for(request.actor).filter(is_active=True))
            context["templates"] = templates
            context["template_texts"] = {str(t.pk): t.text for t in templates}
        return render(request, "disposition/opd/action.html", context)

    view.__name__ = f"opd_{action.name}"
    return view


RESPONSE_ACTIONS = frozenset({selectors.INITIAL, selectors.PROGRESS, selectors.FINAL})


def _response_kinds(request, disposition) -> list[str]:
    """The response kinds the disposition's status allows now, in their natural order."""
    can_act, _in_place = selectors.opd_acts_in_place(request.actor)
    if not can_act:
        return []
    offered = selectors.disposition_actions(request.actor, disposition.complaint, disposition)
    return [k for k in (selectors.INITIAL, selectors.PROGRESS, selectors.FINAL) if k in offered]


def _run_accept(request, disposition, data):
    disposition_accept(disposition=disposition, actor=request.actor)
    return _("Disposisi laporan %(number)s diterima. Kirim tanggapan awal sebelum batas waktu.") % {
        "number": disposition.complaint.tracking_number
    }


def _run_return(request, disposition, data):
    disposition_return(disposition=disposition, actor=request.actor, reason=data["reason"])
    return _("Disposisi laporan %(number)s dikembalikan ke Admin Kabupaten.") % {
        "number": disposition.complaint.tracking_number
    }


def _run_assign(request, disposition, data):
    assignee = data["assignee"]
    disposition_assign(disposition=disposition, actor=request.actor, assignee=assignee)
    return _("Disposisi laporan %(number)s ditugaskan kepada %(name)s.") % {
        "number": disposition.complaint.tracking_number,
        "name": assignee.get_full_name() or assignee.username,
    }


def _run_request_info(request, disposition, data):
    complaint_request_info(
        complaint=disposition.complaint, actor=request.actor, question=data["question"]
    )
    return _("Pertanyaan dikirim kepada pelapor. Jam layanan dijeda sampai pelapor menjawab.")


RESPONSE_SENT = {
    ResponseKind.INITIAL: gettext_lazy("Tanggapan awal terkirim kepada pelapor."),
    ResponseKind.PROGRESS: gettext_lazy("Tindak lanjut terkirim kepada pelapor."),
    ResponseKind.FINAL: gettext_lazy(
        "Tindak lanjut akhir terkirim. Disposisi OPD Anda untuk laporan ini selesai."
    ),
}


def _run_respond(request, disposition, data):
    response_add(
        disposition=disposition,
        actor=request.actor,
        kind=data["kind"],
        text=data["text"],
        visibility=data["visibility"],
        attachments=data["attachments"],
    )
    return str(RESPONSE_SENT[data["kind"]])


def _run_note(request, disposition, data):
    response_add(
        disposition=disposition, actor=request.actor, kind=ResponseKind.NOTE, text=data["text"]
    )
    return _("Catatan internal disimpan. Catatan ini tidak pernah ditampilkan kepada pelapor.")


def _assign_kwargs(request, disposition):
    return {"assignees": selectors.opd_assignees(disposition.opd_id)}


def _response_form_kwargs(request, disposition):
    return {
        "kinds": _response_kinds(request, disposition),
        "is_secret": disposition.complaint.is_secret,
    }


def _response_initial(request, disposition):
    """``?jenis=`` picks the kind, ``?templat=<id>`` starts the text from one of the OPD's
    active templates (the no-JavaScript way of "Gunakan templat")."""
    initial = {}
    kind = request.GET.get("jenis", "")
    if kind in _response_kinds(request, disposition):
        initial["kind"] = kind
    template_id = request.GET.get("templat", "")
    if template_id.isdigit():
        template = (
            selectors.answer_templates_for(request.actor)
            .filter(is_active=True, pk=int(template_id))
            .first()
        )
        if template is not None:
            initial["text"] = template.text
    return initial


opd_accept = _action_view(
    _Action(
        name=selectors.ACCEPT,
        form_class=AcceptForm,
        title=gettext_lazy("Terima disposisi"),
        button=gettext_lazy("Terima disposisi"),
        run=_run_accept,
    )
)
opd_return = _action_view(
    _Action(
        name=selectors.RETURN,
        form_class=ReturnForm,
        title=gettext_lazy("Kembalikan ke Admin Kabupaten"),
        button=gettext_lazy("Kembalikan disposisi"),
        run=_run_return,
    )
)
opd_assign = _action_view(
    _Action(
        name=selectors.ASSIGN,
        form_class=AssignForm,
        title=gettext_lazy("Tugaskan kepada petugas"),
        button=gettext_lazy("Tugaskan"),
        run=_run_assign,
        form_kwargs=_assign_kwargs,
    )
)
opd_request_info = _action_view(
    _Action(
        name=selectors.REQUEST_INFO,
        form_class=RequestInfoForm,
        title=gettext_lazy("Minta informasi kepada pelapor"),
        button=gettext_lazy("Kirim pertanyaan"),
        run=_run_request_info,
    )
)
opd_respond = _action_view(
    _Action(
        name="respond",
        form_class=ResponseForm,
        title=gettext_lazy("Kirim tanggapan"),
        button=gettext_lazy("Kirim tanggapan"),
        run=_run_respond,
        form_kwargs=_response_form_kwargs,
        initial=_response_initial,
    )
)
opd_note = _action_view(
    _Action(
        name=selectors.NOTE,
        form_class=NoteForm,
        title=gettext_lazy("Catatan koordinasi internal"),
        button=gettext_lazy("Simpan catatan"),
        run=_run_note,
    )
)


# --- answer templates ---------------------------------------------------------------------


def _template(actor, pk: int):
    return get_object_or_404(selectors.answer_templates_for(actor), pk=pk)


@opd_view
@require_http_methods(["GET"])
def answer_templates(request):
    templates = selectors.answer_templates_for(request.actor).order_by("-is_active", "title")
    return render(request, "disposition/opd/templates.html", {"templates": templates})


def _template_form_page(request, instance=None):
    actor = request.actor
    form = AnswerTemplateForm(request.POST or None, instance=instance, opd_id=actor.opd_id)
    if request.method == "POST" and form.is_valid():
        template = form.save(commit=False)
        if instance is None:
            template.opd_id = actor.opd_id
            template.created_by = actor.user
        try:
            # The title is unique per OPD: two admins saving the same title at once get the
            # form's message, not an error page.
            with transaction.atomic():
                template.save()
        except IntegrityError:
            form.add_error("title", _("OPD Anda sudah memiliki templat dengan judul ini."))
        else:
            if instance is None:
                messages.success(request, _("Templat “%(title)s” dibuat.") % {"title": template})
            else:
                messages.success(request, _("Templat “%(title)s” disimpan.") % {"title": template})
            return redirect("kelola:answer_templates")
    return render(
        request, "disposition/opd/template_form.html", {"form": form, "template": instance}
    )


@opd_view
@require_http_methods(["GET", "POST"])
def answer_template_create(request):
    return _template_form_page(request)


@opd_view
@require_http_methods(["GET", "POST"])
def answer_template_edit(request, pk):
    return _template_form_page(request, _template(request.actor, pk))


@opd_view
@require_POST
def answer_template_active(request, pk):
    """Deactivate (``aktif=0``) or reactivate (``aktif=1``) a template. Templates are never
    deleted: a deactivated one disappears from the response form and can come back."""
    template = _template(request.actor, pk)
    active = request.POST.get("aktif") == "1"
    if template.is_active != active:
        template.is_active = active
        template.save(update_fields=["is_active"])
    if active:
        messages.success(
            request, _("Templat “%(title)s” diaktifkan kembali.") % {"title": template}
        )
    else:
        messages.success(
            request,
            _("Templat “%(title)s” dinonaktifkan: tidak lagi ditawarkan saat menanggapi.")
            % {"title": template},
        )
    return redirect("kelola:answer_templates")
