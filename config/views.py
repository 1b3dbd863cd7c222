"""Process-level endpoints: liveness and readiness (served by ``HealthProbeMiddleware``), the
API docs and the /api/ catch-all."""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
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


class _HtmlPageWithJsonErrors:
    """An HTML page under /api/ that answers GET and HEAD; its errors are JSON like the API's."""

    http_method_names = ["get", "head"]

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False):
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class SwaggerView(_HtmlPageWithJsonErrors, SpectacularSwaggerView):
    """Swagger UI, served from local static files (drf-spectacular-sidecar)."""


class RedocView(_HtmlPageWithJsonErrors, SpectacularRedocView):
    """Redoc, served from local static files, without the upstream page's web fonts."""

    template_name = "api/redoc.html"
