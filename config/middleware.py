"""Request-wide middleware: request ids, ``Cache-Control`` on the API, the access log, and the
body size limit."""

import contextvars
import logging
import re
import time
import uuid
from datetime import UTC, datetime

import orjson
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from config import health

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    """Takes ``X-Request-ID`` from the request when well-formed, else makes one; echoes it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class ApiNoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer under ``/api/``: they carry personal data
    (customers, sales, the user), so no browser or proxy may keep a copy. Errors and the
    answers of the middleware inside this one (413, 411, CORS preflights) included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response


class HealthProbeMiddleware:
    """``/healthz`` and ``/readyz`` answered first, whatever the Host header or scheme."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.probes = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __call__(self, request):
        if probe := self.probes.get(request.path):
            return probe(request)
        return self.get_response(request)


class BodySizeLimitMiddleware:
    """Refuses bodies over ``API_MAX_BODY_BYTES`` (or their route's limit,
    ``API_MAX_BODY_BYTES_BY_PATH``) with 413 before anything reads them.

    A chunked body (no Content-Length) is refused with 411: Django would read it as empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_TRANSFER_ENCODING" in request.META and not request.META.get("CONTENT_LENGTH"):
            return JsonResponse(
                {"error": "Se requiere la cabecera Content-Length (sin Transfer-Encoding)"},
                status=411,
            )
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return JsonResponse({"error": "Cabecera Content-Length inválida"}, status=400)
        limit = settings.API_MAX_BODY_BYTES_BY_PATH.get(request.path, settings.API_MAX_BODY_BYTES)
        if length > limit:
            return JsonResponse(
                {"error": f"El cuerpo de la solicitud supera el máximo permitido ({limit} bytes)"},
                status=413,
            )
        return self.get_response(request)


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class AccessLogMiddleware:
    """One JSON line per request on the ``config.access`` logger.

    Fields: time, request id, method, path, status, duration in ms, tenant, user id and the
    number of SQL queries (counted with an execute wrapper, so it works with DEBUG off).
    """

    logger = logging.getLogger("config.access")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        if self.logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            authenticated = bool(user is not None and user.is_authenticated)
            self.logger.info(
                orjson.dumps(
                    {
                        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                        "request_id": getattr(request, "request_id", None),
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "tenant": user.tenant_id if authenticated else None,
                        "user_id": user.pk if authenticated else None,
                        "queries": counter.count,
                    }
                ).decode()
            )
        return response
