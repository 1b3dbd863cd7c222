"""Facts of the API contract that several test modules check, written down once."""

CLIENTE_FIELDS = (
    "id",
    "nombre",
    "documento",
    "email",
    "telefono",
    "direccion",
    "notas",
    "archivado",
    "creadoEn",
    "actualizadoEn",
    "anonimizadoEn",
)
"""The contract's field list of a Cliente, in the contract's order.

Written out here on purpose rather than taken from the app (serializer, model or
``EXPORT_COLUMNS``): the tests compare what the app does against this list, so deriving it
from the app would make them agree with any change.
"""

# sales-contract.md: a Venta and a Cotizacion (detail), their items and events, list rows.
VENTA_FIELDS = frozenset(
    {
        "id",
        "numero",
        "cliente",
        "vendedor",
        "items",
        "total",
        "notas",
        "creadoEn",
        "cotizacionId",
        "canceladaEn",
        "canceladaPor",
        "motivoCancelacion",
        "eventos",
    }
)
COTIZACION_FIELDS = (VENTA_FIELDS - {"cotizacionId"}) | {
    "ventaId",
    "estado",
    "vencida",
    "validaHasta",
    "convertidaEn",
}
ITEM_FIELDS = frozenset({"id", "descripcion", "cantidad", "precioUnitario", "subtotal"})
EVENTO_FIELDS = frozenset({"tipo", "usuario", "en", "motivo"})


def list_row_fields(detail_fields: frozenset) -> frozenset:
    """A list row is the detail without ``items`` and ``eventos``, plus ``cantidadItems``."""
    return (detail_fields - {"items", "eventos"}) | {"cantidadItems"}
