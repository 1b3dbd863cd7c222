"""GET /api/clientes/{id}/historial: shape, only this customer's documents, counts, 404 and
cost. The sales and the summary: test_historial_sales; the quotations: test_historial_quotations."""

import pytest

from clientes.models import Cliente
from cotizaciones.services import cotizacion_cancel, cotizacion_convert
from tests.clientes.helpers import (
    CLIENTE_FIELDS,
    LIST_URL,
    cancel_on_sale_day,
    cotizacion_at,
    detail_url,
    historial,
    historial_url,
    minutes,
    venta_at,
)
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db

TOP_LEVEL_KEYS = CLIENTE_FIELDS | {"ventas", "cotizaciones", "_count", "resumen"}
NO_ENCONTRADO = {"error": "Cliente no encontrado"}


# -- shape -----------------------------------------------------------------------------------


def test_historial_has_exactly_the_documented_top_level_keys(api, tenant, cliente, ajeno):
    venta_at(tenant, cliente, 1)
    cotizacion_at(tenant, cliente, 1)

    body = historial(api, cliente, ajeno)

    assert set(body) == TOP_LEVEL_KEYS
    assert set(body["_count"]) == {"ventas", "cotizaciones"}
    assert set(body["resumen"]) == {"totalComprado", "ultimaCompra"}


def test_historial_customer_fields_equal_the_retrieve_body(api, tenant, cliente, ajeno):
    venta_at(tenant, cliente, 1)

    body = historial(api, cliente, ajeno)

    assert {k: body[k] for k in CLIENTE_FIELDS} == api.get(detail_url(cliente.pk)).json()


def test_historial_customer_fields_equal_retrieve_for_a_whole_second_creado_en(
    api, tenant, cliente, ajeno
):
    Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).update(creado_en=minutes(0))

    body = historial(api, cliente, ajeno)

    assert {k: body[k] for k in CLIENTE_FIELDS} == api.get(detail_url(cliente.pk)).json()


def test_historial_of_a_customer_without_history(api, cliente, ajeno):
    body = historial(api, cliente, ajeno)

    assert body["ventas"] == []
    assert body["cotizaciones"] == []
    assert body["_count"] == {"ventas": 0, "cotizaciones": 0}
    assert body["resumen"] == {"totalComprado": 0, "ultimaCompra": None}


# -- only this customer's --------------------------------------------------------------------


@pytest.mark.parametrize(
    "documents, made_at, total_comprado",
    [("ventas", venta_at, 100), ("cotizaciones", cotizacion_at, 0)],
    ids=["sales", "quotations"],
)
def test_historial_shows_only_this_customers_documents(
    api, tenant, cliente, ajeno, documents, made_at, total_comprado
):
    own = made_at(tenant, cliente, 1)
    vecino = make_cliente(tenant, nombre="Vecino")
    made_at(tenant, vecino, 2)
    made_at(tenant, None, 3)

    body = historial(api, cliente, ajeno)

    assert [row["id"] for row in body[documents]] == [own.pk]
    assert body["_count"][documents] == 1
    assert body["resumen"]["totalComprado"] == total_comprado


# -- _count ----------------------------------------------------------------------------------


def test_count_ventas_counts_every_sale_including_cancelled_and_unlisted(
    api, tenant, cliente, ajeno
):
    ventas = [venta_at(tenant, cliente, i) for i in range(23)]
    for venta in ventas[:2]:
        cancel_on_sale_day(venta=venta, por=None, motivo="prueba")

    body = historial(api, cliente, ajeno)

    assert len(body["ventas"]) == 20
    assert body["_count"]["ventas"] == 23


def test_count_cotizaciones_counts_every_quotation_whatever_its_state(api, tenant, cliente, ajeno):
    for i in range(12):
        cotizacion_at(tenant, cliente, i)
    cotizacion_cancel(cotizacion=cotizacion_at(tenant, cliente, 20), por=None, motivo="prueba")
    cotizacion_convert(cotizacion=cotizacion_at(tenant, cliente, 21))

    body = historial(api, cliente, ajeno)

    assert len(body["cotizaciones"]) == 10
    assert body["_count"] == {"ventas": 1, "cotizaciones": 14}


# -- 404 -------------------------------------------------------------------------------------


def test_historial_of_another_tenants_customer_is_404(api, ajeno):
    response = api.get(historial_url(ajeno.cliente_id))

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO


@pytest.mark.parametrize("raw_id", ["abc", "0", "-1", "99999999999999999999"])
def test_historial_with_an_invalid_or_out_of_range_id_is_404(api, cliente, raw_id):
    response = api.get(f"{LIST_URL}/{raw_id}/historial")

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO


# -- cost ------------------------------------------------------------------------------------


def test_historial_query_count_does_not_grow_with_the_history(
    api, tenant, cliente, ajeno, django_assert_max_num_queries, django_assert_num_queries
):
    venta_at(tenant, cliente, 1)
    grande = make_cliente(tenant, nombre="Cliente frecuente")
    for i in range(30):
        venta = venta_at(tenant, grande, i)
        if i % 3 == 0:
            cancel_on_sale_day(venta=venta, por=None, motivo="prueba")
    for i in range(15):
        cotizacion = cotizacion_at(tenant, grande, i)
        if i % 5 == 0:
            cotizacion_cancel(cotizacion=cotizacion, por=None, motivo="prueba")

    # Four reads and the rate-limit counter (tenants.api.ratelimit without Redis).
    with django_assert_max_num_queries(5) as small:
        assert len(historial(api, cliente, ajeno)["ventas"]) == 1
    with django_assert_num_queries(len(small.captured_queries)):
        body = historial(api, grande, ajeno)

    assert len(body["ventas"]) == 20
    assert len(body["cotizaciones"]) == 10
    assert body["_count"] == {"ventas": 30, "cotizaciones": 15}
