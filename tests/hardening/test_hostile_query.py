"""Hostile query strings and URL ids: ``busqueda``, ``limite``, ``cursor`` and customer ids."""

from urllib.parse import quote

import pytest

from tests.factories import make_cliente
from tests.hardening.hostile import BIGINT, URL, assert_error, nothing_written


# --- busqueda -------------------------------------------------------------------------------
@pytest.mark.parametrize("encoded", ["%00", "a%00b", "%1B", "%7F"])
def test_control_characters_in_busqueda_are_400(client, encoded):
    assert_error(client.get(f"{URL}?busqueda={encoded}"), 400, "busqueda")


@pytest.mark.parametrize("encoded", ["%ED%A0%80", "a%ED%B0%80", "%FF", "%C0%AF", "%C3%28"])
def test_invalid_utf8_and_surrogates_in_busqueda_never_fail(client, cliente, encoded):
    """Bytes that are not UTF-8 (incl. an encoded surrogate) never match a real customer.

    Django decodes them to U+FFFD before the view sees them; the answer is a 400 or an empty
    list, never a 500 nor every customer.
    """
    response = client.get(f"{URL}?busqueda={encoded}")
    assert response.status_code < 500, response.content
    if response.status_code == 200:
        assert response.json() == []
    else:
        assert_error(response, 400)


def test_busqueda_longer_than_its_limit_is_400(client):
    assert_error(client.get(f"{URL}?busqueda={'a' * 201}"), 400, "busqueda")


@pytest.mark.parametrize("term", ["%", "_", "\\", "%_%", "'; DROP TABLE clientes_cliente; --"])
def test_wildcards_and_sql_in_busqueda_are_plain_text(client, tenant, term):
    make_cliente(tenant, nombre="Sin comodines")
    hit = make_cliente(tenant, nombre=f"Con {term} literal")
    response = client.get(URL, {"busqueda": term})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [hit.pk]


# --- ids in the URL -------------------------------------------------------------------------
BAD_IDS = [
    str(BIGINT + 1),
    str(2**64),
    "9" * 100,
    "-1",
    "-9223372036854775808",
    "0",
    "00",
    "1e3",
    "1.0",
    "0x10",
    "abc",
    "%20",
    "%00",
    quote("١٢"),  # Arabic-Indic digits: str.isdigit() says yes, but they are no id
    quote("²"),
]


@pytest.mark.parametrize("raw_id", BAD_IDS)
@pytest.mark.parametrize("suffix", ["", "/historial"])
@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_out_of_range_and_non_numeric_ids_are_404(client, cliente, raw_id, suffix, method):
    if suffix and method != "get":
        return
    with nothing_written():
        if method == "get":
            response = client.get(f"{URL}/{raw_id}{suffix}")
        else:
            response = getattr(client, method)(f"{URL}/{raw_id}", {"nombre": "x"}, format="json")
        assert_error(response, 404)


def test_the_largest_bigint_is_a_plain_404(client):
    assert_error(client.get(f"{URL}/{BIGINT}"), 404)
    assert_error(client.get(f"{URL}/{BIGINT}/historial"), 404)


# --- limite and cursor ----------------------------------------------------------------------
NOT_WHOLE_NUMBERS = ["abc", "", " ", "1.5", "1e3", "-1", "0", "+5", " 5", "5 ", "0x10", "%00", "½"]


@pytest.mark.parametrize("param", ["limite", "cursor"])
@pytest.mark.parametrize("value", NOT_WHOLE_NUMBERS, ids=repr)
def test_limite_and_cursor_that_are_not_whole_numbers_are_400(client, param, value):
    assert_error(client.get(f"{URL}?{param}={quote(value, safe='%')}"), 400, param)


@pytest.mark.parametrize("value", [str(BIGINT + 1), "9" * 400])
def test_cursor_past_bigint_is_400(client, value):
    assert_error(client.get(URL, {"cursor": value}), 400, "cursor")


@pytest.mark.parametrize("value", ["501", str(BIGINT), str(BIGINT + 1), "9" * 400])
def test_limite_above_500_is_capped_not_refused(client, tenant, value):
    """The contract: "Above 500: 500" (for any whole number, however large)."""
    make_cliente(tenant)
    response = client.get(URL, {"limite": value})
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()) == 1
