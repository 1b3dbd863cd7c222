"""The answer to a request Django's CSRF protection refuses, on the API and in the admin.

It tells where the request came from (``Origin``/``Referer`` not trusted) from its token
(missing or wrong), so that a frontend on an origin missing from
``DJANGO_CSRF_TRUSTED_ORIGINS`` is not sent hunting for a token it already sends.
"""

from django.http import JsonResponse
from django.middleware import csrf as csrf_middleware
from django.views import csrf

MENSAJE_CSRF = "Falta el token CSRF o no es válido (cabecera X-CSRFToken)"
MENSAJE_ORIGEN = "El origen de la solicitud no es de confianza (cabeceras Origin o Referer)"
# The leading words of Django's reasons for refusing where a request comes from.
_ORIGIN_REASONS = tuple(
    reason.split(" - ")[0]
    for reason in (csrf_middleware.REASON_BAD_ORIGIN, csrf_middleware.REASON_BAD_REFERER)
)


def csrf_message(reason: str) -> str:
    """The answer to a CSRF refusal of Django's ``reason``: its origin, or its token."""
    return MENSAJE_ORIGEN if reason.startswith(_ORIGIN_REASONS) else MENSAJE_CSRF


def json_csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: the contract's JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": csrf_message(reason)}, status=403)
    return csrf.csrf_failure(request, reason=reason)
