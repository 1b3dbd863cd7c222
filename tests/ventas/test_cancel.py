"""POST /api/ventas/{id}/cancelar: what only sales have. Only an ADMIN cancels (the seller
too may not), and a cancelled sale no longer counts in what its customer bought. What every
document's cancellation does is in ``tests/comercial/battery/cancel.py``; the same-day rule
is in ``test_cancel_same_day.py``."""

import pytest

from tests.comercial.helpers import create_body, created, item, post
from tests.factories import make_cliente
from tests.ventas.helpers import LIST_URL, SOLO_ADMIN, cancel_url, historial_url, stored_state

pytestmark = pytest.mark.django_db


def cancel(client, pk, motivo="Error de digitación"):
    return post(client, cancel_url(pk), {"motivo": motivo})


def test_a_usuario_may_not_cancel_even_their_own_sale(api, tenant):
    venta = created(post(api, LIST_URL, create_body()))
    before = stored_state(tenant, venta["id"])

    response = cancel(api, venta["id"])

    assert (response.status_code, response.json()) == (403, SOLO_ADMIN)
    assert stored_state(tenant, venta["id"]) == before


def test_the_cancelled_sale_stays_but_leaves_total_comprado(admin_api, api, tenant):
    cliente = make_cliente(tenant)
    kept = created(post(api, LIST_URL, create_body(item("A", 1, 1500), clienteId=cliente.pk)))
    gone = created(post(api, LIST_URL, create_body(item("B", 1, 99000.5), clienteId=cliente.pk)))
    assert api.get(historial_url(cliente.pk)).json()["resumen"]["totalComprado"] == 100500.5

    cancel(admin_api, gone["id"])

    historial = api.get(historial_url(cliente.pk)).json()
    assert historial["resumen"]["totalComprado"] == 1500.0
    assert historial["resumen"]["ultimaCompra"] == kept["creadoEn"]
    assert [v["id"] for v in historial["ventas"]] == [gone["id"], kept["id"]]
    assert historial["_count"]["ventas"] == 2
