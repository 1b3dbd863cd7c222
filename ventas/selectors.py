"""Reads of sales for other apps (the customer's historial reads sales only through here)."""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import JSONObject

from comercial.selectors import detail_rows, per_cliente
from config.api.expressions import IsoUtc
from tenants.scoping import scoped_subquery
from ventas.models import Venta


def with_origin(ventas: QuerySet) -> QuerySet:
    """``ventas`` with ``cotizacion_origen_id`` (``Venta``'s declared attribute) read in the
    same query."""
    return ventas.annotate(cotizacion_origen_id=F("cotizacion_origen__id"))


def ventas_of_cliente(*, cliente) -> QuerySet:
    """The customer's sales as historial rows, newest first."""
    return (
        Venta.objects.for_tenant(cliente.tenant_id)
        .filter(cliente=cliente)
        .order_by("-creado_en", "-id")
        .values(
            "id",
            "numero",
            "total",
            "notas",
            creadoEn=IsoUtc("creado_en"),
            canceladaEn=IsoUtc("cancelada_en"),
        )
    )


def ventas_summary_of_cliente() -> dict:
    """Annotations of a customer queryset: ``ventas_resumen`` (count and non-cancelled sum,
    read in one pass as a JSON pair: a customer may have 100,000 sales) and
    ``ultima_compra`` (the first non-cancelled sale in index order)."""
    ventas = Venta.objects.of_outer_tenant().filter(cliente=OuterRef("pk")).order_by()
    no_cancelada = Q(cancelada_en__isnull=True)
    return {
        "ventas_resumen": per_cliente(
            ventas, JSONObject(cuantas=Count("id"), total=Sum("total", filter=no_cancelada))
        ),
        "ultima_compra": scoped_subquery(
            ventas.filter(no_cancelada).order_by("-creado_en", "-id").values("creado_en")[:1]
        ),
    }


def ventas_details_of_cliente(*, cliente) -> QuerySet:
    """Every sale naming the customer, oldest first, as its detail answers it (items and
    events included), one dict per sale built by the database: the person's data."""
    ventas = Venta.objects.for_tenant(cliente.tenant_id).filter(cliente=cliente).order_by("id")
    return detail_rows(ventas, **Venta.own_fields())
