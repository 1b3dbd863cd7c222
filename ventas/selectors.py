"""Reads of sales for other apps (the customer's historial reads sales only through here)."""

from django.db.models import F, QuerySet

from config.expressions import IsoUtc
from ventas.models import Venta

# The quotation a sale was converted from: as a detail's ``origen_id`` and a list row's field.
ORIGEN = {"origen_id": F("cotizacion_origen__id")}
LIST_FIELDS = {"cotizacionId": F("cotizacion_origen__id")}


def ventas_of_cliente(*, cliente) -> QuerySet:
    """The customer's sales as historial rows, newest first."""
    return (
        Venta.objects.for_tenant(cliente.tenant_id)
        .filter(cliente=cliente)
        .order_by("-creado_en", "-id")
        .values(
            "id",
            "total",
            "notas",
            creadoEn=IsoUtc("creado_en"),
            canceladaEn=IsoUtc("cancelada_en"),
        )
    )
