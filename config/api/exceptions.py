"""One place that turns every error under ``/api/`` into the contract's JSON shape.

``{"error": "<mensaje>"}`` always; ``"detalles": {campo: [mensajes]}`` on 400 validation errors.
A 500 shows nothing internal; the log has the traceback and the request id.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views import defaults
from psycopg import errors as pg_errors
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from config.middleware import current_request_id
from core.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    GoneError,
    NotFoundError,
    UnprocessableError,
)

logger = logging.getLogger("config.api")

MENSAJE_ERROR_INTERNO = "Error interno del servidor"
MENSAJE_NO_DISPONIBLE = "Servicio no disponible"
MENSAJE_NO_ENCONTRADO = "Recurso no encontrado"
MENSAJE_OCUPADO = "El recurso está ocupado; intente de nuevo"
MENSAJE_DEMASIADO_LENTO = "La operación tardó demasiado; intente de nuevo más tarde"
RETRY_AFTER_SECONDS = "5"
GENERAL_FIELD = "non_field_errors"
# The status of each kind of domain error; any other DomainError is a 400.
DOMAIN_ERROR_STATUS = {
    NotFoundError: status.HTTP_404_NOT_FOUND,
    ConflictError: status.HTTP_409_CONFLICT,
    UnprocessableError: status.HTTP_422_UNPROCESSABLE_ENTITY,
    ForbiddenError: status.HTTP_403_FORBIDDEN,
    GoneError: status.HTTP_410_GONE,
}


class ApiValidationError(exceptions.ValidationError):
    """A validation error that carries the one-sentence summary shown in ``error``."""

    def __init__(self, detail, summary: str):
        super().__init__(detail)
        self.summary = summary


class Moved(exceptions.APIException):
    """308: what the request names answers at ``location`` now (e.g. a merged customer); the
    body says why and carries ``extra`` (``{"error", **extra}``)."""

    status_code = 308

    def __init__(self, detail: str, *, location: str, **extra):
        super().__init__(detail)
        self.location = location
        self.extra = extra


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "El cuerpo de la solicitud supera el máximo permitido"


# Spanish sentences for DRF's own exceptions (its translations are incomplete or awkward).
_MESSAGES = {
    exceptions.NotAuthenticated: "Se requiere autenticación",
    exceptions.ParseError: "El cuerpo de la solicitud no es JSON válido",
    exceptions.NotFound: MENSAJE_NO_ENCONTRADO,
}


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception raised inside an API view ends here."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(MENSAJE_NO_ENCONTRADO)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):  # e.g. more than 1,000 query parameters
        exc = ApiValidationError(
            {GENERAL_FIELD: ["La solicitud tiene demasiados campos o parámetros."]},
            summary="Solicitud inválida",
        )

    set_rollback()
    if isinstance(exc, DomainError):
        body = {"error": exc.message, **exc.details}
        return Response(body, status=_domain_error_status(exc))
    if isinstance(exc, (OperationalError, InterfaceError)):
        return _database_error_response(exc)
    if not isinstance(exc, exceptions.APIException):
        logger.error(
            "unhandled error in API view",
            exc_info=exc,
            extra={"request_id": current_request_id()},
        )
        return Response({"error": MENSAJE_ERROR_INTERNO}, status=500)

    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait) + 1)
    if isinstance(exc, Moved):
        headers["Location"] = exc.location
        body = {"error": str(exc.detail), **exc.extra}
        return Response(body, status=exc.status_code, headers=headers)
    return Response(_body_for(exc, context["request"]), status=exc.status_code, headers=headers)


def _domain_error_status(exc: DomainError) -> int:
    for kind, code in DOMAIN_ERROR_STATUS.items():
        if isinstance(exc, kind):
            return code
    return status.HTTP_400_BAD_REQUEST


def _database_error_response(exc: Exception) -> Response:
    """A lock wait over ``lock_timeout``: 409 (the row is busy, e.g. an import holds it); a
    statement over ``statement_timeout``: 503; the database out of reach: 503 too."""
    cause = exc.__cause__
    if isinstance(cause, pg_errors.LockNotAvailable):
        logger.warning("lock timeout: %s", exc)
        return Response(
            {"error": MENSAJE_OCUPADO},
            status=status.HTTP_409_CONFLICT,
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    if isinstance(cause, pg_errors.QueryCanceled):
        logger.warning("statement timeout: %s", exc)
        message = MENSAJE_DEMASIADO_LENTO
    else:
        logger.warning("database unavailable: %s", exc)
        message = MENSAJE_NO_DISPONIBLE
    return Response(
        {"error": message},
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def _body_for(exc: exceptions.APIException, request) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        detalles = normalize_details(exc.detail)
        summary = getattr(exc, "summary", None) or summarize(detalles)
        return {"error": summary, "detalles": detalles}
    if isinstance(exc, exceptions.ParseError):
        return {
            "error": _MESSAGES[exceptions.ParseError],
            "detalles": {
                GENERAL_FIELD: ["Envíe un objeto JSON bien formado, codificado en UTF-8."]
            },
        }
    if isinstance(exc, exceptions.Throttled):
        return {"error": "Demasiadas solicitudes; intente de nuevo más tarde"}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return {"error": "Tipo de contenido no soportado; use application/json"}
    if isinstance(exc, exceptions.MethodNotAllowed):
        return {"error": f"Método {request.method} no permitido"}
    message = exc.detail if isinstance(exc.detail, str) else None
    default = str(exc.default_detail)
    if message is None or str(message) == default:
        message = _MESSAGES.get(type(exc), default)
    return {"error": str(message)}


def normalize_details(detail) -> dict[str, list[str]]:
    """DRF's error tree as ``{campo: [mensajes]}``; nested fields become ``campo.sub``."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for field, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in normalize_details(value).items():
                    out[field if sub == GENERAL_FIELD else f"{field}.{sub}"] = messages
            else:
                out[str(field)] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return out
    messages = detail if isinstance(detail, list) else [detail]
    return {GENERAL_FIELD: [str(m) for m in messages]}


def summarize(detalles: dict[str, list[str]]) -> str:
    field, messages = next(iter(detalles.items()))
    if field == GENERAL_FIELD:
        return f"Datos inválidos: {messages[0]}"
    return f"Dato inválido en «{field}»: {messages[0]}"


def _json_under_api(status_code: int, message: str, django_view):
    """A Django error view answering the contract's JSON under /api/ and ``django_view``
    (Django's own page) elsewhere; used for errors raised outside DRF's views."""

    def view(request, *args, **kwargs):
        if request.path.startswith("/api/"):
            return JsonResponse({"error": message}, status=status_code)
        return django_view(request, *args, **kwargs)

    return view


json_bad_request = _json_under_api(400, "Solicitud inválida", defaults.bad_request)
json_permission_denied = _json_under_api(
    403, "No tiene permiso para realizar esta acción", defaults.permission_denied
)

json_not_found = _json_under_api(404, MENSAJE_NO_ENCONTRADO, defaults.page_not_found)
json_server_error = _json_under_api(500, MENSAJE_ERROR_INTERNO, defaults.server_error)
