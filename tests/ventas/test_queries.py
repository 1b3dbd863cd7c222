"""The SQL cost of the sales routes does not grow with the number of sales or items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_cliente, make_venta
from tests.ventas.helpers import (
    LIST_URL,
    admin_client,
    detail_url,
    ids,
    item,
    post_venta,
    venta_body,
)
from ventas.services import NewItem, venta_cancel, venta_create

pytestmark = pytest.mark.django_db


def ventas_with_items(tenant, n: int, *, items: int, vendedor=None, por=None) -> list[int]:
    """``n`` sales of ``tenant`` with ``items`` lines, a customer each, every third cancelled."""
    pks = []
    for i in range(n):
        venta = venta_create(
            tenant=tenant,
            items=[NewItem(f"L{j}", 1, 10) for j in range(items)],
            cliente=make_cliente(tenant),
            vendedor=vendedor,
        )
        if i % 3 == 0:
            venta_cancel(venta=venta, por=por, motivo="prueba")
        pks.append(venta.pk)
    return pks


def test_the_list_costs_the_same_for_3_or_60_sales_with_many_items(
    tenant, other_tenant, user, django_assert_num_queries, django_assert_max_num_queries
):
    admin, admin_user = admin_client(tenant)
    ventas_with_items(other_tenant, 5, items=4)
    ventas_with_items(tenant, 3, items=8, vendedor=user, por=admin_user)
    with django_assert_max_num_queries(4) as few:
        assert len(ids(admin.get(LIST_URL))) == 3

    ventas_with_items(tenant, 57, items=8, vendedor=user, por=admin_user)
    with django_assert_num_queries(len(few.captured_queries)):
        rows = admin.get(LIST_URL).json()

    assert len(rows) == 60
    assert {row["cantidadItems"] for row in rows} == {8}


def test_a_usuarios_filtered_list_costs_the_same_for_3_or_60_sales(
    api, tenant, user, django_assert_num_queries
):
    cliente = make_cliente(tenant)
    for _ in range(3):
        make_venta(tenant, cliente, vendedor=user)
    params = {"cliente": str(cliente.pk), "cancelada": "false", "desde": "2000-01-01"}
    with CaptureQueriesContext(connection) as few:
        assert len(ids(api.get(LIST_URL, params))) == 3

    for _ in range(57):
        make_venta(tenant, cliente, vendedor=user)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(ids(api.get(LIST_URL, params))) == 60


def test_the_detail_costs_a_fixed_number_of_queries(
    tenant, user, django_assert_num_queries, django_assert_max_num_queries
):
    admin, admin_user = admin_client(tenant)
    [small] = ventas_with_items(tenant, 1, items=1, vendedor=user)
    [large] = ventas_with_items(tenant, 1, items=150, vendedor=user, por=admin_user)
    admin.get(detail_url(small))  # warm-up: whatever a first request costs once

    with django_assert_max_num_queries(6) as one_item:
        assert len(admin.get(detail_url(small)).json()["items"]) == 1
    with django_assert_num_queries(len(one_item.captured_queries)):
        body = admin.get(detail_url(large)).json()

    assert len(body["items"]) == 150
    assert [e["tipo"] for e in body["eventos"]] == ["CREADA", "CANCELADA"]


def test_create_costs_the_same_for_1_or_200_items(api, tenant):
    cliente = make_cliente(tenant)
    post_venta(api, venta_body(clienteId=cliente.pk))  # warm-up: the tenant's first numero

    with CaptureQueriesContext(connection) as one_item:
        response = post_venta(api, venta_body(item(), clienteId=cliente.pk))
        assert response.status_code == 201, response.content
    with CaptureQueriesContext(connection) as many_items:
        items = [item(f"Línea {i}", i + 1, 100) for i in range(200)]
        response = post_venta(api, venta_body(*items, clienteId=cliente.pk))
        assert response.status_code == 201, response.content

    assert len(response.json()["items"]) == 200
    assert len(many_items.captured_queries) == len(one_item.captured_queries)
    assert len(one_item.captured_queries) <= 12


def test_the_detail_reads_items_and_events_by_tenant_and_sale(api, tenant, user):
    # The items' and events' indexes lead with tenant_id (composite keys): a look-up by the
    # sale's id alone would scan the whole index.
    venta = make_venta(tenant, make_cliente(tenant), vendedor=user)
    with CaptureQueriesContext(connection) as queries:
        assert api.get(detail_url(venta.pk)).status_code == 200

    tables = ('FROM "ventas_ventaitem"', 'FROM "ventas_ventaevento"')
    reads = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
    assert len(reads) == 2
    assert all('"tenant_id" = ' in sql and '"venta_id" IN ' in sql for sql in reads), reads
