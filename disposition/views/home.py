"""The back-office's front door: each role lands on its own workspace."""

from django.shortcuts import redirect

from disposition.models import Role
from disposition.views.access import staff_view


@staff_view
def home(request):
    if request.actor.role == Role.ADMIN_KABUPATEN:
        return redirect("kelola:inbox")
    return redirect("kelola:opd_inbox")
