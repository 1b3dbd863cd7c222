"""What only the quotation tests say: their URLs and messages, quotations in each state, and
their validity against the clock. What quotations share with sales is in ``tests/comercial``
(helpers and the battery)."""

from datetime import datetime, timedelta
from decimal import Decimal

import time_machine

from comercial.services import NewItem
from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_cancel, cotizacion_convert, cotizacion_create
from tests.comercial.helpers import ITEMS, create_body, created, post
from tests.comercial.kinds import COTIZACIONES, VENTAS

LIST_URL = COTIZACIONES.list_url
VENTAS_URL = VENTAS.list_url

NO_ENCONTRADA = {"error": COTIZACIONES.not_found}
# The 409s of …/convertir and …/cancelar that only quotations have.
YA_CONVERTIDA = {"error": "La cotización ya está convertida"}
ESTA_CANCELADA = {"error": "La cotización está cancelada"}
VENCIDA = {"error": "La cotización está vencida. Cancélala y crea una nueva."}
CANCELAR_CONVERTIDA = {
    "error": "No se puede cancelar una cotización ya convertida. Cancela la venta resultante."
}

detail_url = COTIZACIONES.detail_url
cancel_url = COTIZACIONES.cancel_url
venta_url = VENTAS.detail_url
stored = COTIZACIONES.stored


def convert_url(pk) -> str:
    return f"{LIST_URL}/{pk}/convertir"


def convert(client, pk, **kwargs):
    return client.post(convert_url(pk), **kwargs)


def converted(response) -> tuple[dict, dict]:
    """The sale and the quotation a 201 of …/convertir answers."""
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"venta", "cotizacion"}
    return body["venta"], body["cotizacion"]


def post_cotizacion(api, **fields):
    """POST /api/cotizaciones with ``ITEMS`` unless ``fields`` says otherwise."""
    return post(api, LIST_URL, create_body(*ITEMS, **fields))


def created_at(now: datetime, api, **fields) -> dict:
    """The Cotizacion created with ``fields`` while the clock is frozen at ``now``."""
    with time_machine.travel(now, tick=False):
        return created(post_cotizacion(api, **fields))


def nothing_stored(tenant) -> bool:
    return not Cotizacion.objects.for_tenant(tenant).exists()


# -- quotations in each state ----------------------------------------------------------------


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


def newest_first(*cotizaciones) -> list[int]:
    return sorted((c.pk for c in cotizaciones), reverse=True)


# -- validity ----------------------------------------------------------------------------------


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
