"""Writes of quotations: create, cancel, convert into a sale."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clientes.models import Cliente
from config.exceptions import DomainError
from cotizaciones.models import Cotizacion, CotizacionItem
from tenants.models import Tenant, User
from ventas.services import Linea, validate_lineas, validate_same_tenant, venta_create


@transaction.atomic
def cotizacion_create(
    *,
    tenant: Tenant,
    lineas: list[Linea],
    cliente: Cliente | None = None,
    vendedor: User | None = None,
    notas: str | None = None,
    valida_hasta: datetime | None = None,
) -> Cotizacion:
    """Record a PENDIENTE quotation with its items; ``total`` is computed from them."""
    validate_lineas(lineas)
    validate_same_tenant(tenant, cliente=cliente, vendedor=vendedor)
    cotizacion = Cotizacion.objects.create(
        tenant=tenant,
        cliente=cliente,
        vendedor=vendedor,
        notas=notas,
        valida_hasta=valida_hasta,
        total=sum((linea.subtotal for linea in lineas), Decimal(0)),
    )
    CotizacionItem.objects.bulk_create(
        CotizacionItem(
            tenant=tenant,
            cotizacion=cotizacion,
            descripcion=linea.descripcion,
            cantidad=linea.cantidad,
            precio_unitario=linea.precio_unitario,
            subtotal=linea.subtotal,
        )
        for linea in lineas
    )
    return cotizacion


def _lock_pendiente(cotizacion: Cotizacion) -> Cotizacion:
    """The quotation re-read under a row lock, so two conversions cannot both succeed."""
    locked = (
        Cotizacion.objects.for_tenant(cotizacion.tenant_id)
        .select_for_update()
        .get(pk=cotizacion.pk)
    )
    if locked.estado != Cotizacion.Estado.PENDIENTE:
        raise DomainError("La cotización ya no está pendiente")
    return locked


@transaction.atomic
def cotizacion_cancel(*, cotizacion: Cotizacion, por: User | None, motivo: str) -> Cotizacion:
    """Cancel a pending quotation."""
    if por is not None and por.tenant_id != cotizacion.tenant_id:
        raise DomainError("El usuario no pertenece a la empresa")
    cotizacion = _lock_pendiente(cotizacion)
    cotizacion.estado = Cotizacion.Estado.CANCELADA
    cotizacion.cancelada_en = timezone.now()
    cotizacion.cancelada_por = por
    cotizacion.motivo_cancelacion = motivo
    cotizacion.save(update_fields=["estado", "cancelada_en", "cancelada_por", "motivo_cancelacion"])
    return cotizacion


@transaction.atomic
def cotizacion_convert(*, cotizacion: Cotizacion, vendedor: User | None = None):
    """Turn a pending quotation into a sale with the same items; returns the sale."""
    cotizacion = _lock_pendiente(cotizacion)
    lineas = [
        Linea(item.descripcion, item.cantidad, item.precio_unitario)
        for item in cotizacion.items.order_by("id")
    ]
    venta = venta_create(
        tenant=cotizacion.tenant,
        lineas=lineas,
        cliente=cotizacion.cliente,
        vendedor=vendedor or cotizacion.vendedor,
        notas=cotizacion.notas,
    )
    cotizacion.estado = Cotizacion.Estado.CONVERTIDA
    cotizacion.convertida_en = timezone.now()
    cotizacion.venta = venta
    cotizacion.save(update_fields=["estado", "convertida_en", "venta"])
    return venta
