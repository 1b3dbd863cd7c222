"""GET /api/ventas and GET /api/ventas/{id}: order, shape, paging, roles, 404s and 405s."""

from datetime import UTC, datetime

import pytest

from cotizaciones.services import cotizacion_convert
from tests.factories import make_cliente, make_cotizacion, make_venta
from tests.ventas.helpers import (
    LIST_URL,
    NO_ENCONTRADA,
    ROW_FIELDS,
    admin_client,
    assert_iso_utc,
    assert_validation_error,
    detail_url,
    ids,
    next_link,
    query_of,
    seller_client,
    set_creado_en,
)
from ventas.models import Venta
from ventas.services import NewItem, venta_cancel, venta_create

pytestmark = pytest.mark.django_db


def bulk_ventas(tenant, n: int, vendedor=None) -> list[int]:
    """``n`` item-less sales of ``tenant`` in one statement; their ids, oldest first."""
    start = Venta.objects.for_tenant(tenant).count() + 1
    rows = Venta.objects.bulk_create(
        Venta(tenant=tenant, numero=start + i, vendedor=vendedor) for i in range(n)
    )
    return sorted(row.pk for row in rows)


def interleaved(tenant, other_tenant, n: int, vendedor) -> list[int]:
    """``n`` sales of ``vendedor`` with a sale of ``other_tenant`` between each pair."""
    own = []
    for _ in range(n):
        own.append(make_venta(tenant, vendedor=vendedor).pk)
        make_venta(other_tenant)
    return own


# -- body: order, shape, isolation ---------------------------------------------------------


def test_list_is_a_json_array_newest_first(api, user, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 4, user)

    response = api.get(LIST_URL)

    assert response["Content-Type"].startswith("application/json")
    assert ids(response) == sorted(own, reverse=True)


def test_list_is_empty_when_only_other_tenants_have_sales(api, other_tenant):
    make_venta(other_tenant)

    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert response.json() == []


def test_list_rows_are_the_detail_without_items_and_eventos_plus_cantidad_items(
    tenant, other_tenant, user
):
    admin, admin_user = admin_client(tenant)
    cliente = make_cliente(tenant, nombre="José Álvarez")
    items = [NewItem(f"L{i}", 1, 10) for i in range(3)]
    venta_create(tenant=tenant, items=items, cliente=cliente, vendedor=user, notas="Con nota")
    whole_second = make_venta(tenant, vendedor=user)
    set_creado_en(tenant, whole_second.pk, datetime(2026, 3, 1, 15, 0, tzinfo=UTC))
    cancelada = make_venta(tenant, cliente, vendedor=user)
    venta_cancel(venta=cancelada, por=admin_user, motivo="Error de digitación")
    cotizacion = make_cotizacion(tenant, cliente, vendedor=user)
    cotizacion_convert(cotizacion=cotizacion)
    make_venta(tenant)  # walk-in, without a seller
    make_venta(other_tenant, make_cliente(other_tenant))

    rows = admin.get(LIST_URL).json()

    assert len(rows) == 5
    assert [row["cotizacionId"] is not None for row in rows] == [False, True, False, False, False]
    for row in rows:
        assert set(row) == ROW_FIELDS
        detail = admin.get(detail_url(row["id"])).json()
        expected = {k: v for k, v in detail.items() if k not in {"items", "eventos"}}
        assert row == {**expected, "cantidadItems": len(detail["items"])}
        assert_iso_utc(row["creadoEn"])
    assert rows[-1]["cantidadItems"] == 3
    assert rows[-1]["total"] == 30.0
    assert rows[-2]["creadoEn"] == "2026-03-01T15:00:00Z"
    assert_iso_utc(rows[-3]["canceladaEn"])
    assert rows[-4]["cotizacionId"] == cotizacion.pk
    assert rows[-4]["notas"] == f"Venta convertida desde cotización #{cotizacion.numero}"


# -- limite, cursor and Link ---------------------------------------------------------------


def test_limite_returns_that_many_newest_sales(api, user, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 4, user)

    assert ids(api.get(LIST_URL, {"limite": "2"})) == sorted(own, reverse=True)[:2]


def test_limite_defaults_to_200(api, user, tenant, other_tenant):
    bulk_ventas(other_tenant, 5)
    own = bulk_ventas(tenant, 201, vendedor=user)

    response = api.get(LIST_URL)

    assert ids(response) == sorted(own, reverse=True)[:200]
    assert ids(api.get(next_link(response))) == [own[0]]


def test_limite_above_500_is_capped_at_500(api, user, tenant, other_tenant):
    bulk_ventas(other_tenant, 5)
    own = bulk_ventas(tenant, 501, vendedor=user)

    response = api.get(LIST_URL, {"limite": "100000"})

    assert ids(response) == sorted(own, reverse=True)[:500]
    assert ids(api.get(next_link(response))) == [own[0]]


@pytest.mark.parametrize("limite", ["abc", "0", "-1", "1.5", "", "2abc"])
def test_limite_that_is_not_a_whole_number_of_at_least_1_is_400(api, user, tenant, limite):
    make_venta(tenant, vendedor=user)

    assert_validation_error(api.get(LIST_URL, {"limite": limite}), "limite")


def test_cursor_returns_only_older_sales(api, user, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 5, user)

    response = api.get(LIST_URL, {"cursor": str(own[3])})

    assert ids(response) == sorted(own[:3], reverse=True)


@pytest.mark.parametrize("cursor", ["abc", "1.5", "", "-1", "99999999999999999999"])
def test_invalid_cursor_is_400(api, cursor):
    assert_validation_error(api.get(LIST_URL, {"cursor": cursor}), "cursor")


def test_link_next_names_the_next_cursor_and_keeps_the_other_parameters(
    api, user, tenant, other_tenant
):
    cliente = make_cliente(tenant)
    own = [make_venta(tenant, cliente, vendedor=user).pk for _ in range(3)]
    make_venta(tenant, vendedor=user)
    make_venta(other_tenant)

    response = api.get(LIST_URL, {"cliente": str(cliente.pk), "cancelada": "false", "limite": "2"})

    assert ids(response) == [own[2], own[1]]
    query = query_of(next_link(response))
    assert query["cursor"] == [str(own[1])]
    assert query["cliente"] == [str(cliente.pk)]
    assert query["cancelada"] == ["false"]
    assert query["limite"] == ["2"]
    assert ids(api.get(next_link(response))) == [own[0]]


@pytest.mark.parametrize("limite", ["3", "5"])
def test_link_next_is_absent_when_nothing_is_left(api, user, tenant, other_tenant, limite):
    interleaved(tenant, other_tenant, 3, user)
    bulk_ventas(other_tenant, 5)

    response = api.get(LIST_URL, {"limite": limite})

    assert len(ids(response)) == 3
    assert next_link(response) is None


def test_walking_link_next_visits_every_sale_once(api, user, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 7, user)

    seen, pages, url = [], 0, f"{LIST_URL}?limite=3"
    while url is not None and pages < 10:
        response = api.get(url)
        seen.extend(ids(response))
        url = next_link(response)
        pages += 1

    assert seen == sorted(own, reverse=True)
    assert pages == 3


# -- roles -----------------------------------------------------------------------------------


def test_an_admin_lists_every_sale_of_the_tenant(tenant, other_tenant, user):
    admin, admin_user = admin_client(tenant)
    _, otro = seller_client(tenant)
    own = [
        make_venta(tenant, vendedor=user).pk,
        make_venta(tenant, vendedor=otro).pk,
        make_venta(tenant, vendedor=admin_user).pk,
        make_venta(tenant).pk,
    ]
    make_venta(other_tenant)

    assert ids(admin.get(LIST_URL)) == sorted(own, reverse=True)


def test_a_usuario_lists_only_their_own_sales(api, tenant, other_tenant, user):
    _, otro = seller_client(tenant)
    _, admin_user = admin_client(tenant)
    mine = [make_venta(tenant, vendedor=user).pk for _ in range(2)]
    make_venta(tenant, vendedor=otro)
    make_venta(tenant, vendedor=admin_user)
    make_venta(tenant)
    make_venta(other_tenant)

    assert ids(api.get(LIST_URL)) == sorted(mine, reverse=True)


def test_a_usuario_gets_404_for_another_sellers_sale(api, tenant, user):
    _, otro = seller_client(tenant)
    ajena = make_venta(tenant, vendedor=otro)
    sin_vendedor = make_venta(tenant)

    for venta in (ajena, sin_vendedor):
        response = api.get(detail_url(venta.pk))
        assert response.status_code == 404
        assert response.json() == NO_ENCONTRADA


def test_an_admin_reads_any_sale_of_the_tenant(tenant, user):
    admin, _ = admin_client(tenant)
    venta = make_venta(tenant, vendedor=user)

    response = admin.get(detail_url(venta.pk))

    assert response.status_code == 200
    assert response.json()["id"] == venta.pk


def test_a_usuario_reads_their_own_sale(api, tenant, user):
    venta = make_venta(tenant, vendedor=user)

    assert api.get(detail_url(venta.pk)).json()["vendedor"] == {
        "id": user.pk,
        "nombre": user.nombre,
    }
