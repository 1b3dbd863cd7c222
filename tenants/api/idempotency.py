"""``Idempotency-Key`` on write routes: a double click or a retried request runs once.

The first request with a key runs as usual and, in the same transaction, its status and
body are stored per (tenant, user, key) with a fingerprint of method, path and body, for
24 hours. The same key again:

- with the same request: the stored answer, with ``Idempotent-Replayed: true``; nothing runs;
- with another request: 422;
- while the first one still runs: 409 at once (a transaction-scoped advisory lock on the key
  tells; it disappears with the transaction, so a crashed request leaves no stale claim).

Transient answers are not stored: 500 and above, and any answer that tells the client to try
again later (``Retry-After``: a row lock held past ``lock_timeout``, 409 ``El recurso está
ocupado``). The work was rolled back, so a retry with the same key, as those answers ask, runs
again instead of replaying the refusal for 24 hours.
Expired keys are purged by the requests themselves, in the tenant's own transaction: there is
no cron to remember.
"""

import functools
import hashlib
import json
import re
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import OpenApiParameter

from config.api.exceptions import ApiValidationError
from core.errors import ConflictError, UnprocessableError
from tenants.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII

# The header in the OpenAPI of every route that honours it.
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Opcional, de 1 a 255 caracteres ASCII visibles. La misma clave con la misma "
        "solicitud (método, ruta y cuerpo) durante 24 horas devuelve la respuesta guardada "
        "sin repetir la operación; con otra solicitud, 422; mientras la primera sigue en "
        "curso, 409."
    ),
)
REPLAYED = OpenApiParameter(
    REPLAYED_HEADER,
    str,
    location=OpenApiParameter.HEADER,
    response=[200, 201],
    description="`true` cuando la respuesta es la guardada para esa `Idempotency-Key`.",
)

MENSAJE_CLAVE_INVALIDA = "La cabecera Idempotency-Key no es válida"
MENSAJE_OTRA_SOLICITUD = "La clave de idempotencia ya se usó con otra solicitud"
MENSAJE_EN_CURSO = "Hay una solicitud en curso con esa clave de idempotencia"


def idempotent(handler):
    """Decorates a viewset action (after authentication) to honour ``Idempotency-Key``."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not _VALID_KEY.fullmatch(key):
            raise ApiValidationError(
                {HEADER: ["Debe tener de 1 a 255 caracteres ASCII visibles."]},
                summary=MENSAJE_CLAVE_INVALIDA,
            )
        scope = {"tenant_id": request.user.tenant_id, "usuario_id": request.user.pk, "clave": key}
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            _claim(scope)
            stored = _purge_and_find(scope)
            if stored is not None:
                if stored.huella != fingerprint:
                    raise UnprocessableError(MENSAJE_OTRA_SOLICITUD)
                return _replay(stored)
            try:
                with transaction.atomic():
                    response = handler(view, request, *args, **kwargs)
            except Exception as exc:  # the error answer is stored like any other
                response = view.handle_exception(exc)
            if is_final(response):
                _store(scope, fingerprint, response)
            return response

    return wrapper


def is_final(response) -> bool:
    """Whether an answer is what the key stands for from now on; not a 5xx, nor an answer
    that asks to retry (``Retry-After``)."""
    return response.status_code < 500 and "Retry-After" not in response.headers


def _fingerprint(request) -> str:
    """Method, path and the parsed body (key order and spacing do not matter; an uploaded
    file counts by its content, not its name)."""
    body = json.dumps(request.data, sort_keys=True, default=_as_text, ensure_ascii=False)
    return hashlib.sha256(f"{request.method}\n{request.path}\n{body}".encode()).hexdigest()


def _as_text(value) -> str:
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)  # the view reads it next
        return f"sha256:{digest.hexdigest()}"
    return str(value)


def _claim(scope: dict) -> None:
    """Holds the key for this transaction, or 409 when another request holds it."""
    digest = hashlib.sha256(
        f"{scope['tenant_id']}:{scope['usuario_id']}:{scope['clave']}".encode()
    ).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], signed=True)]
        )
        if not cursor.fetchone()[0]:
            raise ConflictError(MENSAJE_EN_CURSO)


def _purge_and_find(scope: dict) -> IdempotentRequest | None:
    requests = IdempotentRequest.objects.for_tenant(scope["tenant_id"])
    requests.filter(creado_en__lt=timezone.now() - TTL).delete()
    return requests.filter(usuario_id=scope["usuario_id"], clave=scope["clave"]).first()


def _store(scope: dict, fingerprint: str, response) -> None:
    IdempotentRequest.objects.create(
        **scope,
        huella=fingerprint,
        status=response.status_code,
        cuerpo=ORJSONRenderer().render(response.data),
        location=response.headers.get("Location", ""),
    )


def _replay(stored: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(stored.cuerpo), status=stored.status, content_type="application/json"
    )
    response[REPLAYED_HEADER] = "true"
    if stored.location:
        response["Location"] = stored.location
    return response
