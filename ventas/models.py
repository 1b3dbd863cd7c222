from django.db import models
from django.db.models import F

from comercial.models import (
    Documento,
    Evento,
    Item,
    documento_constraints,
    documento_indexes,
    item_constraints,
)
from tenants.relations import TenantForeignKey


class Venta(Documento):
    """A sale; ``total`` is the sum of its items' subtotals."""

    # The quotation it was converted from, if any. Not a column: the link is the quotation's
    # ``venta``, whose reverse side Django cannot ``select_related`` here
    # (``tenants.relations.TenantOneToOneField``). Read with the sale by
    # ``selectors.with_origin``; set by the conversion, which makes the link.
    cotizacion_origen_id: int | None = None

    class Meta:
        verbose_name = "venta"
        verbose_name_plural = "ventas"
        constraints = documento_constraints("ventas_venta")
        indexes = [
            # Historial: newest sales of a customer, plus covered sums and counts.
            models.Index(
                fields=["tenant", "cliente", "-creado_en", "-id"],
                include=["total", "cancelada_en"],
                name="ventas_cliente_recientes",
            ),
            models.Index(fields=["tenant", "creado_en"], name="ventas_venta_creado_en"),
            *documento_indexes("ventas"),
        ]

    def __str__(self) -> str:
        return f"Venta #{self.numero}"

    @classmethod
    def own_fields(cls, now=None) -> dict:
        """``cotizacionId``: the quotation it was converted from."""
        return {"cotizacionId": F("cotizacion_origen__id")}

    def own_values(self) -> dict:
        return {"cotizacionId": self.cotizacion_origen_id}


class VentaItem(Item):
    venta = TenantForeignKey(  # indexed by ventas_item_venta (tenant, venta)
        Venta, on_delete=models.CASCADE, related_name="items", db_index=False
    )

    class Meta:
        verbose_name = "ítem de venta"
        verbose_name_plural = "ítems de venta"
        constraints = item_constraints("ventas_item")
        indexes = [models.Index(fields=["tenant", "venta"], name="ventas_item_venta")]


class VentaEvento(Evento):
    venta = TenantForeignKey(
        Venta, on_delete=models.CASCADE, related_name="eventos", db_index=False
    )

    class Meta(Evento.Meta):
        verbose_name = "evento de venta"
        verbose_name_plural = "eventos de venta"
        indexes = [models.Index(fields=["tenant", "venta"], name="ventas_evento_venta")]
