"""GET /api/clientes?busqueda=: what a term finds. What finds nothing, and the terms that are
no filter or are refused: test_search_terms."""

import pytest

from tests.clientes.helpers import LIST_URL, behaviour_params, search
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db


def crear(api, **body) -> int:
    """A customer created through the API (whatever it does on input applies); its id."""
    response = api.post(LIST_URL, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


# behaviour: (termino, the customer it finds, a customer of the same tenant it must not find).
# The twin of the customer found, in another tenant, must never be found either.
FINDS_ONLY_THE_MATCH = {
    # -- case and accents
    "ignores-case-of-the-term": ("ANA", {"nombre": "ana pérez"}, {"nombre": "Beatriz Gómez"}),
    "ignores-case-of-the-stored-nombre": (
        "ana",
        {"nombre": "ANA PÉREZ"},
        {"nombre": "Beatriz Gómez"},
    ),
    "ignores-accents-in-nombre": ("jose", {"nombre": "José Álvarez"}, {"nombre": "Juan Pérez"}),
    "uppercase-without-accents-finds-accented-nombre": (
        "ALVAREZ",
        {"nombre": "José Álvarez"},
        {"nombre": "Juan Pérez"},
    ),
    "with-accents-finds-nombre-stored-without-them": (
        "JOSÉ ÁLVAREZ",
        {"nombre": "Jose Alvarez"},
        {"nombre": "Juan Perez"},
    ),
    # "JOSÉ" typed as E + U+0301 COMBINING ACUTE ACCENT (NFD), as macOS keyboards send it.
    "with-decomposed-accents-finds-composed-nombre": (
        "JOSE\u0301",
        {"nombre": "José Álvarez"},
        {"nombre": "Juan Pérez"},
    ),
    "ignores-accents-in-email": (
        "CAFÉ",
        {"nombre": "Cliente", "email": "info@cafe.example"},
        {"nombre": "Otro", "email": "info@te.example"},
    ),
    # -- fields searched
    "matches-a-substring-in-the-middle-of-nombre": (
        "la esq",
        {"nombre": "Ferretería La Esquina"},
        {"nombre": "Panadería Central"},
    ),
    "matches-documento": (
        "7788",
        {"nombre": "Uno", "documento": "CC-778899"},
        {"nombre": "Dos", "documento": "CC-112233"},
    ),
    "matches-letters-of-documento-case-insensitively": (
        "ab12",
        {"nombre": "Uno", "documento": "AB-12345"},
        {"nombre": "Dos", "documento": "XY-12345"},
    ),
    "matches-email": (
        "Ventas@Ferreteria",
        {"nombre": "Uno", "email": "ventas@ferreteria.example"},
        {"nombre": "Dos", "email": "compras@panaderia.example"},
    ),
    "matches-email-with-its-dots": (
        "jose.alvarez@",
        {"nombre": "Uno", "email": "jose.alvarez@example.com"},
        {"nombre": "Dos", "email": "maria@example.com"},
    ),
    "matches-telefono": (
        "98765",
        {"nombre": "Uno", "telefono": "3109876543"},
        {"nombre": "Dos", "telefono": "3001112233"},
    ),
    # -- punctuation in documento and telefono
    "without-punctuation-finds-punctuated-telefono": (
        "3001234567",
        {"nombre": "Uno", "telefono": "300 123-4567"},
        {"nombre": "Dos", "telefono": "300 765-4321"},
    ),
    "with-punctuation-finds-unpunctuated-telefono": (
        "300.123",
        {"nombre": "Uno", "telefono": "3001234567"},
        {"nombre": "Dos", "telefono": "3109999999"},
    ),
    "with-other-punctuation-finds-punctuated-telefono": (
        "300-123 45",
        {"nombre": "Uno", "telefono": "300.123.45.67"},
        {"nombre": "Dos", "telefono": "3109999999"},
    ),
    "without-punctuation-finds-punctuated-documento": (
        "1020345678",
        {"nombre": "Uno", "documento": "1.020.345-678"},
        {"nombre": "Dos", "documento": "9.999.999-999"},
    ),
    "with-punctuation-finds-unpunctuated-documento": (
        "1.020 345-6",
        {"nombre": "Uno", "documento": "1020345678"},
        {"nombre": "Dos", "documento": "9999999999"},
    ),
    # -- characters that are wildcards in SQL
    "percent-is-a-plain-character": (
        "%",
        {"nombre": "Descuento 100% Algodón"},
        {"nombre": "Ana", "documento": "123", "email": "a@example.com", "telefono": "300"},
    ),
    "underscore-is-a-plain-character": (
        "a_b",
        {"nombre": "a_b"},
        {"nombre": "axb", "documento": "axb", "email": "axb@example.com", "telefono": "axb"},
    ),
    "backslash-is-a-plain-character": (
        "\\",
        {"nombre": "Ruta C:\\tienda"},
        {"nombre": "Ruta C:tienda", "documento": "123", "email": "c@example.com"},
    ),
    "backslash-is-a-plain-character-before-a-letter": (
        "c:\\t",
        {"nombre": "Ruta C:\\tienda"},
        {"nombre": "Ruta C:tienda", "documento": "123", "email": "c@example.com"},
    ),
    # -- short and long terms
    "one-character-still-matches": (
        "z",
        {"nombre": "Zoé"},
        {"nombre": "Ana", "documento": "123", "email": "ana@example.com"},
    ),
    "one-digit-matches-telefono": (
        "7",
        {"nombre": "Uno", "telefono": "300 7"},
        {"nombre": "Dos", "telefono": "300 1"},
    ),
    "two-characters-still-match": (
        "ui",
        {"nombre": "Lía Ruiz"},
        {"nombre": "Ana", "documento": "123", "email": "ana@example.com"},
    ),
    "200-characters-are-accepted": ("a" * 200, {"nombre": "á" * 200}, {"nombre": "a" * 199}),
}

# The same, for a customer created with a POST: what the API stores is what must be found.
FINDS_ONLY_THE_MATCH_SENT_TO_THE_API = {
    # Pasted from a macOS app: accents decomposed (NFD).
    "finds-nombre-stored-with-decomposed-accents": (
        "jose alvarez",
        {"nombre": "Jose\u0301 A\u0301lvarez"},
        {"nombre": "Juan Pérez"},
    ),
    # U+00A0 NO-BREAK SPACE: what a number copied from a web page or a spreadsheet carries.
    "ignores-no-break-spaces-in-telefono": (
        "3001234567",
        {"nombre": "Uno", "telefono": "300\u00a0123\u00a04567"},
        {"nombre": "Dos", "telefono": "3109999999"},
    ),
}


@pytest.mark.parametrize(
    "termino, match, decoy, made_by",
    behaviour_params(FINDS_ONLY_THE_MATCH, "service")
    + behaviour_params(FINDS_ONLY_THE_MATCH_SENT_TO_THE_API, "post"),
)
def test_busqueda_finds_only_the_matching_customer(
    api, tenant, other_tenant, termino, match, decoy, made_by
):
    expected = crear(api, **match) if made_by == "post" else make_cliente(tenant, **match).pk
    make_cliente(tenant, **decoy)
    make_cliente(other_tenant, **match)

    assert search(api, termino) == [expected]


def test_busqueda_returns_every_customer_matching_in_any_field(api, tenant, other_tenant):
    by_nombre = make_cliente(tenant, nombre="Marta 55")
    by_documento = make_cliente(tenant, nombre="Uno", documento="55-01")
    by_email = make_cliente(tenant, nombre="Dos", email="cliente55@example.com")
    by_telefono = make_cliente(tenant, nombre="Tres", telefono="300 55 00")
    make_cliente(tenant, nombre="Nadie", documento="99", email="x@example.com", telefono="1")
    make_cliente(other_tenant, nombre="Ajeno 55", documento="55")

    found = search(api, "55")

    assert found == sorted(
        [by_nombre.pk, by_documento.pk, by_email.pk, by_telefono.pk], reverse=True
    )
