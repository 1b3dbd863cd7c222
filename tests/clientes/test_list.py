"""GET /api/clientes: order, shape, ``limite`` and ``cursor`` paging, tenant isolation."""

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
    next_link,
    query_of,
)
from tests.factories import make_cliente, make_full_cliente

pytestmark = pytest.mark.django_db


def make_clientes(tenant, n: int, **fields) -> list[int]:
    """``n`` customers of ``tenant`` in one statement; their ids, oldest first."""
    rows = Cliente.objects.bulk_create(
        [Cliente(tenant=tenant, nombre=f"Masivo {i}", **fields) for i in range(n)]
    )
    return sorted(row.pk for row in rows)


def interleaved(tenant, other_tenant, n: int) -> list[int]:
    """``n`` customers of ``tenant`` with a customer of ``other_tenant`` between each pair."""
    own = []
    for i in range(n):
        own.append(make_cliente(tenant, nombre=f"Propio {i}").pk)
        make_cliente(other_tenant, nombre=f"Ajeno {i}")
    return own


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
        assert row == api.get(detail_url(row["id"])).json()


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


# -- cursor and the Link header ----------------------------------------------------------


def test_cursor_returns_only_customers_with_a_smaller_id(api, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 5)
    cursor = own[3]

    response = api.get(LIST_URL, {"cursor": str(cursor)})

    assert ids(response) == sorted((pk for pk in own if pk < cursor), reverse=True)


def test_cursor_below_every_id_answers_an_empty_array(api, tenant, other_tenant):
    make_cliente(other_tenant)
    first = make_cliente(tenant)
    make_cliente(other_tenant)

    response = api.get(LIST_URL, {"cursor": str(first.pk)})

    assert ids(response) == []


def test_link_next_is_present_when_more_customers_match(api, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 3)

    response = api.get(LIST_URL, {"limite": "2"})

    returned = ids(response)
    url = next_link(response)
    assert url is not None
    assert query_of(url)["cursor"] == [str(returned[-1])]
    assert returned == sorted(own, reverse=True)[:2]


def test_link_next_is_absent_on_the_last_page(api, tenant, other_tenant):
    interleaved(tenant, other_tenant, 3)

    response = api.get(LIST_URL, {"limite": "5"})

    assert len(ids(response)) == 3
    assert next_link(response) is None


def test_link_next_is_absent_when_exactly_limite_customers_match(api, tenant, other_tenant):
    interleaved(tenant, other_tenant, 3)

    response = api.get(LIST_URL, {"limite": "3"})

    assert len(ids(response)) == 3
    assert next_link(response) is None


def test_link_next_is_absent_when_other_tenants_have_more_customers(api, tenant, other_tenant):
    make_clientes(tenant, 2)
    make_clientes(other_tenant, 5)

    response = api.get(LIST_URL, {"limite": "2"})

    assert len(ids(response)) == 2
    assert next_link(response) is None


def test_link_next_keeps_busqueda_and_limite(api, tenant, other_tenant):
    for i in range(4):
        make_cliente(tenant, nombre=f"José Pérez {i}")
        make_cliente(tenant, nombre=f"Otro {i}")
        make_cliente(other_tenant, nombre=f"José Pérez ajeno {i}")

    response = api.get(LIST_URL, {"busqueda": "josé pé", "limite": "3"})

    url = next_link(response)
    assert url is not None
    query = query_of(url)
    assert query["busqueda"] == ["josé pé"]
    assert query["limite"] == ["3"]
    assert query["cursor"] == [str(ids(response)[-1])]


def test_link_next_keeps_a_busqueda_with_reserved_url_characters(api, tenant, other_tenant):
    termino = "ñandú & cía 50% +1 #a=b"
    matching = []
    for i in range(3):
        matching.append(make_cliente(tenant, nombre=f"Ñandú & Cía 50% +1 #a=b {i}").pk)
        make_cliente(tenant, nombre=f"Ñandú y Cía {i}")
        make_cliente(other_tenant, nombre=f"Ñandú & Cía 50% +1 #a=b {i}")

    first = api.get(LIST_URL, {"busqueda": termino, "limite": "2"})
    url = next_link(first)
    assert url is not None
    assert query_of(url)["busqueda"] == [termino]
    second = api.get(url)

    assert ids(first) + ids(second) == sorted(matching, reverse=True)
    assert next_link(second) is None


def test_link_next_leads_to_the_following_page(api, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 5)

    first = api.get(LIST_URL, {"limite": "2"})
    second = api.get(next_link(first))

    assert ids(second) == sorted(own, reverse=True)[2:4]


def test_link_next_with_busqueda_pages_only_through_matches(api, tenant, other_tenant):
    matching = []
    for i in range(5):
        matching.append(make_cliente(tenant, nombre=f"Álvarez {i}").pk)
        make_cliente(tenant, nombre=f"Gómez {i}")
        make_cliente(other_tenant, nombre=f"Álvarez ajeno {i}")

    seen = []
    url = f"{LIST_URL}?busqueda=alvarez&limite=2"
    while url is not None:
        response = api.get(url)
        seen.extend(ids(response))
        url = next_link(response)

    assert seen == sorted(matching, reverse=True)


def test_walking_link_next_visits_every_customer_exactly_once(api, tenant, other_tenant):
    own = interleaved(tenant, other_tenant, 7)

    seen = []
    pages = 0
    url = f"{LIST_URL}?limite=3"
    while url is not None:
        response = api.get(url)
        seen.extend(ids(response))
        url = next_link(response)
        pages += 1
        assert pages <= 10, "the Link chain does not end"

    assert seen == sorted(own, reverse=True)
    assert pages == 3


def test_the_body_stays_a_plain_array_when_there_is_a_next_page(api, tenant, other_tenant):
    own = make_clientes(tenant, 3)
    make_clientes(other_tenant, 3)

    response = api.get(LIST_URL, {"limite": "1"})

    assert next_link(response) is not None
    assert response.json() == [api.get(detail_url(own[-1])).json()]


# -- invalid limite and cursor --------------------------------------------------------------

INVALID_PAGING = {
    "limite": ["abc", "0", "-1", "1.5", "", "2abc"],  # a whole number of at least 1
    "cursor": ["abc", "1.5", "", "-1", "12abc"],  # a customer id
}


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
