"""OpenAPI of the sales and quotations routes: parameters, headers and error answers."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema

from comercial.fields import ExactDecimalFieldSchema
from config.api.schema import ERROR_RESPONSES, LOCATION
from tenants.api.idempotency import IDEMPOTENCY_KEY, REPLAYED

LINK = OpenApiParameter(
    "Link",
    str,
    location=OpenApiParameter.HEADER,
    response=[200],
    description='Presente cuando hay más: `<URL de la página siguiente>; rel="next"`.',
)

_WRITE_ERRORS = {
    409: (
        "Transición no permitida en el estado actual (ya cancelada, ya convertida, vencida, "
        "fuera del día) o una solicitud en curso con la misma `Idempotency-Key`"
    ),
    403: "Usuario sin empresa, rol insuficiente o falta el token CSRF",
}
# Answers to requests the schema cannot tell from good ones: they depend on the data, the
# clock or an earlier request (``schemathesis.toml`` tells the fuzzer the same).
OTRO_CLIENTE = OpenApiExample(
    "clienteId de otra empresa o inexistente",
    value={
        "error": "El cliente no existe en la empresa",
        "detalles": {"clienteId": ["No existe un cliente con ese id en la empresa."]},
    },
    response_only=True,
)
TOTAL_EXCESIVO = OpenApiExample(
    "Total por encima del máximo",
    value={
        "error": "Dato inválido en «items»: El total supera el máximo permitido "
        "(9.999.999.999.999,99)",
        "detalles": {"items": ["El total supera el máximo permitido (9.999.999.999.999,99)"]},
    },
    response_only=True,
)
VALIDEZ_PASADA = OpenApiExample(
    "validaHasta ya pasada",
    value={
        "error": "Dato inválido en «validaHasta»: validaHasta debe ser posterior a ahora y a lo "
        "sumo 365 días después",
        "detalles": {
            "validaHasta": ["validaHasta debe ser posterior a ahora y a lo sumo 365 días después"]
        },
    },
    response_only=True,
)
CLAVE_REUSADA = OpenApiExample(
    "Idempotency-Key ya usada con otra solicitud",
    value={"error": "La clave de idempotencia ya se usó con otra solicitud"},
    response_only=True,
)
CANCEL_SCHEMA = ERROR_RESPONSES(
    400,
    401,
    403,
    404,
    409,
    413,
    415,
    422,
    descriptions=_WRITE_ERRORS,
    examples={422: [CLAVE_REUSADA]},
)
NOT_ALLOWED = (
    "Un documento solo cambia con sus transiciones: PUT, PATCH y DELETE responden 405 "
    '`{"error": "Método … no permitido"}`.'
)


def list_schema(summary: str, row_serializer):
    return extend_schema(
        summary=summary,
        parameters=[LINK],
        responses={200: row_serializer(many=True), **ERROR_RESPONSES(400, 401, 403)},
    )


def detail_schema(summary: str, serializer):
    return extend_schema(
        summary=summary,
        description=NOT_ALLOWED,
        responses={200: serializer, **ERROR_RESPONSES(401, 403, 404)},
    )


def create_schema(summary: str, request, response, *, rules: tuple = ()):
    """A create's schema; ``rules``: examples of its 400s beyond the customer and the total."""
    examples = {400: [OTRO_CLIENTE, TOTAL_EXCESIVO, *rules], 422: [CLAVE_REUSADA]}
    return extend_schema(
        summary=summary,
        request=request,
        parameters=[IDEMPOTENCY_KEY, LOCATION, REPLAYED],
        responses={
            201: response,
            **ERROR_RESPONSES(
                400, 401, 403, 409, 413, 415, 422, descriptions=_WRITE_ERRORS, examples=examples
            ),
        },
    )


def transition_schema(summary: str, request, response, status: int = 200):
    return extend_schema(
        summary=summary,
        request=request,
        parameters=[IDEMPOTENCY_KEY, REPLAYED, *([LOCATION] if status == 201 else [])],
        responses={status: response, **CANCEL_SCHEMA},
    )


class ExactDecimalStepSchema(ExactDecimalFieldSchema):
    """``ExactDecimalFieldSchema`` plus ``multipleOf``: "at most N decimals" in the words
    of JSON Schema, so a generated client or a fuzzer never sends a fourth decimal."""

    priority = 1

    def map_serializer_field(self, auto_schema, direction):
        """The bounds of ``ExactDecimalFieldSchema`` and the step of the field's decimals."""
        schema = super().map_serializer_field(auto_schema, direction)
        return {**schema, "multipleOf": float(self.target.quantum)}
