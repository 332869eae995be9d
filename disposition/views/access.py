"""Who may use the back-office, and the one way a view gets a report it may see."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from complaints.actors import Actor, actor_for_user
from complaints.models import Complaint
from complaints.selectors import complaints_for
from disposition.models import Role

# Roles that must pass a second factor before any back-office page (issue 4): the people who
# see every reporter's identity.
SECOND_FACTOR_REQUIRED = frozenset({Role.ADMIN_KABUPATEN})


def needs_second_factor(user, actor: Actor) -> bool:
    return user.is_superuser or actor.role in SECOND_FACTOR_REQUIRED


def staff_view(view=None, *, roles: frozenset | None = None):
    """Decorate a back-office view: the request must come from an active staff role (and
    ``roles``, if given), with a verified second factor where required; the view receives
    the Actor as ``request.actor``.

    Not logged in → the staff login; logged in without a staff role → 404 (a citizen learns
    nothing about the back-office); the wrong role → 404 as well.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "kelola:login")
            actor = actor_for_user(request.user)
            if actor is None or (roles is not None and actor.role not in roles):
                raise Http404
            if needs_second_factor(request.user, actor) and not request.user.is_verified():
                return redirect("kelola:second_factor")
            request.actor = actor
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def staff_complaint(actor: Actor, tracking_number: str) -> Complaint:
    """The report with this number if ``actor`` may see it; 404 otherwise (never 403: another
    OPD's report must not even be confirmed to exist)."""
    queryset = complaints_for(actor).select_related(
        "category", "classification", "kecamatan", "desa", "duplicate_of", "escalated_to"
    )
    try:
        return queryset.get(tracking_number=tracking_number.strip().upper())
    except Complaint.DoesNotExist:
        raise Http404 from None
