"""Writes of quotations: create (with its validity), cancel, convert into a sale."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from comercial import services as comercial
from comercial.models import Evento
from comercial.selectors import history_of, items_of
from comercial.services import NewItem
from core.errors import ConflictError, DomainError
from cotizaciones.models import Cotizacion
from tenants.models import Tenant, User
from ventas.models import Venta
from ventas.services import venta_create

if TYPE_CHECKING:  # the customer is only a type here; the rules live in its own app
    from clientes.models import Cliente

DIAS_VALIDEZ_POR_DEFECTO = 7
MAX_DIAS_VALIDEZ = 365

MENSAJE_YA_CANCELADA = "La cotización ya está cancelada"
MENSAJE_CANCELAR_CONVERTIDA = (
    "No se puede cancelar una cotización ya convertida. Cancela la venta resultante."
)
MENSAJE_YA_CONVERTIDA = "La cotización ya está convertida"
MENSAJE_CONVERTIR_CANCELADA = "La cotización está cancelada"
MENSAJE_VENCIDA = "La cotización está vencida. Cancélala y crea una nueva."


def valid_until(
    *, now: datetime, dias_validez: int | None = None, valida_hasta: datetime | None = None
) -> datetime:
    """The stored ``valida_hasta``: given, ``dias_validez`` days from now, or 7 days."""
    if dias_validez is not None and valida_hasta is not None:
        raise DomainError("Indique diasValidez o validaHasta, no ambos")
    if valida_hasta is None:
        return now + timedelta(days=dias_validez or DIAS_VALIDEZ_POR_DEFECTO)
    if not now < valida_hasta <= now + timedelta(days=MAX_DIAS_VALIDEZ):
        raise DomainError("validaHasta debe ser posterior a ahora y a lo sumo 365 días después")
    return valida_hasta


def cotizacion_create(
    *,
    tenant: Tenant,
    items: list[NewItem],
    cliente: "Cliente | None" = None,
    vendedor: User | None = None,
    notas: str | None = None,
    dias_validez: int | None = None,
    valida_hasta: datetime | None = None,
    por: User | None = None,
) -> Cotizacion:
    """Record a PENDIENTE quotation with its items, valid ``dias_validez`` days (7 when
    neither that nor ``valida_hasta`` is given). ``por`` (the seller when not given)
    is who the CREADA event names."""
    return comercial.create_with_items(
        Cotizacion,
        tenant=tenant,
        items=items,
        cliente=cliente,
        vendedor=vendedor,
        creado_por=por or vendedor,
        notas=notas,
        valida_hasta=valid_until(
            now=timezone.now(), dias_validez=dias_validez, valida_hasta=valida_hasta
        ),
    )


@transaction.atomic
def cotizacion_cancel(*, cotizacion: Cotizacion, por: User | None, motivo: str) -> Cotizacion:
    """Cancel a pending quotation, expired or not: its seller or an ADMIN.

    ``por`` None is the platform (a superuser in the admin, an operator).
    """
    cotizacion = _lock_pending(
        cotizacion,
        por,
        accion="cancelar esta cotización",
        refusals={
            Cotizacion.Estado.CANCELADA: MENSAJE_YA_CANCELADA,
            Cotizacion.Estado.CONVERTIDA: MENSAJE_CANCELAR_CONVERTIDA,
        },
    )
    return comercial.cancel(
        cotizacion, por=por, motivo=motivo, en=timezone.now(), estado=Cotizacion.Estado.CANCELADA
    )


@transaction.atomic
def cotizacion_convert(
    *, cotizacion: Cotizacion, por: User | None = None
) -> tuple[Venta, Cotizacion]:
    """Turn a pending, unexpired quotation into a sale with the same customer, items, total
    and seller; the quotation becomes CONVERTIDA. Its seller or an ADMIN.

    ``por`` (None: the platform) is who the events name. Returns the sale and the quotation,
    each with what its detail shows (items, events) already loaded.
    """
    cotizacion = _lock_pending(
        cotizacion,
        por,
        accion="convertir esta cotización",
        refusals={
            Cotizacion.Estado.CONVERTIDA: MENSAJE_YA_CONVERTIDA,
            Cotizacion.Estado.CANCELADA: MENSAJE_CONVERTIR_CANCELADA,
        },
    )
    if cotizacion.vencida:
        raise ConflictError(MENSAJE_VENCIDA)
    notas = f"Venta convertida desde cotización #{cotizacion.numero}"
    if cotizacion.notas:
        notas += f" — {cotizacion.notas}"
    items = items_of(cotizacion)
    venta = venta_create(
        tenant=cotizacion.tenant,
        items=[NewItem(item.descripcion, item.cantidad, item.precio_unitario) for item in items],
        cliente=cotizacion.cliente,
        vendedor=cotizacion.vendedor,
        por=por,
        notas=notas,
        cotizacion_id=cotizacion.pk,
    )
    cotizacion.estado = Cotizacion.Estado.CONVERTIDA
    cotizacion.convertida_en = venta.creado_en
    cotizacion.venta = venta
    venta.cotizacion_origen_id = cotizacion.pk
    cotizacion.save(update_fields=["estado", "convertida_en", "venta"])
    # What its detail shows, from what is in hand (as a new sale's): no re-read to answer.
    cotizacion.ordered_items = items
    cotizacion.historia = [
        *history_of(cotizacion),
        comercial.record_event(
            cotizacion,
            tipo=Evento.Tipo.CONVERTIDA,
            usuario=por,
            en=cotizacion.convertida_en,
            publish=False,
        ),
    ]
    # Last, as any new document's: both events to the feed, the sale first (now that it
    # names its quotation), then the sale's number, which completes its event.
    creada = comercial.publish_event(venta, tipo=Evento.Tipo.CREADA, por=por)
    comercial.publish_event(cotizacion, tipo=Evento.Tipo.CONVERTIDA, por=por)
    comercial.take_number(venta, evento_id=creada)
    return venta, cotizacion


def _lock_pending(
    cotizacion: Cotizacion, por: User | None, *, accion: str, refusals: dict[str, str]
) -> Cotizacion:
    """The quotation locked for ``accion`` by ``por``; a 409 with ``refusals[estado]`` when
    its estado (read under the lock) forbids it."""
    comercial.ensure_vendedor_or_admin(cotizacion, por, accion=accion)
    cotizacion = comercial.lock(cotizacion)
    if message := refusals.get(cotizacion.estado):
        raise ConflictError(message)
    return cotizacion
