"""Site-wide views that belong to no app."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from kudus_pengaduan.celery import app as celery_app


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
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks},
                        status=200 if healthy else 503)
