"""The API's own pages: the docs (Swagger UI, Redoc) and the /api/ catch-all."""

from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def api_not_found(request):
    raise NotFound()


# The doc pages load only this service's files: they work offline, and the browser refuses
# what the bundles would fetch from elsewhere (Redoc's footer logo comes from a CDN).
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",  # the pages' inline start-up script
        "style-src 'self' 'unsafe-inline'",  # styles the bundles inject
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",  # Redoc's search worker
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


class _HtmlPageWithJsonErrors:
    """An HTML page under /api/ that answers GET and HEAD; its errors are JSON like the API's."""

    http_method_names = ["get", "head"]

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False):
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


class SwaggerView(_HtmlPageWithJsonErrors, SpectacularSwaggerView):
    """Swagger UI, served from local static files (drf-spectacular-sidecar)."""


class RedocView(_HtmlPageWithJsonErrors, SpectacularRedocView):
    """Redoc, served from local static files, without the upstream page's web fonts."""

    template_name = "api/redoc.html"
