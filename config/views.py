"""Process-level endpoints: liveness, readiness and the /api/ catch-all."""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound


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


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def api_not_found(request):
    raise NotFound()
