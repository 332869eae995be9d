"""Being built (issue 3); each view below is replaced by its real implementation."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


report_create = desa_options = similar_reports = report_submitted = _todo
