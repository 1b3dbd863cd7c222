"""Process-level endpoints: liveness and readiness, served by ``HealthProbeMiddleware`` before
host validation and HTTPS redirects."""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse


def healthz(request):
    """200 while the process is up; touches nothing else."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """200 when the database answers, 503 (JSON) when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return JsonResponse(
            {"status": "unavailable", "error": "Servicio no disponible"}, status=503
        )
    return JsonResponse({"status": "ok"})
