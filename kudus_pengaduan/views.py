"""Site-wide views that belong to no app."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kudus_pengaduan.celery import app as celery_app

BROKER_TIMEOUT_SECONDS = 2


@require_safe
@never_cache
def healthz(request):
    """Database and broker reachability, for load balancers and docker-compose health checks.

    503 when either is down, so an orchestrator stops routing to this instance.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the text is the detail
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        # One attempt, bounded: a health check that retries or hangs on a dead broker makes
        # the orchestrator's probe time out instead of reading a clear 503.
        with celery_app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
