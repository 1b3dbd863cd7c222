"""Writes of sales: create (numbered, with items and a CREADA event) and cancel."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from comercial import services as comercial
from comercial.services import NewItem
from core.errors import ConflictError, ForbiddenError
from tenants.models import Tenant, User
from ventas.models import Venta

if TYPE_CHECKING:  # the customer is only a type here; the rules live in its own app
    from clientes.models import Cliente

MENSAJE_SOLO_ADMIN = "Solo un administrador puede cancelar ventas"
MENSAJE_YA_CANCELADA = "La venta ya está cancelada"
MENSAJE_OTRO_DIA = "Solo se pueden cancelar ventas registradas el mismo día"


def venta_create(
    *,
    tenant: Tenant,
    items: list[NewItem],
    cliente: "Cliente | None" = None,
    vendedor: User | None = None,
    notas: str | None = None,
    por: User | None = None,
    cotizacion_id: int | None = None,
) -> Venta:
    """Record a sale of ``tenant`` with its items; ``total`` is computed from them.

    ``por`` (the seller when not given) is who the CREADA event names; a sale made
    by converting a quotation passes that quotation's id as ``cotizacion_id``, and the
    conversion numbers and publishes the sale once it is linked to the quotation
    (``comercial.services.number_and_publish``).
    """
    venta = comercial.create_with_items(
        Venta,
        tenant=tenant,
        items=items,
        cliente=cliente,
        vendedor=vendedor,
        creado_por=por or vendedor,
        notas=notas,
        complete=cotizacion_id is None,
    )
    return venta


@transaction.atomic
def venta_cancel(*, venta: Venta, por: User | None, motivo: str) -> Venta:
    """Cancel a sale on the day it was made (in the tenant's time zone); ADMIN only.

    ``por`` None is the platform (a superuser in the admin, an operator). The sale is kept
    for the record and no longer counts in what the customer bought.
    """
    comercial.ensure_member(venta, por)
    if por is not None and por.rol != User.Rol.ADMIN:
        raise ForbiddenError(MENSAJE_SOLO_ADMIN)
    venta = comercial.lock(venta)
    if venta.cancelada:
        raise ConflictError(MENSAJE_YA_CANCELADA)
    now = timezone.now()
    tz = venta.tenant.tz
    if timezone.localdate(venta.creado_en, tz) != timezone.localdate(now, tz):
        raise ConflictError(MENSAJE_OTRO_DIA)
    return comercial.cancel(venta, por=por, motivo=motivo, en=now)
