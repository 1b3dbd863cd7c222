from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from tenants.scoping import TenantScopedModel


# Money has at most 15 significant digits, so it renders exactly as a JSON number (float64).
class LineItem(TenantScopedModel):
    """A line of a sale or quotation: ``subtotal = cantidad × precio_unitario``."""

    descripcion = models.CharField(max_length=300)
    cantidad = models.DecimalField(max_digits=12, decimal_places=3)
    precio_unitario = models.DecimalField(max_digits=14, decimal_places=2)
    subtotal = models.DecimalField(max_digits=15, decimal_places=2)

    class Meta:
        abstract = True


def line_item_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(cantidad__gt=0), name=f"{prefix}_cantidad_positiva"
        ),
        models.CheckConstraint(
            condition=models.Q(precio_unitario__gte=0), name=f"{prefix}_precio_no_negativo"
        ),
        models.CheckConstraint(
            condition=models.Q(subtotal__gte=0), name=f"{prefix}_subtotal_no_negativo"
        ),
    ]


class Venta(TenantScopedModel):
    """A sale; ``total`` is the sum of its items' subtotals."""

    # Indexed by ventas_cliente_recientes, which starts with the tenant (as every index does).
    cliente = models.ForeignKey(
        "clientes.Cliente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ventas",
        db_index=False,
    )
    vendedor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    notas = models.TextField(null=True, blank=True)
    creado_en = models.DateTimeField(db_default=Now())
    cancelada_en = models.DateTimeField(null=True, blank=True)
    cancelada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    motivo_cancelacion = models.TextField(null=True, blank=True)

    class Meta:
        verbose_name = "venta"
        verbose_name_plural = "ventas"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "id"], name="ventas_venta_tenant_id_uniq"),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="ventas_venta_total_no_negativo"
            ),
        ]
        indexes = [
            # Historial: newest sales of a customer, plus covered sums and counts.
            models.Index(
                fields=["tenant", "cliente", "-creado_en", "-id"],
                include=["total", "cancelada_en"],
                name="ventas_cliente_recientes",
            ),
        ]

    def __str__(self) -> str:
        return f"Venta #{self.pk}"

    @property
    def cancelada(self) -> bool:
        return self.cancelada_en is not None


class VentaItem(LineItem):
    venta = models.ForeignKey(  # indexed by ventas_item_venta (tenant, venta)
        Venta, on_delete=models.CASCADE, related_name="items", db_index=False
    )

    class Meta:
        verbose_name = "ítem de venta"
        verbose_name_plural = "ítems de venta"
        constraints = line_item_constraints("ventas_item")
        indexes = [models.Index(fields=["tenant", "venta"], name="ventas_item_venta")]

    def __str__(self) -> str:
        return self.descripcion
