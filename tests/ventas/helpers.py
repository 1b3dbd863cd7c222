"""Shared vocabulary of the sales contract tests: URLs, bodies, shapes, small assertions."""

import json
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from documentos.models import Numeracion
from tenants.models import Tenant, User
from tests import contract
from tests.clientes.helpers import (  # noqa: F401  (re-exported for the sales tests)
    assert_iso_utc,
    assert_validation_error,
    ids,
    next_link,
    parse_iso,
    query_of,
)
from tests.conftest import token_client
from tests.factories import make_user
from ventas.models import Venta, VentaEvento, VentaItem

LIST_URL = "/api/ventas"

VENTA_FIELDS = contract.VENTA_FIELDS
ROW_FIELDS = contract.list_row_fields(VENTA_FIELDS)
ITEM_FIELDS = contract.ITEM_FIELDS
EVENTO_FIELDS = contract.EVENTO_FIELDS

NO_ENCONTRADA = {"error": "Venta no encontrada"}
SOLO_ADMIN = {"error": "Solo un administrador puede cancelar ventas"}
YA_CANCELADA = {"error": "La venta ya está cancelada"}
OTRO_DIA = {"error": "Solo se pueden cancelar ventas registradas el mismo día"}

CENTAVO = Decimal("0.01")


def detail_url(pk) -> str:
    return f"{LIST_URL}/{pk}"


def cancel_url(pk) -> str:
    return f"{LIST_URL}/{pk}/cancelar"


def historial_url(cliente_id) -> str:
    return f"/api/clientes/{cliente_id}/historial"


# -- bodies --------------------------------------------------------------------------------


def item(descripcion="Cemento gris 50 kg", cantidad=1, precio=1000) -> dict:
    return {"descripcion": descripcion, "cantidad": cantidad, "precioUnitario": precio}


def venta_body(*items, **fields) -> dict:
    """A create body with ``items`` (default: one line) plus ``fields`` as given."""
    return {"items": list(items) or [item()], **fields}


def post_venta(client, body):
    return client.post(LIST_URL, body, format="json")


def post_raw(client, text: str):
    """POST a JSON text as written, so numbers never pass through a Python float."""
    return client.post(LIST_URL, text, content_type="application/json")


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


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENTAVO, rounding=ROUND_HALF_UP)


def created(client, *items, **fields) -> dict:
    """Create a sale through the API; its 201 body."""
    response = post_venta(client, venta_body(*items, **fields))
    assert response.status_code == 201, response.content
    return response.json()


# -- people --------------------------------------------------------------------------------


def admin_client(tenant: Tenant):
    """A client authenticated as a new ADMIN of ``tenant``, and that user."""
    admin = make_user(tenant, rol=User.Rol.ADMIN)
    return token_client(admin), admin


def seller_client(tenant: Tenant):
    """A client authenticated as a new USUARIO of ``tenant``, and that user."""
    seller = make_user(tenant, rol=User.Rol.USUARIO)
    return token_client(seller), seller


def ref(obj) -> dict:
    return {"id": obj.pk, "nombre": obj.nombre}


# -- database ------------------------------------------------------------------------------


def row_counts() -> dict:
    """Rows of every table a create writes, in every tenant, to prove nothing was written."""
    return {
        "ventas": Venta.objects.unscoped().count(),
        "items": VentaItem.objects.unscoped().count(),
        "eventos": VentaEvento.objects.unscoped().count(),
        "numeros": sorted(Numeracion.objects.unscoped().values_list("tenant_id", "ultimo")),
    }


def stored_venta(tenant, pk) -> Venta:
    return Venta.objects.for_tenant(tenant).get(pk=pk)


def stored_items(tenant, venta_id) -> list[tuple]:
    """``(descripcion, cantidad, precio_unitario, subtotal)`` of the stored items, in order."""
    return list(
        VentaItem.objects.for_tenant(tenant)
        .filter(venta_id=venta_id)
        .order_by("id")
        .values_list("descripcion", "cantidad", "precio_unitario", "subtotal")
    )


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


def set_creado_en(tenant, pk, when: datetime) -> None:
    """Move a sale (and its CREADA event) to ``when``; the database clock set it on insert."""
    Venta.objects.for_tenant(tenant).filter(pk=pk).update(creado_en=when)
    VentaEvento.objects.for_tenant(tenant).filter(venta_id=pk, tipo="CREADA").update(en=when)


def set_zone(tenant: Tenant, zona: str) -> None:
    tenant.zona_horaria = zona
    tenant.save()
