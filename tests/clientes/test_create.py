"""POST /api/clientes: the body it takes, the Cliente it answers, the documento rule."""

import pytest

from tests.clientes.helpers import (
    CLIENTE_FIELDS,
    LIST_URL,
    OPTIONAL_FIELDS,
    TEXT_FIELDS,
    assert_iso_utc,
    assert_validation_error,
    count_clientes,
    detail_url,
    parse_iso,
    stored,
)
from tests.factories import FULL_CLIENTE, make_cliente

pytestmark = pytest.mark.django_db

MENSAJE_NOMBRE = "El nombre del cliente es obligatorio"
DUPLICADO = {"error": "Ya existe un cliente con ese documento"}


def post(api, body):
    return api.post(LIST_URL, body, format="json")


# -- 201 and the Cliente it answers ----------------------------------------------------------
def test_a_created_customer_answers_with_its_location(api):
    response = post(api, {"nombre": "Ana"})

    assert response.status_code == 201
    assert response["Location"] == detail_url(response.json()["id"])
    assert api.get(response["Location"]).json() == response.json()


def test_create_answers_201_with_exactly_the_cliente_fields(api):
    response = post(api, FULL_CLIENTE)

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == CLIENTE_FIELDS
    assert isinstance(body["id"], int)
    assert {k: body[k] for k in FULL_CLIENTE} == FULL_CLIENTE


def test_create_answers_creado_en_as_iso_8601_utc_ending_in_z(api, tenant):
    body = post(api, {"nombre": "Ana"}).json()

    assert_iso_utc(body["creadoEn"])
    assert parse_iso(body["creadoEn"]) == stored(tenant, body["id"]).creado_en


def test_create_stores_the_customer_in_the_callers_tenant_only(api, tenant, other_tenant):
    body = post(api, FULL_CLIENTE).json()

    assert count_clientes(tenant) == 1
    assert count_clientes(other_tenant) == 0
    cliente = stored(tenant, body["id"])
    assert cliente.nombre == "José Álvarez"
    assert cliente.documento == "1.020.345.678"


def test_created_customer_reads_back_identically(api, other_api):
    created = post(api, FULL_CLIENTE).json()

    assert api.get(detail_url(created["id"])).json() == created
    assert other_api.get(detail_url(created["id"])).status_code == 404


def test_create_with_only_nombre_leaves_the_optional_fields_null(api, tenant):
    body = post(api, {"nombre": "Ana"}).json()

    assert {k: body[k] for k in OPTIONAL_FIELDS} == dict.fromkeys(OPTIONAL_FIELDS)
    cliente = stored(tenant, body["id"])
    assert [getattr(cliente, k) for k in OPTIONAL_FIELDS] == [None] * len(OPTIONAL_FIELDS)


def test_create_trims_every_string(api, tenant):
    padded = {k: f"  {v}   " for k, v in FULL_CLIENTE.items()}

    body = post(api, padded).json()

    assert {k: body[k] for k in FULL_CLIENTE} == FULL_CLIENTE
    cliente = stored(tenant, body["id"])
    assert {k: getattr(cliente, k) for k in FULL_CLIENTE} == FULL_CLIENTE


@pytest.mark.parametrize("field", OPTIONAL_FIELDS)
@pytest.mark.parametrize("value", ["", "   ", None], ids=["empty", "blank", "null"])
def test_create_stores_empty_or_null_optional_field_as_null(api, tenant, field, value):
    response = post(api, {**FULL_CLIENTE, field: value})

    assert response.status_code == 201, response.content
    assert response.json()[field] is None
    assert getattr(stored(tenant, response.json()["id"]), field) is None


def test_create_allows_many_customers_without_documento(api, tenant):
    for documento in [None, "", None, "  "]:
        assert post(api, {"nombre": "Sin documento", "documento": documento}).status_code == 201

    assert count_clientes(tenant) == 4


def test_create_ignores_id_creado_en_and_tenant_fields(api, tenant, other_tenant):
    existing = make_cliente(other_tenant, nombre="Ajeno")
    body = {
        "nombre": "Ana",
        "id": existing.pk,
        "creadoEn": "2000-01-01T00:00:00Z",
        "creado_en": "2000-01-01T00:00:00Z",
        "tenant": other_tenant.pk,
        "tenant_id": other_tenant.pk,
        "tenantId": other_tenant.pk,
        "empresa": other_tenant.pk,
        "empresaId": other_tenant.pk,
        "empresa_id": other_tenant.pk,
    }

    response = post(api, body)

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["id"] != existing.pk
    assert not created["creadoEn"].startswith("2000-")
    assert stored(tenant, created["id"]).nombre == "Ana"
    assert count_clientes(other_tenant) == 1
    assert stored(other_tenant, existing.pk).nombre == "Ajeno"


# -- nombre ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [{}, {"documento": "123"}, {"nombre": ""}, {"nombre": "   "}, {"nombre": None}],
    ids=["empty-body", "missing", "empty", "whitespace", "null"],
)
def test_create_without_a_nombre_is_400_and_writes_nothing(api, tenant, body):
    response = post(api, body)

    body = assert_validation_error(response, "nombre")
    assert body["error"] == MENSAJE_NOMBRE
    assert count_clientes(tenant) == 0


def test_create_with_nombre_of_201_characters_is_400(api, tenant):
    response = post(api, {"nombre": "a" * 201})

    assert_validation_error(response, "nombre")
    assert count_clientes(tenant) == 0


def test_create_with_nombre_of_200_characters_is_accepted(api, tenant):
    response = post(api, {"nombre": "ñ" * 200})

    assert response.status_code == 201, response.content
    assert stored(tenant, response.json()["id"]).nombre == "ñ" * 200


def test_create_measures_nombre_after_trimming(api, tenant):
    response = post(api, {"nombre": "  " + "a" * 200 + "  "})

    assert response.status_code == 201, response.content
    assert response.json()["nombre"] == "a" * 200


# -- email -----------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["no-es-email", "ana@", "@example.com", "ana @example.com"])
def test_create_with_an_invalid_email_is_400_and_writes_nothing(api, tenant, email):
    response = post(api, {"nombre": "Ana", "email": email})

    assert_validation_error(response, "email")
    assert count_clientes(tenant) == 0


# -- types and malformed bodies --------------------------------------------------------------


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(
    "value",
    [123, 1.5, True, ["Ana"], {"valor": "Ana"}],
    ids=["int", "float", "bool", "list", "obj"],
)
def test_create_with_a_non_string_field_is_400_and_writes_nothing(api, tenant, field, value):
    response = post(api, {**FULL_CLIENTE, field: value})

    assert_validation_error(response, field)
    assert count_clientes(tenant) == 0


@pytest.mark.parametrize(
    "body", [[FULL_CLIENTE], "José", 5, None], ids=["array", "str", "num", "null"]
)
def test_create_with_a_body_that_is_not_an_object_is_400(api, tenant, body):
    response = api.post(LIST_URL, body, format="json")

    assert response.status_code == 400, response.content
    assert isinstance(response.json()["error"], str)
    assert count_clientes(tenant) == 0


def test_create_with_malformed_json_is_400(api, tenant):
    response = api.post(LIST_URL, '{"nombre": "Ana",', content_type="application/json")

    assert response.status_code == 400, response.content
    assert isinstance(response.json()["error"], str)
    assert count_clientes(tenant) == 0


# -- documento uniqueness --------------------------------------------------------------------


def test_create_with_the_same_documento_in_the_tenant_is_409(api, tenant):
    make_cliente(tenant, nombre="Primero", documento="1020345678")

    response = post(api, {"nombre": "Segundo", "documento": "1020345678"})

    assert response.status_code == 409
    assert response.json() == DUPLICADO
    assert count_clientes(tenant) == 1


@pytest.mark.parametrize(
    ("existing", "sent"),
    [
        ("1020345678", "1.020.345-678"),
        ("1.020.345-678", "1020345678"),
        ("1 020 345 678", "1.020.345.678"),
        ("AB-123", "ab 123"),
        ("ab123", "AB123"),
        ("1020345678", "  1020345678  "),
        ("1020345678", "1\u00a0020\u00a0345\u00a0678"),
    ],
    ids=[
        "dots-dash",
        "plain",
        "spaces",
        "letters-case",
        "letters-upper",
        "padded",
        "no-break-space",
    ],
)
def test_create_with_a_canonically_equal_documento_is_409(api, tenant, existing, sent):
    make_cliente(tenant, nombre="Primero", documento=existing)

    response = post(api, {"nombre": "Segundo", "documento": sent})

    assert response.status_code == 409
    assert response.json() == DUPLICADO
    assert count_clientes(tenant) == 1


def test_create_with_a_documento_used_in_another_tenant_is_accepted(api, tenant, other_tenant):
    make_cliente(other_tenant, nombre="Ajeno", documento="1.020.345-678")

    response = post(api, {"nombre": "Propio", "documento": "1020345678"})

    assert response.status_code == 201, response.content
    assert count_clientes(tenant) == 1
    assert count_clientes(other_tenant) == 1


def test_create_with_a_different_documento_is_accepted(api, tenant):
    make_cliente(tenant, nombre="Primero", documento="1020345678")

    response = post(api, {"nombre": "Segundo", "documento": "10203456789"})

    assert response.status_code == 201, response.content
    assert count_clientes(tenant) == 2


def test_create_stores_documento_as_sent_but_trimmed(api, tenant):
    response = post(api, {"nombre": "Ana", "documento": "  1.020.345-678 "})

    assert response.status_code == 201
    assert response.json()["documento"] == "1.020.345-678"
    assert stored(tenant, response.json()["id"]).documento == "1.020.345-678"
