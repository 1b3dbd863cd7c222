"""Requests at the edges of HTTP that must still get the contract's JSON answers."""

import pytest

from tenants.models import User
from tests.auth.helpers import CLIENTES, LOGOUT, ME, assert_json_error, csrf_token, session_client
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db


def test_more_than_a_thousand_query_parameters_is_a_400(api):
    query = "&".join(f"p{i}=1" for i in range(1200))

    assert_json_error(api.get(f"{CLIENTES}?{query}"), 400)


def test_format_is_an_ordinary_ignored_query_parameter(api, tenant):
    make_cliente(tenant)

    response = api.get(CLIENTES, {"format": "xml"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_a_chunked_body_without_content_length_is_411(api):
    response = api.generic(
        "POST", CLIENTES, b"", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked"
    )

    assert_json_error(response, 411)


@pytest.mark.parametrize("body", [b"null", b"[]", b'"x"', b"3"])
def test_a_body_that_is_not_an_object_gets_a_spanish_400(api, body):
    response = api.generic("POST", CLIENTES, body, content_type="application/json")

    error = assert_json_error(response, 400)
    assert error["error"] == "El cuerpo de la solicitud debe ser un objeto JSON"


def test_cross_origin_frontends_can_read_link_retry_after_and_request_id(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = api.get(CLIENTES, HTTP_ORIGIN="https://app.example.com")

    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"link", "retry-after", "x-request-id"} <= exposed


def test_a_suspended_user_can_still_log_out(user):
    client = session_client(user, enforce_csrf_checks=True)
    token = csrf_token(client)
    User.objects.filter(pk=user.pk).update(estado=User.Estado.SUSPENDIDO)

    assert client.post(LOGOUT, HTTP_X_CSRFTOKEN=token).status_code == 204
    User.objects.filter(pk=user.pk).update(estado=User.Estado.ACTIVO)
    assert_json_error(client.get(ME), 401)


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_whatever_the_host_header(anon, path):
    response = anon.get(path, HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
