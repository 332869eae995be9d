"""Being built (issue 3); each view below is replaced by its real implementation."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


track = resend_code = track_detail = provide_info = object_to_answer = rate = _todo
