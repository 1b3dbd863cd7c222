"""Writes of sales: totals always equal the sum of the items' subtotals."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from clientes.models import Cliente
from config.exceptions import DomainError
from tenants.models import Tenant, User
from ventas.models import Venta, VentaItem

CENTAVO = Decimal("0.01")


@dataclass(frozen=True)
class Linea:
    """One line of a sale or quotation, before it is stored."""

    descripcion: str
    cantidad: Decimal
    precio_unitario: Decimal

    @property
    def subtotal(self) -> Decimal:
        return (Decimal(self.cantidad) * Decimal(self.precio_unitario)).quantize(
            CENTAVO, rounding=ROUND_HALF_UP
        )


def validate_lineas(lineas: list[Linea]) -> None:
    """At least one line; quantities above zero, prices not negative."""
    if not lineas:
        raise DomainError("Se necesita al menos un ítem")
    for linea in lineas:
        if Decimal(linea.cantidad) <= 0:
            raise DomainError("La cantidad de cada ítem debe ser mayor que cero")
        if Decimal(linea.precio_unitario) < 0:
            raise DomainError("El precio unitario no puede ser negativo")


def validate_same_tenant(tenant: Tenant, *, cliente: Cliente | None, vendedor: User | None) -> None:
    """The customer and the seller, when given, belong to ``tenant``."""
    if cliente is not None and cliente.tenant_id != tenant.pk:
        raise DomainError("El cliente no pertenece a la empresa")
    if vendedor is not None and vendedor.tenant_id != tenant.pk:
        raise DomainError("El vendedor no pertenece a la empresa")


@transaction.atomic
def venta_create(
    *,
    tenant: Tenant,
    lineas: list[Linea],
    cliente: Cliente | None = None,
    vendedor: User | None = None,
    notas: str | None = None,
) -> Venta:
    """Record a sale of ``tenant`` with its items; ``total`` is computed from them."""
    validate_lineas(lineas)
    validate_same_tenant(tenant, cliente=cliente, vendedor=vendedor)
    venta = Venta.objects.create(
        tenant=tenant,
        cliente=cliente,
        vendedor=vendedor,
        notas=notas,
        total=sum((linea.subtotal for linea in lineas), Decimal(0)),
    )
    VentaItem.objects.bulk_create(
        VentaItem(
            tenant=tenant,
            venta=venta,
            descripcion=linea.descripcion,
            cantidad=linea.cantidad,
            precio_unitario=linea.precio_unitario,
            subtotal=linea.subtotal,
        )
        for linea in lineas
    )
    return venta


@transaction.atomic
def venta_cancel(*, venta: Venta, por: User | None, motivo: str) -> Venta:
    """Cancel a sale (kept for the record, excluded from what the customer bought)."""
    if por is not None and por.tenant_id != venta.tenant_id:
        raise DomainError("El usuario no pertenece a la empresa")
    venta = Venta.objects.for_tenant(venta.tenant_id).select_for_update().get(pk=venta.pk)
    if venta.cancelada:
        raise DomainError("La venta ya está cancelada")
    venta.cancelada_en = timezone.now()
    venta.cancelada_por = por
    venta.motivo_cancelacion = motivo
    venta.save(update_fields=["cancelada_en", "cancelada_por", "motivo_cancelacion"])
    return venta
