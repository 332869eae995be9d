"""Being built (issue 3); each view below is replaced by its real implementation."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


register = verify_email = login_view = logout_view = password_reset = _todo
password_reset_done = password_reset_confirm = password_reset_complete = my_reports = _todo
