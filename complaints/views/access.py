"""Who may follow a report on the tracking pages: its reporter's account, or a browser session
that proved the tracking number and access code (or just filed the report)."""

from __future__ import annotations

from complaints.actors import Actor, reporter_actor
from complaints.models import Complaint, Reporter

SESSION_KEY = "tracked_complaints"
# A browser keeps access to at most this many reports (the newest), so a session cannot grow.
MAX_TRACKED = 20


def grant_tracking(request, complaint: Complaint) -> None:
    """Remember in the session that this browser may follow ``complaint``."""
    tracked = [pk for pk in request.session.get(SESSION_KEY, []) if pk != complaint.pk]
    request.session[SESSION_KEY] = [*tracked, complaint.pk][-MAX_TRACKED:]


def tracking_actor(request, complaint: Complaint) -> Actor | None:
    """The reporter actor for ``complaint`` if this request may follow it, else None.

    The account that filed it, or a session granted by ``grant_tracking``.
    """
    user = request.user if request.user.is_authenticated else None
    if user is not None and Reporter.objects.filter(complaint=complaint, user=user).exists():
        return reporter_actor(user=user)
    if complaint.pk in request.session.get(SESSION_KEY, []):
        return reporter_actor(complaint_id=complaint.pk)
    return None
