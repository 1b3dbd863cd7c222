"""GET /api/clientes: ``cursor`` paging and the ``Link: <…>; rel="next"`` header."""

import pytest

from tests.clientes.helpers import LIST_URL, ids, interleaved, make_clientes, next_link, query_of
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db


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
