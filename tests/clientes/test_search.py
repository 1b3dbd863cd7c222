"""GET /api/clientes?busqueda=: what matches, what does not, and which terms are refused."""

import pytest

from tests.clientes.helpers import LIST_URL, assert_validation_error, ids
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db


def search(api, termino: str) -> list[int]:
    return ids(api.get(LIST_URL, {"busqueda": termino}))


def crear(api, **body) -> int:
    """A customer created through the API (whatever it does on input applies); its id."""
    response = api.post(LIST_URL, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def same_in_other_tenant(other_tenant, **fields):
    """A customer of another tenant that would match the same search: it must never show."""
    return make_cliente(other_tenant, **fields)


# -- case and accents ------------------------------------------------------------------------


def test_busqueda_ignores_case_of_the_term(api, tenant, other_tenant):
    ana = make_cliente(tenant, nombre="ana pérez")
    make_cliente(tenant, nombre="Beatriz Gómez")
    same_in_other_tenant(other_tenant, nombre="ana pérez")

    assert search(api, "ANA") == [ana.pk]


def test_busqueda_ignores_case_of_the_stored_nombre(api, tenant, other_tenant):
    ana = make_cliente(tenant, nombre="ANA PÉREZ")
    make_cliente(tenant, nombre="Beatriz Gómez")
    same_in_other_tenant(other_tenant, nombre="ANA PÉREZ")

    assert search(api, "ana") == [ana.pk]


def test_busqueda_ignores_accents_in_nombre(api, tenant, other_tenant):
    jose = make_cliente(tenant, nombre="José Álvarez")
    make_cliente(tenant, nombre="Juan Pérez")
    same_in_other_tenant(other_tenant, nombre="José Álvarez")

    assert search(api, "jose") == [jose.pk]


def test_busqueda_uppercase_without_accents_finds_accented_nombre(api, tenant, other_tenant):
    jose = make_cliente(tenant, nombre="José Álvarez")
    make_cliente(tenant, nombre="Juan Pérez")
    same_in_other_tenant(other_tenant, nombre="José Álvarez")

    assert search(api, "ALVAREZ") == [jose.pk]


def test_busqueda_with_accents_finds_nombre_stored_without_them(api, tenant, other_tenant):
    jose = make_cliente(tenant, nombre="Jose Alvarez")
    make_cliente(tenant, nombre="Juan Perez")
    same_in_other_tenant(other_tenant, nombre="Jose Alvarez")

    assert search(api, "JOSÉ ÁLVAREZ") == [jose.pk]


def test_busqueda_with_decomposed_accents_finds_composed_nombre(api, tenant, other_tenant):
    # "JOSÉ" typed as E + U+0301 COMBINING ACUTE ACCENT (NFD), as macOS keyboards send it.
    jose = make_cliente(tenant, nombre="José Álvarez")
    make_cliente(tenant, nombre="Juan Pérez")
    same_in_other_tenant(other_tenant, nombre="José Álvarez")

    assert search(api, "JOSE\u0301") == [jose.pk]


def test_busqueda_finds_nombre_stored_with_decomposed_accents(api, tenant, other_tenant):
    # Stored as sent through the API, e.g. pasted from a macOS app (NFD).
    jose_id = crear(api, nombre="Jose\u0301 A\u0301lvarez")
    make_cliente(tenant, nombre="Juan Pérez")
    same_in_other_tenant(other_tenant, nombre="Jose\u0301 A\u0301lvarez")

    assert search(api, "jose alvarez") == [jose_id]


def test_busqueda_ignores_accents_in_email(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Cliente", email="info@cafe.example")
    make_cliente(tenant, nombre="Otro", email="info@te.example")
    same_in_other_tenant(other_tenant, nombre="Ajeno", email="info@cafe.example")

    assert search(api, "CAFÉ") == [cliente.pk]


# -- fields searched -------------------------------------------------------------------------


def test_busqueda_matches_a_substring_in_the_middle_of_nombre(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Ferretería La Esquina")
    make_cliente(tenant, nombre="Panadería Central")
    same_in_other_tenant(other_tenant, nombre="Ferretería La Esquina")

    assert search(api, "la esq") == [cliente.pk]


def test_busqueda_matches_documento(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", documento="CC-778899")
    make_cliente(tenant, nombre="Dos", documento="CC-112233")
    same_in_other_tenant(other_tenant, nombre="Ajeno", documento="CC-778899")

    assert search(api, "7788") == [cliente.pk]


def test_busqueda_matches_letters_of_documento_case_insensitively(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", documento="AB-12345")
    make_cliente(tenant, nombre="Dos", documento="XY-12345")
    same_in_other_tenant(other_tenant, nombre="Ajeno", documento="AB-12345")

    assert search(api, "ab12") == [cliente.pk]


def test_busqueda_matches_email(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", email="ventas@ferreteria.example")
    make_cliente(tenant, nombre="Dos", email="compras@panaderia.example")
    same_in_other_tenant(other_tenant, nombre="Ajeno", email="ventas@ferreteria.example")

    assert search(api, "Ventas@Ferreteria") == [cliente.pk]


def test_busqueda_matches_email_with_its_dots(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", email="jose.alvarez@example.com")
    make_cliente(tenant, nombre="Dos", email="maria@example.com")
    same_in_other_tenant(other_tenant, nombre="Ajeno", email="jose.alvarez@example.com")

    assert search(api, "jose.alvarez@") == [cliente.pk]


def test_busqueda_matches_telefono(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", telefono="3109876543")
    make_cliente(tenant, nombre="Dos", telefono="3001112233")
    same_in_other_tenant(other_tenant, nombre="Ajeno", telefono="3109876543")

    assert search(api, "98765") == [cliente.pk]


def test_busqueda_returns_every_customer_matching_in_any_field(api, tenant, other_tenant):
    by_nombre = make_cliente(tenant, nombre="Marta 55")
    by_documento = make_cliente(tenant, nombre="Uno", documento="55-01")
    by_email = make_cliente(tenant, nombre="Dos", email="cliente55@example.com")
    by_telefono = make_cliente(tenant, nombre="Tres", telefono="300 55 00")
    make_cliente(tenant, nombre="Nadie", documento="99", email="x@example.com", telefono="1")
    same_in_other_tenant(other_tenant, nombre="Ajeno 55", documento="55")

    found = search(api, "55")

    assert found == sorted(
        [by_nombre.pk, by_documento.pk, by_email.pk, by_telefono.pk], reverse=True
    )


def test_busqueda_does_not_look_at_direccion_or_notas(api, tenant, other_tenant):
    make_cliente(tenant, nombre="Uno", direccion="Calle Zafiro 12", notas="Zafiro")
    same_in_other_tenant(other_tenant, nombre="Zafiro")

    assert search(api, "zafiro") == []


def test_busqueda_does_not_match_across_two_fields(api, tenant, other_tenant):
    make_cliente(tenant, nombre="Ana", email="belen@example.com", documento="12345", telefono="678")
    same_in_other_tenant(other_tenant, nombre="Anabelen")

    assert search(api, "anabelen") == []
    assert search(api, "45678") == []


def test_busqueda_without_matches_answers_an_empty_array(api, tenant, other_tenant):
    make_cliente(tenant, nombre="Ana")
    same_in_other_tenant(other_tenant, nombre="Inexistente")

    response = api.get(LIST_URL, {"busqueda": "inexistente"})

    assert response.status_code == 200
    assert response.json() == []


# -- punctuation in documento and telefono ---------------------------------------------------


def test_busqueda_without_punctuation_finds_punctuated_telefono(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", telefono="300 123-4567")
    make_cliente(tenant, nombre="Dos", telefono="300 765-4321")
    same_in_other_tenant(other_tenant, nombre="Ajeno", telefono="300 123-4567")

    assert search(api, "3001234567") == [cliente.pk]


def test_busqueda_with_punctuation_finds_unpunctuated_telefono(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", telefono="3001234567")
    make_cliente(tenant, nombre="Dos", telefono="3109999999")
    same_in_other_tenant(other_tenant, nombre="Ajeno", telefono="3001234567")

    assert search(api, "300.123") == [cliente.pk]


def test_busqueda_with_other_punctuation_finds_punctuated_telefono(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", telefono="300.123.45.67")
    make_cliente(tenant, nombre="Dos", telefono="3109999999")
    same_in_other_tenant(other_tenant, nombre="Ajeno", telefono="300 123 4567")

    assert search(api, "300-123 45") == [cliente.pk]


def test_busqueda_without_punctuation_finds_punctuated_documento(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", documento="1.020.345-678")
    make_cliente(tenant, nombre="Dos", documento="9.999.999-999")
    same_in_other_tenant(other_tenant, nombre="Ajeno", documento="1.020.345-678")

    assert search(api, "1020345678") == [cliente.pk]


def test_busqueda_with_punctuation_finds_unpunctuated_documento(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", documento="1020345678")
    make_cliente(tenant, nombre="Dos", documento="9999999999")
    same_in_other_tenant(other_tenant, nombre="Ajeno", documento="1020345678")

    assert search(api, "1.020 345-6") == [cliente.pk]


def test_busqueda_ignores_no_break_spaces_in_telefono(api, tenant, other_tenant):
    # U+00A0 NO-BREAK SPACE: what a number copied from a web page or a spreadsheet carries.
    cliente_id = crear(api, nombre="Uno", telefono="300\u00a0123\u00a04567")
    make_cliente(tenant, nombre="Dos", telefono="3109999999")
    same_in_other_tenant(other_tenant, nombre="Ajeno", telefono="300\u00a0123\u00a04567")

    assert search(api, "3001234567") == [cliente_id]


# -- characters that are wildcards in SQL -----------------------------------------------------


def test_busqueda_percent_is_a_plain_character(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Descuento 100% Algodón")
    make_cliente(tenant, nombre="Ana", documento="123", email="a@example.com", telefono="300")
    same_in_other_tenant(other_tenant, nombre="Ajeno 100%")

    assert search(api, "%") == [cliente.pk]


def test_busqueda_percent_between_letters_is_not_a_wildcard(api, tenant, other_tenant):
    make_cliente(tenant, nombre="Ana María")
    same_in_other_tenant(other_tenant, nombre="Ana%María")

    assert search(api, "ana%maria") == []


def test_busqueda_underscore_is_a_plain_character(api, tenant, other_tenant):
    literal = make_cliente(tenant, nombre="a_b")
    make_cliente(tenant, nombre="axb", documento="axb", email="axb@example.com", telefono="axb")
    same_in_other_tenant(other_tenant, nombre="a_b")

    assert search(api, "a_b") == [literal.pk]


def test_busqueda_backslash_is_a_plain_character(api, tenant, other_tenant):
    literal = make_cliente(tenant, nombre="Ruta C:\\tienda")
    make_cliente(tenant, nombre="Ruta C:tienda", documento="123", email="c@example.com")
    same_in_other_tenant(other_tenant, nombre="Ruta C:\\tienda")

    assert search(api, "\\") == [literal.pk]
    assert search(api, "c:\\t") == [literal.pk]


def test_busqueda_backslash_does_not_escape_the_next_character(api, tenant, other_tenant):
    make_cliente(tenant, nombre="100%")
    same_in_other_tenant(other_tenant, nombre="100\\%")

    assert search(api, "\\%") == []


# -- empty, blank and short terms ------------------------------------------------------------


@pytest.mark.parametrize("termino", ["", "   "], ids=["empty", "blank"])
def test_empty_or_blank_busqueda_means_no_filter(api, tenant, other_tenant, termino):
    own = [make_cliente(tenant, nombre=f"Cliente {i}").pk for i in range(3)]
    same_in_other_tenant(other_tenant, nombre="Ajeno")

    assert search(api, termino) == sorted(own, reverse=True)


def test_one_character_busqueda_still_matches(api, tenant, other_tenant):
    zoe = make_cliente(tenant, nombre="Zoé")
    make_cliente(tenant, nombre="Ana", documento="123", email="ana@example.com")
    same_in_other_tenant(other_tenant, nombre="Zoé")

    assert search(api, "z") == [zoe.pk]


def test_one_digit_busqueda_matches_telefono(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Uno", telefono="300 7")
    make_cliente(tenant, nombre="Dos", telefono="300 1")
    same_in_other_tenant(other_tenant, nombre="Ajeno", telefono="7")

    assert search(api, "7") == [cliente.pk]


def test_two_character_busqueda_still_matches(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Lía Ruiz")
    make_cliente(tenant, nombre="Ana", documento="123", email="ana@example.com")
    same_in_other_tenant(other_tenant, nombre="Lía Ruiz")

    assert search(api, "ui") == [cliente.pk]


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


def test_busqueda_of_200_characters_is_accepted(api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="á" * 200)
    same_in_other_tenant(other_tenant, nombre="a" * 200)

    assert search(api, "a" * 200) == [cliente.pk]
