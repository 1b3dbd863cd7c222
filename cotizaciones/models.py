from django.db import models
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone

from comercial.models import (
    Documento,
    Evento,
    Item,
    documento_constraints,
    documento_indexes,
    item_constraints,
)
from config.api.expressions import IsoUtc, iso_utc
from tenants.relations import TenantForeignKey, TenantOneToOneField


class Cotizacion(Documento):
    """A quotation; it may become a sale (``venta``) or be cancelled."""

    class Estado(models.TextChoices):
        PENDIENTE = "PENDIENTE", "Pendiente"
        CONVERTIDA = "CONVERTIDA", "Convertida"
        CANCELADA = "CANCELADA", "Cancelada"

    estado = models.CharField(max_length=10, choices=Estado.choices, default=Estado.PENDIENTE)
    valida_hasta = models.DateTimeField("válida hasta")
    convertida_en = models.DateTimeField(null=True, blank=True)
    venta = TenantOneToOneField(
        "ventas.Venta",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cotizacion_origen",
        db_index=False,  # cotizaciones_cotizacion_venta_uniq (tenant, venta) serves lookups
    )

    class Meta:
        verbose_name = "cotización"
        verbose_name_plural = "cotizaciones"
        constraints = [
            *documento_constraints("cotizaciones_cotizacion"),
            models.UniqueConstraint(
                fields=["tenant", "venta"], name="cotizaciones_cotizacion_venta_uniq"
            ),
        ]
        indexes = [
            models.Index(
                fields=["tenant", "cliente", "estado", "-creado_en", "-id"],
                name="cotizaciones_cliente_recientes",
            ),
            *documento_indexes("cotizaciones"),
        ]

    def __str__(self) -> str:
        return f"Cotización #{self.numero}"

    @property
    def vencida(self) -> bool:
        """Pending and no longer valid: ``valida_hasta`` is not after now."""
        return self.estado == self.Estado.PENDIENTE and self.valida_hasta <= timezone.now()

    @classmethod
    def own_fields(cls, now=None) -> dict:
        """Its state, whether it expired at ``now``, its validity and the sale it became."""
        return {
            "estado": F("estado"),
            "vencida": Case(
                When(expired_condition(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            "validaHasta": IsoUtc("valida_hasta"),
            "convertidaEn": IsoUtc("convertida_en"),
            "ventaId": F("venta_id"),
        }

    def own_values(self) -> dict:
        return {
            "estado": self.estado,
            "vencida": self.vencida,
            "validaHasta": iso_utc(self.valida_hasta),
            "convertidaEn": iso_utc(self.convertida_en),
            "ventaId": self.venta_id,
        }


def expired_condition(now=None) -> Q:
    """PENDIENTE and no longer valid (``valida_hasta`` not after ``now``, by default now).

    "Now" is the application's clock, as for ``Cotizacion.vencida`` and the conversion rule,
    so the list, the detail and the rules never disagree about one quotation.
    """
    return Q(estado=Cotizacion.Estado.PENDIENTE, valida_hasta__lte=now or timezone.now())


class CotizacionItem(Item):
    cotizacion = TenantForeignKey(  # indexed by cotizaciones_item_cotizacion (tenant, ...)
        Cotizacion,
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
        verbose_name="cotización",
    )

    class Meta:
        verbose_name = "ítem de cotización"
        verbose_name_plural = "ítems de cotización"
        constraints = item_constraints("cotizaciones_item")
        indexes = [
            models.Index(fields=["tenant", "cotizacion"], name="cotizaciones_item_cotizacion")
        ]


class CotizacionEvento(Evento):
    cotizacion = TenantForeignKey(
        Cotizacion,
        on_delete=models.CASCADE,
        related_name="eventos",
        db_index=False,
        verbose_name="cotización",
    )

    class Meta(Evento.Meta):
        verbose_name = "evento de cotización"
        verbose_name_plural = "eventos de cotización"
        indexes = [
            models.Index(fields=["tenant", "cotizacion"], name="cotizaciones_evento_cotizacion")
        ]
