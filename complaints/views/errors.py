"""Error pages of the citizen website."""

from django.shortcuts import render


def rate_limited(request, exception=None):
    """429 with a plain Indonesian explanation (django-ratelimit's RATELIMIT_VIEW)."""
    return render(request, "complaints/rate_limited.html", status=429)
