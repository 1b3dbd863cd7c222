"""PUT and PATCH /api/clientes/{id}: both partial; the documento rule; tenant confinement."""

import pytest

from tests.clientes.helpers import (
    CLIENTE_FIELDS,
    LIST_URL,
    OPTIONAL_FIELDS,
    TEXT_FIELDS,
    assert_validation_error,
    detail_url,
    snapshot,
    stored,
)
from tests.factories import FULL_CLIENTE, make_cliente, make_full_cliente

pytestmark = pytest.mark.django_db

EN_USO = {"error": "El documento ya está en uso"}
NO_ENCONTRADO = {"error": "Cliente no encontrado"}


@pytest.fixture(params=["put", "patch"])
def send(request, api):
    """PUT and PATCH are the same partial update: every test runs with both."""

    def _send(pk, body, client=api):
        return getattr(client, request.param)(detail_url(pk), body, format="json")

    return _send


@pytest.fixture(autouse=True)
def _twin_in_other_tenant_is_never_touched(other_tenant):
    """Another tenant's customer with the same data: no update here may ever reach it."""
    twin = make_full_cliente(other_tenant)
    before = snapshot(other_tenant, twin.pk)
    yield
    assert snapshot(other_tenant, twin.pk) == before


# -- partial update --------------------------------------------------------------------------


def test_update_answers_200_with_the_updated_cliente(send, api, cliente):
    response = send(cliente.pk, {"nombre": "José A. Álvarez"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == CLIENTE_FIELDS
    assert body["nombre"] == "José A. Álvarez"
    assert body == api.get(detail_url(cliente.pk)).json()


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_update_changes_only_the_sent_field(send, tenant, cliente, field):
    before = snapshot(tenant, cliente.pk)
    new_value = "nuevo@example.com" if field == "email" else "Nuevo 123"

    response = send(cliente.pk, {field: new_value})

    assert response.status_code == 200, response.content
    after = snapshot(tenant, cliente.pk)
    assert after == {**before, field: new_value}
    assert {k: response.json()[k] for k in TEXT_FIELDS} == {k: after[k] for k in TEXT_FIELDS}


def test_update_with_an_empty_body_changes_nothing(send, tenant, cliente):
    before = snapshot(tenant, cliente.pk)

    response = send(cliente.pk, {})

    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in FULL_CLIENTE} == FULL_CLIENTE
    assert snapshot(tenant, cliente.pk) == before


def test_update_trims_strings(send, tenant, cliente):
    response = send(cliente.pk, {"nombre": "  Ana  ", "telefono": " 301 000 0000 "})

    assert response.status_code == 200, response.content
    assert response.json()["nombre"] == "Ana"
    assert stored(tenant, cliente.pk).telefono == "301 000 0000"


@pytest.mark.parametrize("field", OPTIONAL_FIELDS)
@pytest.mark.parametrize("value", ["", None], ids=["empty", "null"])
def test_update_with_empty_or_null_clears_the_optional_field(send, tenant, cliente, field, value):
    response = send(cliente.pk, {field: value})

    assert response.status_code == 200, response.content
    assert response.json()[field] is None
    assert getattr(stored(tenant, cliente.pk), field) is None
    assert stored(tenant, cliente.pk).nombre == FULL_CLIENTE["nombre"]


def test_update_ignores_id_creado_en_and_tenant_fields(send, tenant, other_tenant, cliente):
    before = snapshot(tenant, cliente.pk)

    response = send(
        cliente.pk,
        {
            "id": cliente.pk + 1000,
            "creadoEn": "2000-01-01T00:00:00Z",
            "tenant": other_tenant.pk,
            "empresa": other_tenant.pk,
            "notas": "cambiada",
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["id"] == cliente.pk
    after = snapshot(tenant, cliente.pk)
    assert after == {**before, "notas": "cambiada"}


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", ["", "   ", None], ids=["empty", "whitespace", "null"])
def test_update_with_a_blank_nombre_is_400_and_changes_nothing(send, tenant, cliente, nombre):
    before = snapshot(tenant, cliente.pk)

    response = send(cliente.pk, {"nombre": nombre, "notas": "cambiada"})

    assert_validation_error(response, "nombre")
    assert snapshot(tenant, cliente.pk) == before


def test_update_with_nombre_of_201_characters_is_400(send, tenant, cliente):
    before = snapshot(tenant, cliente.pk)

    response = send(cliente.pk, {"nombre": "a" * 201})

    assert_validation_error(response, "nombre")
    assert snapshot(tenant, cliente.pk) == before


def test_update_with_an_invalid_email_is_400_and_changes_nothing(send, tenant, cliente):
    before = snapshot(tenant, cliente.pk)

    response = send(cliente.pk, {"email": "no-es-email", "notas": "cambiada"})

    assert_validation_error(response, "email")
    assert snapshot(tenant, cliente.pk) == before


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("value", [7, False, ["x"], {"x": "y"}], ids=["num", "bool", "list", "obj"])
def test_update_with_a_non_string_field_is_400_and_changes_nothing(
    send, tenant, cliente, field, value
):
    before = snapshot(tenant, cliente.pk)

    response = send(cliente.pk, {field: value})

    assert_validation_error(response, field)
    assert snapshot(tenant, cliente.pk) == before


@pytest.mark.parametrize("body", [[{"nombre": "Otro"}], "Otro", 5], ids=["array", "str", "num"])
def test_update_with_a_body_that_is_not_an_object_is_400(send, tenant, cliente, body):
    before = snapshot(tenant, cliente.pk)

    response = send(cliente.pk, body)

    assert response.status_code == 400, response.content
    assert isinstance(response.json()["error"], str)
    assert snapshot(tenant, cliente.pk) == before


# -- documento uniqueness --------------------------------------------------------------------


@pytest.mark.parametrize("sent", ["5.555.555", "5555555", " 5 555-555 "])
def test_update_to_a_documento_of_another_customer_is_409(send, tenant, cliente, sent):
    make_cliente(tenant, nombre="Otro", documento="5.555.555")
    before = snapshot(tenant, cliente.pk)

    response = send(cliente.pk, {"documento": sent, "notas": "cambiada"})

    assert response.status_code == 409
    assert response.json() == EN_USO
    assert snapshot(tenant, cliente.pk) == before


def test_update_keeping_its_own_documento_is_accepted(send, tenant, cliente):
    response = send(cliente.pk, {"documento": FULL_CLIENTE["documento"], "notas": "cambiada"})

    assert response.status_code == 200, response.content
    assert stored(tenant, cliente.pk).notas == "cambiada"


def test_update_to_a_punctuation_variant_of_its_own_documento_is_accepted(send, tenant, cliente):
    response = send(cliente.pk, {"documento": "1020345-678"})

    assert response.status_code == 200, response.content
    assert response.json()["documento"] == "1020345-678"
    assert stored(tenant, cliente.pk).documento == "1020345-678"


def test_update_clearing_documento_when_others_have_none_is_accepted(send, tenant, cliente):
    make_cliente(tenant, nombre="Sin documento", documento=None)

    response = send(cliente.pk, {"documento": None})

    assert response.status_code == 200, response.content
    assert stored(tenant, cliente.pk).documento is None


def test_update_to_a_documento_used_in_another_tenant_is_accepted(
    send, tenant, other_tenant, cliente
):
    ajeno = make_cliente(other_tenant, nombre="Ajeno", documento="7.777.777")

    response = send(cliente.pk, {"documento": "7777777"})

    assert response.status_code == 200, response.content
    assert stored(tenant, cliente.pk).documento == "7777777"
    assert stored(other_tenant, ajeno.pk).documento == "7.777.777"


def test_update_frees_the_old_documento_for_other_customers(send, api, tenant, cliente):
    assert send(cliente.pk, {"documento": "999"}).status_code == 200

    response = api.post(
        LIST_URL, {"nombre": "Nuevo", "documento": FULL_CLIENTE["documento"]}, format="json"
    )

    assert response.status_code == 201, response.content


# -- tenant confinement ----------------------------------------------------------------------


def test_update_of_another_tenants_customer_is_404_and_changes_nothing(send, other_tenant):
    ajeno = make_full_cliente(other_tenant, documento="ajeno-1")
    before = snapshot(other_tenant, ajeno.pk)

    response = send(ajeno.pk, {"nombre": "Secuestrado", "documento": None})

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO
    assert snapshot(other_tenant, ajeno.pk) == before


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("raw_id", ["abc", "0", "-1", "99999999999999999999"])
def test_update_with_an_invalid_id_is_404(api, tenant, cliente, method, raw_id):
    before = snapshot(tenant, cliente.pk)

    response = getattr(api, method)(f"{LIST_URL}/{raw_id}", {"nombre": "Otro"}, format="json")

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO
    assert snapshot(tenant, cliente.pk) == before
