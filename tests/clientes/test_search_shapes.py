"""A filtered list's SQL is compiled once per shape and reused (``clientes.selectors``,
``tenants.compiled``): every request still answers its own term, moment, archived customers and
tenant, and ``ClienteFilter`` still validates every request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clientes import selectors
from clientes.filters import ClienteFilter
from tests.clientes.helpers import LIST_URL, ids, search
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db


def page_sql(tenant, **filters) -> tuple[str, list]:
    rows = selectors.cliente_page(tenant_id=tenant.pk, cursor=None, filters=filters)
    return rows.sql, rows.params


def test_searches_of_one_shape_share_their_sql_and_bind_their_own_term(tenant):
    first_sql, first_params = page_sql(tenant, busqueda="Ana")
    second_sql, second_params = page_sql(tenant, busqueda="Luis")

    assert first_sql == second_sql
    assert "Ana" in first_params and "Luis" not in first_params
    assert "Luis" in second_params and "Ana" not in second_params


def test_each_search_of_a_reused_shape_finds_its_own_term(api, tenant, other_tenant):
    ana = make_cliente(tenant, nombre="Ana Gómez")
    luis = make_cliente(tenant, nombre="Luis Pérez")
    make_cliente(other_tenant, nombre="Ana Gómez")
    make_cliente(other_tenant, nombre="Luis Pérez")

    assert search(api, "ana") == [ana.pk]
    assert search(api, "luis") == [luis.pk]
    assert search(api, "ana") == [ana.pk]


def test_a_reused_search_binds_the_tenant_of_each_request(api, other_api, tenant, other_tenant):
    mine = make_cliente(tenant, nombre="Marta Ruiz")
    theirs = make_cliente(other_tenant, nombre="Marta Ruiz")

    assert search(api, "marta") == [mine.pk]
    assert search(other_api, "marta") == [theirs.pk]


def test_a_reused_search_searches_the_codes_of_each_term(api, tenant, other_tenant):
    first = make_cliente(tenant, nombre="Uno", documento="CC-111.222")
    second = make_cliente(tenant, nombre="Dos", telefono="300 555-0199")
    make_cliente(other_tenant, nombre="Uno", documento="CC-111.222")

    assert search(api, "111222") == [first.pk]
    assert search(api, "3005550199") == [second.pk]


def test_a_term_of_separators_only_searches_the_text_alone(api, tenant, other_tenant):
    dotted = make_cliente(tenant, nombre="A.B. Construcciones")
    make_cliente(tenant, nombre="Sin puntos", documento="1.234.567")
    make_cliente(other_tenant, nombre="A.B. Construcciones")

    assert search(api, "a.b.") == [dotted.pk]
    assert search(api, ".") == [dotted.pk]


@pytest.mark.parametrize(
    ("archivado", "which"),
    [
        pytest.param(None, {"activo"}, id="absent-active-only"),
        pytest.param("false", {"activo"}, id="false-active-only"),
        pytest.param("true", {"archivado"}, id="true-archived-only"),
        pytest.param("todos", {"activo", "archivado"}, id="todos-both"),
    ],
)
def test_each_archivado_is_its_own_shape_of_a_search(api, tenant, other_tenant, archivado, which):
    customers = {
        "activo": make_cliente(tenant, nombre="Rosa Activa"),
        "archivado": make_cliente(tenant, nombre="Rosa Archivada", archivado=True),
    }
    make_cliente(other_tenant, nombre="Rosa Ajena", archivado=True)
    params = {"busqueda": "rosa"} | ({"archivado": archivado} if archivado else {})

    # Every shape compiled first, so the one asked for below is a reused one.
    for other in ("false", "true", "todos"):
        api.get(LIST_URL, {"busqueda": "x", "archivado": other})

    assert set(ids(api.get(LIST_URL, params))) == {customers[name].pk for name in which}


def test_a_reused_sync_binds_the_moment_of_each_request(api, tenant, other_tenant):
    cliente = make_cliente(tenant)
    make_cliente(other_tenant)
    before = (timezone.now() - timedelta(hours=1)).isoformat()
    after = (timezone.now() + timedelta(hours=1)).isoformat()

    assert ids(api.get(LIST_URL, {"actualizadoDesde": before})) == [cliente.pk]
    assert ids(api.get(LIST_URL, {"actualizadoDesde": after})) == []
    assert ids(api.get(LIST_URL, {"actualizadoDesde": before, "busqueda": "zz"})) == []


def test_an_invalid_filter_is_still_a_400_after_its_shape_was_compiled(api, tenant):
    make_cliente(tenant, nombre="Ana")
    assert search(api, "ana")

    response = api.get(LIST_URL, {"busqueda": "a" * 201})

    assert response.status_code == 400
    assert list(response.json()["detalles"]) == ["busqueda"]


def test_the_reused_shapes_bind_every_filter_of_cliente_filter():
    # A filter added to ClienteFilter must be bound (or keyed) by cliente_page too, or the
    # reused SQL would ignore it.
    assert set(ClienteFilter.base_filters) == {"busqueda", "archivado", "actualizadoDesde"}


def test_a_reused_search_page_holds_no_tenant_and_no_term(tenant):
    page_sql(tenant, busqueda="Clave")

    shapes = selectors._PAGES._compiled
    compiled = shapes[(("filtrados", None), ("busqueda", "tenant"))]
    assert tenant.pk not in compiled.params
    assert "Clave" not in compiled.params
