"""The error contract: every error under /api/ is JSON with ``error``; ``detalles`` on 400 only."""

import json
import re

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from clientes import selectors
from clientes.models import Cliente
from tests.auth.helpers import CLIENTES, ME, assert_json_error, ids
from tests.factories import make_cliente, make_token, make_user

pytestmark = pytest.mark.django_db


def no_clientes_written() -> bool:
    return not Cliente.objects.unscoped().exists()


# -- 404 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/nope", "/api/nope/", "/api/auth/nope", "/api/clientes/1/nope", "/api/"]
)
def test_unknown_url_under_api_answers_404_json(anon, path):
    assert_json_error(anon.get(path), 404)


def test_unknown_url_under_api_answers_404_json_when_authenticated(api):
    assert_json_error(api.get("/api/nope"), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unknown_url_under_api_answers_404_json_for_any_method(api, method):
    assert_json_error(getattr(api, method)("/api/nope"), 404)


# -- 405 -----------------------------------------------------------------------------------


def test_delete_on_the_collection_answers_405_json(api, tenant):
    make_cliente(tenant)

    response = api.delete(CLIENTES)

    assert_json_error(response, 405)
    assert Cliente.objects.for_tenant(tenant).count() == 1


def test_delete_on_the_customers_collection_answers_405_json(api, tenant):
    cliente = make_cliente(tenant)

    response = api.delete(CLIENTES)

    assert_json_error(response, 405)
    assert Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).exists()


# -- 415 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", "nombre=Ana"),
        ("application/x-www-form-urlencoded", "nombre=Ana"),
        (
            "multipart/form-data; boundary=XyZ",
            '--XyZ\r\nContent-Disposition: form-data; name="nombre"\r\n\r\nAna\r\n--XyZ--\r\n',
        ),
    ],
    ids=["text-plain", "form-urlencoded", "multipart"],
)
def test_body_that_is_not_json_answers_415(api, content_type, body):
    response = api.post(CLIENTES, body, content_type=content_type)

    assert_json_error(response, 415)
    assert no_clientes_written()


# -- 400 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b'{"nombre": "Ana"', b"{nombre: 'Ana'}", b"", b'{"nombre": "\xff\xfe"}'],
    ids=["truncated", "not-json", "empty", "not-utf8"],
)
def test_malformed_json_answers_400_with_detalles(api, body):
    response = api.post(CLIENTES, body, content_type="application/json")

    assert_json_error(response, 400)
    assert no_clientes_written()


@pytest.mark.parametrize("body", ['["Ana"]', "[]", '"Ana"', "42", "true", "null"], ids=str)
def test_json_body_that_is_not_an_object_answers_400_with_detalles(api, body):
    response = api.post(CLIENTES, body, content_type="application/json")

    assert_json_error(response, 400)
    assert no_clientes_written()


@pytest.mark.parametrize("body", ['["Ana"]', '"Ana"'], ids=["list", "string"])
def test_update_with_a_body_that_is_not_an_object_answers_400(api, tenant, body):
    cliente = make_cliente(tenant, nombre="Original")

    response = api.patch(f"{CLIENTES}/{cliente.pk}", body, content_type="application/json")

    assert_json_error(response, 400)
    cliente.refresh_from_db()
    assert cliente.nombre == "Original"


def test_validation_error_names_the_field_in_detalles(api):
    response = api.post(CLIENTES, {"nombre": 123}, format="json")

    body = assert_json_error(response, 400)
    assert "nombre" in body["detalles"]


def test_invalid_query_parameter_answers_400_with_detalles(api, tenant, other_tenant):
    make_cliente(tenant)
    make_cliente(other_tenant)

    response = api.get(CLIENTES, {"limite": "abc"})

    body = assert_json_error(response, 400)
    assert "limite" in body["detalles"]


# -- 413 -----------------------------------------------------------------------------------


def oversized_body() -> str:
    body = json.dumps({"nombre": "Grande", "notas": "x" * settings.API_MAX_BODY_BYTES})
    assert len(body.encode()) > 1024 * 1024
    return body


def test_body_over_the_maximum_answers_413_and_writes_nothing(api):
    response = api.post(CLIENTES, oversized_body(), content_type="application/json")

    assert_json_error(response, 413)
    assert no_clientes_written()


def test_update_over_the_maximum_answers_413_and_changes_nothing(api, tenant):
    cliente = make_cliente(tenant, nombre="Original")

    response = api.put(
        f"{CLIENTES}/{cliente.pk}", oversized_body(), content_type="application/json"
    )

    assert_json_error(response, 413)
    cliente.refresh_from_db()
    assert cliente.nombre == "Original"


def test_declared_content_length_over_the_maximum_answers_413(api):
    response = api.post(
        CLIENTES,
        '{"nombre": "Ana"}',
        content_type="application/json",
        CONTENT_LENGTH=str(1024 * 1024 + 1),
    )

    assert_json_error(response, 413)
    assert no_clientes_written()


def test_body_of_exactly_the_maximum_is_not_refused_for_size(api):
    padding = settings.API_MAX_BODY_BYTES - len(json.dumps({"nombre": "Ana", "x": ""}).encode())
    body = json.dumps({"nombre": "Ana", "x": "y" * padding})
    assert len(body.encode()) == settings.API_MAX_BODY_BYTES

    response = api.post(CLIENTES, body, content_type="application/json")

    assert response.status_code == 201, response.content[:300]


# -- detalles only on 400 ------------------------------------------------------------------


def test_401_403_404_409_errors_carry_no_detalles(anon, api, tenant, other_tenant):
    foreign = make_cliente(other_tenant)
    make_cliente(tenant, documento="123")
    homeless = APIClient()
    homeless.credentials(HTTP_AUTHORIZATION=f"Token {make_token(make_user(None))}")

    assert_json_error(anon.get(CLIENTES), 401)
    assert_json_error(homeless.get(CLIENTES), 403)
    assert_json_error(api.get(f"{CLIENTES}/{foreign.pk}"), 404)
    assert_json_error(
        api.post(CLIENTES, {"nombre": "Otro", "documento": "123"}, format="json"), 409
    )


# -- 500 -----------------------------------------------------------------------------------


@pytest.fixture
def failing_list(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError('secreto: SELECT * FROM "clientes_cliente" WHERE password = 1')

    monkeypatch.setattr(selectors, "cliente_page", boom)


@pytest.fixture
def raw_api(user) -> APIClient:
    """Like ``api``, but server errors come back as responses instead of being re-raised."""
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user)}")
    return client


def test_unhandled_exception_answers_500_error_interno(failing_list, raw_api):
    response = raw_api.get(CLIENTES)

    assert_json_error(response, 500)
    assert response.json() == {"error": "Error interno del servidor"}


def test_500_shows_no_traceback_nor_internals(failing_list, raw_api):
    response = raw_api.get(CLIENTES)

    content = response.content.decode()
    for leak in ("Traceback", "RuntimeError", "secreto", "SELECT", "clientes_cliente", ".py"):
        assert leak not in content


def test_500_is_logged_with_the_details(failing_list, raw_api, caplog):
    with caplog.at_level("ERROR"):
        response = raw_api.get(CLIENTES)

    assert response.status_code == 500
    assert any(
        record.exc_info and "secreto" in str(record.exc_info[1]) for record in caplog.records
    )


# -- X-Request-ID --------------------------------------------------------------------------

WELL_FORMED_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")


@pytest.mark.parametrize("path", [ME, "/api/nope", "/healthz"])
def test_every_response_carries_a_request_id(api, path):
    response = api.get(path)

    assert WELL_FORMED_ID.match(response["X-Request-ID"])


def test_each_request_gets_its_own_request_id(api):
    assert api.get(ME)["X-Request-ID"] != api.get(ME)["X-Request-ID"]


def test_error_responses_carry_a_request_id(anon, api):
    assert anon.get(CLIENTES)["X-Request-ID"]
    too_big = api.post(CLIENTES, oversized_body(), content_type="application/json")
    assert too_big.status_code == 413
    assert too_big["X-Request-ID"]


def test_500_carries_a_request_id(failing_list, raw_api):
    response = raw_api.get(CLIENTES, HTTP_X_REQUEST_ID="trace-500")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "trace-500"


def test_well_formed_request_id_is_echoed(api, tenant, other_tenant):
    make_cliente(tenant)
    foreign = make_cliente(other_tenant)

    response = api.get(CLIENTES, HTTP_X_REQUEST_ID="abc-123.DEF_456")

    assert response["X-Request-ID"] == "abc-123.DEF_456"
    assert foreign.pk not in ids(response)


@pytest.mark.parametrize(
    "sent",
    ["con espacios", "<script>", "x" * 129, "a;b=c"],
    ids=["spaces", "markup", "long", "semi"],
)
def test_malformed_request_id_is_replaced(api, sent):
    response = api.get("/healthz", HTTP_X_REQUEST_ID=sent)

    assert response["X-Request-ID"] != sent
    assert WELL_FORMED_ID.match(response["X-Request-ID"])
