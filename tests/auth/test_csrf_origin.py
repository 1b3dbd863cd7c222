"""A session request from an untrusted origin is refused for what it is: its origin, not a
missing CSRF token (which it has); the same request from the API's own origin goes through."""

import pytest

from clientes.models import Cliente
from tests.auth.helpers import CLIENTES, assert_json_error, csrf_token, session_client

pytestmark = pytest.mark.django_db

ORIGEN = {"error": "El origen de la solicitud no es de confianza (cabeceras Origin o Referer)"}
SIN_TOKEN = {"error": "Falta el token CSRF o no es válido (cabecera X-CSRFToken)"}


def post(client, token: str | None, **headers):
    extra = {"HTTP_X_CSRFTOKEN": token} if token else {}
    return client.post(CLIENTES, {"nombre": "Cliente"}, format="json", **extra, **headers)


def test_an_untrusted_origin_with_a_valid_token_is_refused_for_its_origin(user):
    client = session_client(user, enforce_csrf_checks=True)

    response = post(client, csrf_token(client), HTTP_ORIGIN="https://otra-tienda.example")

    assert_json_error(response, 403)
    assert response.json() == ORIGEN
    assert not Cliente.objects.unscoped().exists()


def test_an_untrusted_https_referer_is_refused_for_its_origin(user):
    client = session_client(user, enforce_csrf_checks=True)

    response = post(
        client,
        csrf_token(client),
        HTTP_REFERER="https://otra-tienda.example/pagina",
        **{"wsgi.url_scheme": "https"},
    )

    assert response.json() == ORIGEN
    assert not Cliente.objects.unscoped().exists()


def test_the_apis_own_origin_with_a_valid_token_goes_through(user):
    client = session_client(user, enforce_csrf_checks=True)

    response = post(client, csrf_token(client), HTTP_ORIGIN="http://testserver")

    assert response.status_code == 201, response.content


def test_a_trusted_origin_without_a_token_is_refused_for_its_token(user):
    client = session_client(user, enforce_csrf_checks=True)
    csrf_token(client)

    response = post(client, None, HTTP_ORIGIN="http://testserver")

    assert response.json() == SIN_TOKEN
