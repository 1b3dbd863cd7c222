"""Shared vocabulary of the quotations contract tests: URLs, shapes, builders, small checks."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine

from cotizaciones.models import Cotizacion, CotizacionEvento, CotizacionItem
from cotizaciones.services import cotizacion_cancel, cotizacion_convert, cotizacion_create
from documentos.models import Numeracion
from documentos.services import NewItem
from tests import contract
from tests.clientes.helpers import (  # noqa: F401  (re-exported for the quotation tests)
    assert_iso_utc,
    assert_validation_error,
    ids,
    next_link,
    parse_iso,
    query_of,
)
from tests.factories import make_cliente
from ventas.models import Venta, VentaEvento, VentaItem

LIST_URL = "/api/cotizaciones"
VENTAS_URL = "/api/ventas"

NO_ENCONTRADA = {"error": "Cotización no encontrada"}

VENTA_FIELDS = contract.VENTA_FIELDS
COTIZACION_FIELDS = contract.COTIZACION_FIELDS
ROW_FIELDS = contract.list_row_fields(COTIZACION_FIELDS)
ITEM_FIELDS = contract.ITEM_FIELDS
EVENTO_FIELDS = contract.EVENTO_FIELDS

ITEMS = [
    {"descripcion": "Cemento gris 50 kg", "cantidad": 2.5, "precioUnitario": 32900},
    {"descripcion": "Arena lavada m3", "cantidad": 1, "precioUnitario": 85000.5},
]
LINE = ITEMS[0]


def detail_url(pk) -> str:
    return f"{LIST_URL}/{pk}"


def cancel_url(pk) -> str:
    return f"{LIST_URL}/{pk}/cancelar"


def convert_url(pk) -> str:
    return f"{LIST_URL}/{pk}/convertir"


def venta_url(pk) -> str:
    return f"{VENTAS_URL}/{pk}"


def frozen_now() -> datetime:
    """A whole-second instant a minute ahead of the real clock, to freeze time at: rows the
    database stamps with its own clock (``creado_en``) stay before it."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


def iso(when: datetime) -> str:
    """A time as the API writes it (UTC with ``Z``)."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def ref(user_or_cliente) -> dict:
    """How a document names a customer or a user."""
    return {"id": user_or_cliente.pk, "nombre": user_or_cliente.nombre}


OMIT = object()  # a field value that leaves the field out of the body


def post_cotizacion(api, **fields):
    """POST /api/cotizaciones with ``ITEMS`` unless ``fields`` says otherwise."""
    body = {k: v for k, v in {"items": ITEMS, **fields}.items() if v is not OMIT}
    return api.post(LIST_URL, body, format="json")


def created(response) -> dict:
    """The body of a 201."""
    assert response.status_code == 201, response.content
    return response.json()


def created_at(now: datetime, api, **fields) -> dict:
    """The Cotizacion created with ``fields`` while the clock is frozen at ``now``."""
    with time_machine.travel(now, tick=False):
        return created(post_cotizacion(api, **fields))


def items(*precios: str) -> list[NewItem]:
    return [
        NewItem(f"Producto {i}", Decimal(i), Decimal(precio))
        for i, precio in enumerate(precios or ("100.00",), start=1)
    ]


def make(tenant, vendedor, *, precios=("100.00",), **kwargs) -> Cotizacion:
    """A PENDIENTE quotation of ``vendedor``, made through the service."""
    return cotizacion_create(tenant=tenant, vendedor=vendedor, items=items(*precios), **kwargs)


def make_cancelada(tenant, vendedor, **kwargs) -> Cotizacion:
    cotizacion = make(tenant, vendedor, **kwargs)
    return cotizacion_cancel(cotizacion=cotizacion, por=vendedor, motivo="Se arrepintió")


def make_convertida(tenant, vendedor, **kwargs) -> Cotizacion:
    cotizacion = make(tenant, vendedor, **kwargs)
    return cotizacion_convert(cotizacion=cotizacion, por=vendedor)[1]


def bulk(tenant, vendedor, n: int) -> list[int]:
    """``n`` item-less quotations of ``vendedor`` in one statement; their ids, oldest first."""
    hasta = frozen_now() + timedelta(days=7)
    start = Cotizacion.objects.for_tenant(tenant).count() + 1000
    rows = Cotizacion.objects.bulk_create(
        Cotizacion(tenant=tenant, numero=start + i, vendedor=vendedor, valida_hasta=hasta)
        for i in range(n)
    )
    return sorted(row.pk for row in rows)


def newest_first(*cotizaciones) -> list[int]:
    return sorted((c.pk for c in cotizaciones), reverse=True)


def make_varied(tenant, user, admin, n: int) -> None:
    """``n`` quotations with customers, several items, and some cancelled or converted."""
    cliente = make_cliente(tenant)
    for i in range(n):
        kind = (make, make_cancelada, make_convertida)[i % 3]
        kind(tenant, (user, admin)[i % 2], cliente=cliente, precios=("1", "2.5", "3"))


def set_valida_hasta(tenant, cotizacion, when: datetime) -> None:
    Cotizacion.objects.for_tenant(tenant).filter(pk=cotizacion.pk).update(valida_hasta=when)


def quotations_around(tenant, vendedor, now: datetime) -> tuple[datetime, dict]:
    """Quotations on both sides of ``now``, by name: pending ones valid until a second
    before (``antes``), exactly (``justo``) and a microsecond after (``despues``), and a
    ``convertida`` and a ``cancelada`` one past their date. Returns ``(now, quotations)``."""
    made = {
        "antes": make(tenant, vendedor),
        "justo": make(tenant, vendedor),
        "despues": make(tenant, vendedor),
        "convertida": make_convertida(tenant, vendedor),
        "cancelada": make_cancelada(tenant, vendedor),
    }
    hasta = {
        "antes": now - timedelta(seconds=1),
        "justo": now,
        "despues": now + timedelta(microseconds=1),
        "convertida": now - timedelta(days=1),
        "cancelada": now - timedelta(days=1),
    }
    for name, cotizacion in made.items():
        set_valida_hasta(tenant, cotizacion, hasta[name])
    return now, made


def stored(tenant, pk) -> Cotizacion:
    return Cotizacion.objects.for_tenant(tenant).get(pk=pk)


def written(tenant) -> dict:
    """Everything a create, cancel or convert of ``tenant`` could write, to prove that a
    refused request wrote nothing."""
    cotizaciones = Cotizacion.objects.for_tenant(tenant)
    return {
        "cotizaciones": list(
            cotizaciones.order_by("id").values(
                "id", "estado", "venta_id", "convertida_en", "cancelada_en", "motivo_cancelacion"
            )
        ),
        "cotizacion_items": CotizacionItem.objects.for_tenant(tenant).count(),
        "cotizacion_eventos": CotizacionEvento.objects.for_tenant(tenant).count(),
        "ventas": Venta.objects.for_tenant(tenant).count(),
        "venta_items": VentaItem.objects.for_tenant(tenant).count(),
        "venta_eventos": VentaEvento.objects.for_tenant(tenant).count(),
        "numeracion": dict(
            Numeracion.objects.for_tenant(tenant).values_list("tipo", "ultimo").order_by("tipo")
        ),
    }


def event_types(body: dict) -> list[str]:
    return [evento["tipo"] for evento in body["eventos"]]


def without_detail(body: dict) -> dict:
    """A detail as a list row shows it: without items and events, with ``cantidadItems``."""
    row = {k: v for k, v in body.items() if k not in {"items", "eventos"}}
    row["cantidadItems"] = len(body["items"])
    return row
