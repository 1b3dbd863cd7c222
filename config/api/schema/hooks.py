"""drf-spectacular postprocessing hooks: what a client generator needs and the views do not say.

- ``{id}`` path parameters are positive bigints, typed as integers.
- Every operation lists the answers any request can get: 500 and 503 (database unavailable or
  too slow, with ``Retry-After``); writes add 409 (a row locked too long, with ``Retry-After``),
  411 and 413, and 415 when they read a body; 429 (every view is throttled) documents its
  ``Retry-After``.
- Request bodies say which of their fields exclude each other.
- Components carry a client-facing Spanish description, never a docstring (docstrings are
  turned off as descriptions in ``SPECTACULAR_SETTINGS``).
"""

from config.api.ids import MAX_BIGINT
from config.api.schema import DESCRIPTIONS

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
WRITE_METHODS = {"post", "put", "patch"}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_BIGINT}

RETRY_AFTER = "Retry-After"
RETRY_AFTER_DESCRIPTION = "Segundos que conviene esperar antes de reintentar."
LOCK_SENTENCE = (
    "También cuando otra operación mantiene bloqueado el registro demasiado tiempo: "
    "reintente tras `Retry-After` segundos"
)
FAILURES = {
    411: "Falta la cabecera `Content-Length` (no se aceptan cuerpos sin longitud declarada)",
    500: 'Error interno del servidor: `{"error": "Error interno del servidor"}`, sin detalles',
    503: (
        "Base de datos no disponible o la operación tardó demasiado; reintente tras "
        "`Retry-After` segundos"
    ),
}
# Request bodies whose fields exclude each other (sending both is a 400).
EXCLUSIVE_FIELDS = {"CotizacionInputRequest": ("diasValidez", "validaHasta")}
COMPONENT_DESCRIPTIONS = {
    "Cliente": "Un cliente de la empresa.",
    "ClienteInputRequest": (
        "Datos de un cliente. Los campos que no se pueden fijar (`id`, `creadoEn`, la "
        "empresa) se ignoran."
    ),
    "PatchedClienteInputRequest": "Cambios de un cliente: solo cambian los campos enviados.",
    "PaginatedClienteList": "Clientes, más recientes primero.",
    "Historial": "Un cliente con su historial de compras.",
    "HistorialCount": "Cuántas ventas y cotizaciones tiene el cliente en total.",
    "HistorialResumen": "Total comprado (ventas no canceladas) y fecha de la última compra.",
    "VentaResumen": "Una venta en el historial del cliente.",
    "CotizacionResumen": "Una cotización pendiente en el historial del cliente.",
    "Venta": "Una venta con sus ítems y sus eventos.",
    "VentaList": "Una venta en un listado (sin ítems ni eventos).",
    "PaginatedVentaListList": "Ventas, más recientes primero.",
    "VentaInputRequest": "Datos de una venta nueva.",
    "Cotizacion": "Una cotización con sus ítems y sus eventos.",
    "CotizacionList": "Una cotización en un listado (sin ítems ni eventos).",
    "PaginatedCotizacionListList": "Cotizaciones, más recientes primero.",
    "CotizacionInputRequest": (
        "Datos de una cotización nueva: los de una venta más `diasValidez` o `validaHasta`, "
        "no ambos (ninguno: 7 días)."
    ),
    "Conversion": "La venta creada al convertir una cotización y la cotización convertida.",
    "Item": "Un ítem de una venta o cotización.",
    "ItemInputRequest": "Un ítem de una venta o cotización nueva.",
    "MotivoInputRequest": "Motivo de la cancelación.",
    "Evento": "Un cambio registrado del documento: quién, cuándo y por qué.",
    "Reference": "Un cliente o un usuario nombrado por un documento.",
    "LoginRequest": "Credenciales para iniciar sesión.",
    "Me": "El usuario autenticado y su empresa (null si no tiene).",
    "Empresa": "La empresa del usuario.",
    "Csrf": "El token CSRF, para la cabecera `X-CSRFToken`.",
    "Error": "Un error: mensaje en español para la persona usuaria.",
    "ValidationError": "Un error de validación: mensaje y mensajes por campo.",
}


def operations(result: dict):
    """``(path, method, operation)`` of every operation in the document."""
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def retry_after(*, required: bool) -> dict:
    """The ``Retry-After`` response header object."""
    return {
        "schema": {"type": "integer", "minimum": 1},
        "required": required,
        "description": RETRY_AFTER_DESCRIPTION,
    }


def _error_response(description: str) -> dict:
    content = {"application/json": {"schema": dict(ERROR_REF)}}
    return {"content": content, "description": description}


def integer_path_ids(result, generator, request, public):
    """``{id}`` (and ``{x_id}`` of a row under it) is a positive bigint; anything else in its
    place answers 404."""
    for _path, _method, operation in operations(result):
        for parameter in operation.get("parameters", []):
            name = parameter.get("name", "")
            if parameter.get("in") == "path" and (name == "id" or name.endswith("_id")):
                parameter["schema"] = dict(ID_SCHEMA)
                parameter["description"] = (
                    "Id del recurso (entero positivo). Uno que no existe en la empresa "
                    "del usuario responde 404."
                )
    return result


def document_failures(result, generator, request, public):
    """Add the answers every operation can get and the ``Retry-After`` headers."""
    for _path, method, operation in operations(result):
        responses = operation.setdefault("responses", {})
        statuses = [429, 500, 503]  # every view is throttled
        if method in WRITE_METHODS:
            statuses += [409, 411, 413]
            if "requestBody" in operation:
                statuses.append(415)
        for status in statuses:
            description = FAILURES.get(status) or DESCRIPTIONS[status]
            if status == 409 and "409" not in responses:
                description = LOCK_SENTENCE
            responses.setdefault(str(status), _error_response(description))
        if method in WRITE_METHODS and LOCK_SENTENCE not in responses["409"]["description"]:
            responses["409"]["description"] += f". {LOCK_SENTENCE}"
        for status, required in (("429", True), ("503", True), ("409", False)):
            if status in responses:
                headers = responses[status].setdefault("headers", {})
                headers[RETRY_AFTER] = retry_after(required=required)
    return result


def client_facing_descriptions(result, generator, request, public):
    """Each object component gets its Spanish description (enums keep their choices)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if "enum" in component:
            continue
        if name in COMPONENT_DESCRIPTIONS:
            component["description"] = COMPONENT_DESCRIPTIONS[name]
        else:
            component.pop("description", None)
    return result


def exclusive_fields(result, generator, request, public):
    """``not: {required: [a, b]}`` on the bodies of ``EXCLUSIVE_FIELDS``."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, fields in EXCLUSIVE_FIELDS.items():
        if name in schemas:
            schemas[name]["not"] = {"required": list(fields)}
    return result
