"""What only the sales tests say: their URLs and messages, exact money, the stored sale.
What sales share with quotations is in ``tests/comercial`` (helpers and the battery)."""

import json
from decimal import Decimal

from tenants.models import Tenant
from tests.comercial.kinds import VENTAS
from ventas.models import Venta, VentaEvento

LIST_URL = VENTAS.list_url

SOLO_ADMIN = {"error": "Solo un administrador puede cancelar ventas"}
OTRO_DIA = {"error": "Solo se pueden cancelar ventas registradas el mismo día"}


detail_url = VENTAS.detail_url
cancel_url = VENTAS.cancel_url
stored_venta = VENTAS.stored
stored_items = VENTAS.items  # (descripcion, cantidad, precio_unitario, subtotal) in order
set_creado_en = VENTAS.set_creado_en  # and of its CREADA event; the database clock set it


def historial_url(cliente_id) -> str:
    return f"/api/clientes/{cliente_id}/historial"


# -- exact money -----------------------------------------------------------------------------


def raw_items(*lines: tuple[str, str]) -> str:
    """A raw create body with one item per ``(cantidad, precioUnitario)`` JSON literal."""
    items = ", ".join(
        f'{{"descripcion": "Línea {i}", "cantidad": {c}, "precioUnitario": {p}}}'
        for i, (c, p) in enumerate(lines)
    )
    return f'{{"items": [{items}]}}'


def exact_json(response):
    """The body with every non-integer number read as the Decimal written in the text."""
    return json.loads(response.content, parse_float=Decimal)


# -- database ------------------------------------------------------------------------------


def stored_state(tenant, pk) -> dict:
    """The columns a cancellation changes, and the sale's events, to prove nothing changed."""
    venta = (
        Venta.objects.for_tenant(tenant)
        .filter(pk=pk)
        .values("cancelada_en", "cancelada_por", "motivo_cancelacion", "total")
        .get()
    )
    venta["eventos"] = list(
        VentaEvento.objects.for_tenant(tenant).filter(venta_id=pk).values_list("tipo", flat=True)
    )
    return venta


def set_zone(tenant: Tenant, zona: str) -> None:
    tenant.zona_horaria = zona
    tenant.save()
