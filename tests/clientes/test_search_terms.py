"""GET /api/clientes?busqueda=: terms that find nothing, terms that filter nothing (empty or
blank) and refused terms."""

import pytest

from tests.clientes.helpers import LIST_URL, assert_validation_error, behaviour_params, search
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db

ANA_BELEN = {"nombre": "Ana", "email": "belen@example.com", "documento": "12345", "telefono": "678"}


# -- terms that find nothing -----------------------------------------------------------------


# behaviour: (termino, a customer of the tenant, one of another tenant that the term matches).
FINDS_NOTHING = {
    "without-matches": ("inexistente", {"nombre": "Ana"}, {"nombre": "Inexistente"}),
    "does-not-look-at-direccion-or-notas": (
        "zafiro",
        {"nombre": "Uno", "direccion": "Calle Zafiro 12", "notas": "Zafiro"},
        {"nombre": "Zafiro"},
    ),
    "does-not-match-across-nombre-and-email": ("anabelen", ANA_BELEN, {"nombre": "Anabelen"}),
    "does-not-match-across-documento-and-telefono": (
        "45678",
        ANA_BELEN,
        {"nombre": "Otra", "documento": "45678"},
    ),
    "percent-between-letters-is-not-a-wildcard": (
        "ana%maria",
        {"nombre": "Ana María"},
        {"nombre": "Ana%María"},
    ),
    "backslash-does-not-escape-the-next-character": (
        "\\%",
        {"nombre": "100%"},
        {"nombre": "100\\%"},
    ),
}


@pytest.mark.parametrize("termino, own, ajeno", behaviour_params(FINDS_NOTHING))
def test_busqueda_finds_nothing(api, tenant, other_tenant, termino, own, ajeno):
    make_cliente(tenant, **own)
    make_cliente(other_tenant, **ajeno)

    assert search(api, termino) == []


# -- terms that are no filter ----------------------------------------------------------------


@pytest.mark.parametrize("termino", ["", "   "], ids=["empty", "blank"])
def test_empty_or_blank_busqueda_means_no_filter(api, tenant, other_tenant, termino):
    own = [make_cliente(tenant, nombre=f"Cliente {i}").pk for i in range(3)]
    make_cliente(other_tenant, nombre="Ajeno")

    assert search(api, termino) == sorted(own, reverse=True)


# -- refused terms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "termino",
    ["\x00", "ana\x00", "a\x01b", "a\x1fb", "a\x7fb", "a\nb"],
    ids=["nul", "nul-suffix", "soh", "unit-separator", "del", "newline"],
)
def test_busqueda_with_control_characters_is_400_json(api, tenant, termino):
    make_cliente(tenant, nombre="Ana")

    response = api.get(LIST_URL, {"busqueda": termino})

    assert_validation_error(response, "busqueda")


def test_busqueda_longer_than_200_characters_is_400(api, tenant):
    make_cliente(tenant, nombre="a" * 200)

    response = api.get(LIST_URL, {"busqueda": "a" * 201})

    assert_validation_error(response, "busqueda")
