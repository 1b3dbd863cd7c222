"""Reads of quotations for other apps (the customer's historial reads them only here)."""

from django.db.models import Count, OuterRef, QuerySet
from django.db.models.functions import Coalesce

from comercial.selectors import detail_rows, per_cliente
from config.api.expressions import IsoUtc
from cotizaciones.models import Cotizacion


def pending_cotizaciones_of_cliente(*, cliente) -> QuerySet:
    """The customer's PENDIENTE quotations as historial rows, newest first."""
    return (
        Cotizacion.objects.for_tenant(cliente.tenant_id)
        .filter(cliente=cliente, estado=Cotizacion.Estado.PENDIENTE)
        .order_by("-creado_en", "-id")
        .values(
            "id",
            "numero",
            "total",
            "notas",
            "estado",
            validaHasta=IsoUtc("valida_hasta"),
            creadoEn=IsoUtc("creado_en"),
        )
    )


def cotizaciones_count_of_cliente() -> dict:
    """The annotation ``cotizaciones_count`` of a customer queryset: all their quotations."""
    cotizaciones = Cotizacion.objects.of_outer_tenant().filter(cliente=OuterRef("pk")).order_by()
    return {"cotizaciones_count": Coalesce(per_cliente(cotizaciones, Count("id")), 0)}


def cotizaciones_details_of_cliente(*, cliente) -> QuerySet:
    """Every quotation naming the customer, oldest first, as its detail answers it (items and
    events included), one dict per quotation built by the database: the person's data."""
    cotizaciones = (
        Cotizacion.objects.for_tenant(cliente.tenant_id).filter(cliente=cliente).order_by("id")
    )
    return detail_rows(cotizaciones, **Cotizacion.own_fields())
