"""Being built (issue 3); each view below is replaced by its real implementation."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


home = privacy = report_list = report_detail = statistics = _todo
