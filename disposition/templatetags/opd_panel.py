"""``{% opd_panel complaint as panel %}``: what the OPD action panel on a staff report page
shows the acting user (``request.actor``), with a blank form for every action on offer.

Used by ``templates/disposition/report/_opd_actions.html``; the report page only includes that
template with ``complaint`` and ``request`` in its context.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from disposition import selectors
from disposition.forms.opd import (
    AcceptForm,
    AssignForm,
    NoteForm,
    RequestInfoForm,
    ResponseForm,
    ReturnForm,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def opd_panel(context, complaint):
    """The panel (``disposition.selectors.OpdPanel``) for this report, or None when the actor
    has no OPD or the OPD has no disposition of this report."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or complaint is None:
        return None
    panel = selectors.opd_panel(actor, complaint, now=timezone.now())
    if panel is None:
        return None
    for item in panel.items:
        offered = item.actions
        item.forms = {}
        if selectors.ACCEPT in offered:
            item.forms["accept"] = AcceptForm()
        if selectors.RETURN in offered:
            item.forms["return"] = ReturnForm()
        if item.response_kinds:
            item.forms["respond"] = ResponseForm(
                kinds=item.response_kinds, is_secret=complaint.is_secret
            )
        # Nobody to assign to (a Pejabat Penghubung acting for an OPD without admins): no form.
        if selectors.ASSIGN in offered and panel.assignees:
            item.forms["assign"] = AssignForm(assignees=panel.assignees)
        if selectors.REQUEST_INFO in offered:
            item.forms["request_info"] = RequestInfoForm()
        if selectors.NOTE in offered:
            item.forms["note"] = NoteForm()
    panel.template_texts = {str(t.pk): t.text for t in panel.templates}
    return panel
