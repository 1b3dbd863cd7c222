"""GET /api/clientes: order, shape, ``limite``, tenant isolation, cost. ``cursor`` and the
``Link`` header: test_list_cursor."""

import pytest

from clientes.models import Cliente
from tests.clientes.helpers import (
    BASE_TIME,
    CLIENTE_FIELDS,
    LIST_URL,
    assert_iso_utc,
    assert_validation_error,
    detail_url,
    ids,
    interleaved,
    make_clientes,
    next_link,
)
from tests.factories import make_cliente, make_full_cliente

pytestmark = pytest.mark.django_db

INVALID_PAGING = {
    "limite": ["abc", "0", "-1", "1.5", "", "2abc"],  # a whole number of at least 1
    "cursor": ["abc", "1.5", "", "-1", "12abc"],  # a customer id
}


# -- body: order, shape, isolation ---------------------------------------------------------


def test_list_answers_a_json_array(api, tenant, other_tenant):
    make_cliente(tenant)
    make_cliente(other_tenant)

    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json(), list)


def test_list_is_newest_first_by_id_descending(api, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 4)

    response = api.get(LIST_URL)

    assert ids(response) == sorted(own, reverse=True)


def test_list_never_shows_another_tenants_customers(api, tenant, other_tenant):
    mine = make_cliente(tenant, nombre="Mío")
    make_cliente(other_tenant, nombre="Ajeno")

    response = api.get(LIST_URL)

    assert ids(response) == [mine.pk]


def test_list_is_an_empty_array_when_the_tenant_has_no_customers(api, other_tenant):
    make_cliente(other_tenant, nombre="Ajeno")

    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert response.json() == []


def test_list_rows_have_exactly_the_cliente_fields(api, tenant, other_tenant):
    make_cliente(tenant, nombre="Ana", documento="123", email="ana@example.com")
    make_cliente(tenant, nombre="Beto")
    make_cliente(other_tenant, nombre="Ajeno")

    rows = api.get(LIST_URL).json()

    assert len(rows) == 2
    for row in rows:
        assert set(row) == CLIENTE_FIELDS
        assert isinstance(row["id"], int)
        assert_iso_utc(row["creadoEn"])


def test_list_rows_equal_the_retrieve_body_of_the_same_customer(api, tenant, other_tenant):
    make_full_cliente(tenant)
    whole_second = make_cliente(tenant, nombre="Sin datos")
    Cliente.objects.for_tenant(tenant).filter(pk=whole_second.pk).update(creado_en=BASE_TIME)
    make_cliente(other_tenant, nombre="Ajeno", documento="1.020.345.678")

    rows = api.get(LIST_URL).json()

    assert len(rows) == 2
    for row in rows:
        # Keys in the same order too: the list names its columns apart from their values.
        assert list(row.items()) == list(api.get(detail_url(row["id"])).json().items())


def test_the_body_stays_a_plain_array_when_there_is_a_next_page(api, tenant, other_tenant):
    own = make_clientes(tenant, 3)
    make_clientes(other_tenant, 3)

    response = api.get(LIST_URL, {"limite": "1"})

    assert next_link(response) is not None
    assert response.json() == [api.get(detail_url(own[-1])).json()]


# -- limite ----------------------------------------------------------------------------------


def test_limite_returns_at_most_that_many_newest_customers(api, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 5)

    response = api.get(LIST_URL, {"limite": "2"})

    assert ids(response) == sorted(own, reverse=True)[:2]


def test_limite_defaults_to_200(api, tenant, other_tenant):
    make_clientes(other_tenant, 5)
    own = make_clientes(tenant, 201)

    response = api.get(LIST_URL)

    assert ids(response) == sorted(own, reverse=True)[:200]
    assert ids(api.get(next_link(response))) == [own[0]]


def test_limite_above_500_is_capped_at_500(api, tenant, other_tenant):
    make_clientes(other_tenant, 5)
    own = make_clientes(tenant, 501)

    response = api.get(LIST_URL, {"limite": "1000"})

    assert ids(response) == sorted(own, reverse=True)[:500]
    assert ids(api.get(next_link(response))) == [own[0]]


def test_limite_of_exactly_500_is_accepted(api, tenant, other_tenant):
    own = make_clientes(tenant, 3)
    make_clientes(other_tenant, 3)

    response = api.get(LIST_URL, {"limite": "500"})

    assert ids(response) == sorted(own, reverse=True)


# -- invalid limite and cursor ---------------------------------------------------------------


@pytest.mark.parametrize(
    "param, value",
    [
        pytest.param(param, value, id=f"{param}={value or 'empty'}")
        for param, values in INVALID_PAGING.items()
        for value in values
    ],
)
def test_limite_or_cursor_that_is_not_a_valid_whole_number_is_400(api, tenant, param, value):
    make_cliente(tenant)

    response = api.get(LIST_URL, {param: value})

    assert_validation_error(response, param)


# -- cost ------------------------------------------------------------------------------------


def test_list_makes_the_same_small_number_of_queries_for_1_or_50_customers(
    api, tenant, other_tenant, django_assert_max_num_queries, django_assert_num_queries
):
    make_cliente(tenant, nombre="Primero")
    make_clientes(other_tenant, 10)
    # The page with its count, the token with its user and tenant, the rate-limit counter.
    with django_assert_max_num_queries(3) as one_customer:
        assert len(ids(api.get(LIST_URL))) == 1

    make_clientes(tenant, 49, documento=None, email="masivo@example.com")
    with django_assert_num_queries(len(one_customer.captured_queries)):
        assert len(ids(api.get(LIST_URL))) == 50
