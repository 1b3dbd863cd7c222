"""OpenAPI pieces shared by the apps: the error body and its responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from config.api.schema import text  # noqa: F401  (registers the text fields' schema extensions)


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="Mensaje en español para la persona usuaria.")


class ValidationErrorSerializer(ErrorSerializer):
    detalles = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Campo -> lista de mensajes.",
    )


DESCRIPTIONS = {
    400: "Datos o parámetros inválidos",
    401: "Sin credenciales, credenciales inválidas o usuario no ACTIVO",
    403: "Usuario sin empresa, rol insuficiente o falta el token CSRF",
    404: "No existe en la empresa del usuario",
    409: "El documento ya existe en la empresa",
    410: "Ya no se guarda",
    413: "Cuerpo mayor que el máximo permitido",
    415: "Tipo de contenido no soportado (use application/json)",
    422: "La clave de idempotencia ya se usó con otra solicitud",
    429: "Demasiadas solicitudes",
}


def ERROR_RESPONSES(
    *statuses: int,
    descriptions: dict[int, str] | None = None,
    examples: dict[int, list] | None = None,
) -> dict:
    """``{status: OpenApiResponse}`` for the contract's error bodies; ``descriptions``
    replaces the default sentence of a status, ``examples`` gives a status its examples."""
    descriptions = {**DESCRIPTIONS, **(descriptions or {})}
    examples = examples or {}
    return {
        status: OpenApiResponse(
            ValidationErrorSerializer if status == 400 else ErrorSerializer,
            description=descriptions[status],
            examples=examples.get(status, []),
        )
        for status in (*statuses, 429)
    }


LOCATION = OpenApiParameter(
    "Location",
    str,
    location=OpenApiParameter.HEADER,
    response=[201],
    description="URL de lo creado (`/api/clientes/{id}`, `/api/ventas/{id}`, …).",
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <clave>` (emitida con `manage.py issue_token`).",
        }


class ActiveSessionScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.api.authentication.ActiveSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
