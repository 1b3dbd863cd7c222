from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from tenants.scoping import TenantScopedModel
from ventas.models import LineItem, line_item_constraints


class Cotizacion(TenantScopedModel):
    """A quotation; it may become a sale (``venta``) or be cancelled."""

    class Estado(models.TextChoices):
        PENDIENTE = "PENDIENTE", "Pendiente"
        CONVERTIDA = "CONVERTIDA", "Convertida"
        CANCELADA = "CANCELADA", "Cancelada"

    cliente = models.ForeignKey(
        "clientes.Cliente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cotizaciones",
        db_index=False,  # indexed by cotizaciones_cliente_recientes (tenant, cliente, ...)
    )
    vendedor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    notas = models.TextField(null=True, blank=True)
    estado = models.CharField(max_length=10, choices=Estado.choices, default=Estado.PENDIENTE)
    valida_hasta = models.DateTimeField(null=True, blank=True)
    creado_en = models.DateTimeField(db_default=Now())
    convertida_en = models.DateTimeField(null=True, blank=True)
    venta = models.OneToOneField(
        "ventas.Venta",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cotizacion_origen",
    )
    cancelada_en = models.DateTimeField(null=True, blank=True)
    cancelada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    motivo_cancelacion = models.TextField(null=True, blank=True)

    class Meta:
        verbose_name = "cotización"
        verbose_name_plural = "cotizaciones"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "id"], name="cotizaciones_cotizacion_tenant_id_uniq"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="cotizaciones_total_no_negativo"
            ),
        ]
        indexes = [
            models.Index(
                fields=["tenant", "cliente", "estado", "-creado_en", "-id"],
                name="cotizaciones_cliente_recientes",
            ),
        ]

    def __str__(self) -> str:
        return f"Cotización #{self.pk}"


class CotizacionItem(LineItem):
    cotizacion = models.ForeignKey(  # indexed by cotizaciones_item_cotizacion (tenant, ...)
        Cotizacion, on_delete=models.CASCADE, related_name="items", db_index=False
    )

    class Meta:
        verbose_name = "ítem de cotización"
        verbose_name_plural = "ítems de cotización"
        constraints = line_item_constraints("cotizaciones_item")
        indexes = [
            models.Index(fields=["tenant", "cotizacion"], name="cotizaciones_item_cotizacion")
        ]

    def __str__(self) -> str:
        return self.descripcion
