"""GET /api/cotizaciones and /api/cotizaciones/{id}: shape, paging, filters, roles, cost."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import User
from tests.conftest import token_client
from tests.cotizaciones.helpers import (
    COTIZACION_FIELDS,
    LIST_URL,
    NO_ENCONTRADA,
    ROW_FIELDS,
    assert_validation_error,
    bulk,
    detail_url,
    frozen_now,
    ids,
    make,
    make_cancelada,
    make_convertida,
    make_varied,
    newest_first,
    next_link,
    query_of,
    quotations_around,
    set_valida_hasta,
    without_detail,
    written,
)
from tests.factories import make_cliente, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(tenant):
    return make_user(tenant, rol=User.Rol.ADMIN)


@pytest.fixture
def admin_api(admin):
    return token_client(admin)


@pytest.fixture
def colega(tenant):  # another USUARIO of the caller's tenant
    return make_user(tenant)


@pytest.fixture
def ajeno(other_tenant, other_user):  # another tenant's quotations: make(*ajeno)
    return other_tenant, other_user


# -- body: order, shape, roles, isolation --------------------------------------------------


def test_admin_lists_the_whole_tenant_newest_first(admin_api, admin, user, colega, tenant, ajeno):
    own = []
    for vendedor in (user, admin, colega, user):
        own.append(make(tenant, vendedor))
        make(*ajeno)

    response = admin_api.get(LIST_URL)

    assert response["Content-Type"].startswith("application/json")
    assert ids(response) == newest_first(*own)


def test_a_usuario_lists_only_their_own_quotations(api, user, colega, admin, tenant):
    mine = [make(tenant, user), make(tenant, user)]
    make(tenant, colega)
    make(tenant, admin)

    assert ids(api.get(LIST_URL)) == newest_first(*mine)


def test_list_is_an_empty_array_when_there_is_nothing_to_show(api, colega, tenant, ajeno):
    make(tenant, colega)
    make(*ajeno)

    assert api.get(LIST_URL).json() == []


def test_list_rows_are_the_detail_minus_items_and_eventos(admin_api, admin, user, tenant):
    cliente = make_cliente(tenant, nombre="José Álvarez")
    make(tenant, user, cliente=cliente, notas="VIP", precios=("10.50", "3", "0.01"))
    make(tenant, None)
    make_cancelada(tenant, user)
    make_convertida(tenant, admin, cliente=cliente)
    set_valida_hasta(tenant, make(tenant, user), frozen_now().replace(microsecond=123456))

    rows = admin_api.get(LIST_URL).json()

    assert len(rows) == 5
    for row in rows:
        assert set(row) == ROW_FIELDS
        detail = admin_api.get(detail_url(row["id"])).json()
        assert set(detail) == COTIZACION_FIELDS
        assert row == without_detail(detail)


# -- limite, cursor, Link --------------------------------------------------------------------


@pytest.mark.parametrize(("limite", "n", "shown"), [(None, 201, 200), ("1000", 501, 500)])
def test_limite_defaults_to_200_and_is_capped_at_500(api, user, tenant, limite, n, shown):
    own = bulk(tenant, user, n)

    response = api.get(LIST_URL, {"limite": limite} if limite else {})

    assert ids(response) == own[::-1][:shown]
    assert ids(api.get(next_link(response))) == [own[0]]


@pytest.mark.parametrize("param", ["limite", "cursor"])
@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "", "2x"])
def test_invalid_limite_or_cursor_is_400(api, param, value):
    assert_validation_error(api.get(LIST_URL, {param: value}), param)


def test_cursor_returns_only_smaller_ids(api, user, tenant):
    own = bulk(tenant, user, 5)

    assert ids(api.get(LIST_URL, {"cursor": str(own[3])})) == own[:3][::-1]


def test_limite_pages_with_link_next_only_while_more_match(api, user, tenant, ajeno):
    bulk(*ajeno, 5)
    own = bulk(tenant, user, 3)

    first = api.get(LIST_URL, {"limite": "2"})
    exact = api.get(LIST_URL, {"limite": "3"})

    assert ids(first) == own[::-1][:2]
    assert query_of(next_link(first))["cursor"] == [str(own[1])]
    assert next_link(exact) is None


def test_link_next_keeps_the_filters_and_visits_each_match_once(admin_api, user, colega, tenant):
    matching = [make(tenant, user) for _ in range(5)]
    make_cancelada(tenant, user)
    make(tenant, colega)

    seen, url = [], f"{LIST_URL}?estado=PENDIENTE&vendedor={user.pk}&limite=2"
    while url is not None:
        response = admin_api.get(url)
        seen.extend(ids(response))
        url = next_link(response)
        assert url is None or query_of(url)["estado"] == ["PENDIENTE"]

    assert seen == newest_first(*matching)


# -- filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize("estado", ["PENDIENTE", "CONVERTIDA", "CANCELADA"])
def test_estado_keeps_only_that_state(api, user, tenant, estado):
    makers = {"PENDIENTE": make, "CONVERTIDA": make_convertida, "CANCELADA": make_cancelada}
    made = {name: maker(tenant, user) for name, maker in makers.items()}

    assert ids(api.get(LIST_URL, {"estado": estado})) == [made[estado].pk]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", ["antes", "justo"]), ("false", ["despues", "convertida", "cancelada"])],
)
def test_vencida_filter_compares_valida_hasta_with_now(api, user, tenant, value, expected):
    now, made = quotations_around(tenant, user, frozen_now())

    with time_machine.travel(now, tick=False):
        response = api.get(LIST_URL, {"vencida": value})

    assert ids(response) == newest_first(*(made[name] for name in expected))


def test_vencida_is_true_only_for_pending_quotations_not_valid_after_now(api, user, tenant):
    now, made = quotations_around(tenant, user, frozen_now())
    expected = {c.pk: name in {"antes", "justo"} for name, c in made.items()}

    with time_machine.travel(now, tick=False):
        rows = {row["id"]: row["vencida"] for row in api.get(LIST_URL).json()}
        details = {pk: api.get(detail_url(pk)).json()["vencida"] for pk in expected}

    assert rows == expected
    assert details == expected


def test_cliente_keeps_only_that_customers_quotations(api, user, tenant):
    cliente = make_cliente(tenant)
    theirs = make(tenant, user, cliente=cliente)
    make(tenant, user, cliente=make_cliente(tenant))
    make(tenant, user)

    assert ids(api.get(LIST_URL, {"cliente": cliente.pk})) == [theirs.pk]


def test_vendedor_keeps_only_that_sellers_quotations_for_an_admin(admin_api, admin, user, tenant):
    theirs = make(tenant, user)
    make(tenant, admin)

    assert ids(admin_api.get(LIST_URL, {"vendedor": user.pk})) == [theirs.pk]


def test_vendedor_is_ignored_for_a_usuario(api, user, colega, tenant):
    mine = make(tenant, user)
    make(tenant, colega)

    assert ids(api.get(LIST_URL, {"vendedor": colega.pk})) == [mine.pk]


def test_filters_combine(admin_api, admin, user, tenant):
    cliente = make_cliente(tenant)
    match = make(tenant, user, cliente=cliente)
    make(tenant, admin, cliente=cliente)
    make_cancelada(tenant, user, cliente=cliente)
    make(tenant, user)

    params = {"estado": "PENDIENTE", "vencida": "false", "cliente": cliente.pk, "vendedor": user.pk}
    assert ids(admin_api.get(LIST_URL, params)) == [match.pk]


@pytest.mark.parametrize(
    ("param", "value"),
    [("estado", "OTRO"), ("estado", "pendiente"), ("vencida", "quizá"), ("vencida", "1"),
     ("cliente", "abc"), ("cliente", "0"), ("cliente", "-3"), ("vendedor", "1.5"),
     ("vendedor", "99999999999999999999")],
)  # fmt: skip
def test_invalid_filter_values_are_400_with_detalles(admin_api, param, value):
    assert_validation_error(admin_api.get(LIST_URL, {param: value}), param)


# -- detail: roles and isolation ------------------------------------------------------------


@pytest.mark.parametrize("client", ["api", "admin_api"])
def test_the_seller_and_an_admin_see_the_quotation(request, user, tenant, client):
    cotizacion = make(tenant, user)

    response = request.getfixturevalue(client).get(detail_url(cotizacion.pk))

    assert (response.status_code, response.json()["id"]) == (200, cotizacion.pk)


@pytest.mark.parametrize("owner", ["colega", "admin"])
def test_another_sellers_quotation_is_404_for_a_usuario(api, tenant, request, owner):
    cotizacion = make(tenant, request.getfixturevalue(owner))

    response = api.get(detail_url(cotizacion.pk))

    assert (response.status_code, response.json()) == (404, NO_ENCONTRADA)


def test_another_tenants_quotation_is_404_even_for_an_admin(admin_api, ajeno):
    response = admin_api.get(detail_url(make(*ajeno).pk))

    assert (response.status_code, response.json()) == (404, NO_ENCONTRADA)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_put_patch_and_delete_are_405_and_change_nothing(admin_api, user, tenant, method):
    url = detail_url(make(tenant, user).pk)
    before = written(tenant)

    response = getattr(admin_api, method)(url, {"estado": "CANCELADA"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"error": f"Método {method.upper()} no permitido"}
    assert written(tenant) == before


# -- cost --------------------------------------------------------------------------------------


def test_list_query_count_is_fixed(admin_api, admin, user, tenant, django_assert_num_queries):
    make_varied(tenant, user, admin, 3)
    with CaptureQueriesContext(connection) as few:
        assert len(ids(admin_api.get(LIST_URL))) == 3
    assert len(few) <= 4

    make_varied(tenant, user, admin, 37)
    with django_assert_num_queries(len(few)):
        assert len(ids(admin_api.get(LIST_URL))) == 40


def test_detail_query_count_is_fixed(admin_api, user, tenant, django_assert_num_queries):
    small = make(tenant, user)
    large = make_cancelada(tenant, user, cliente=make_cliente(tenant), precios=["1"] * 30)
    with CaptureQueriesContext(connection) as few:
        assert admin_api.get(detail_url(small.pk)).status_code == 200
    assert len(few) <= 5

    with django_assert_num_queries(len(few)):
        assert len(admin_api.get(detail_url(large.pk)).json()["items"]) == 30
