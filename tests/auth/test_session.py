"""Session authentication for the browser frontend: login, CSRF, logout."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from clientes.models import Cliente
from tenants.models import User
from tests.auth.helpers import (
    CLIENTES,
    CSRF,
    LOGOUT,
    ME,
    assert_json_error,
    csrf_token,
    ids,
    login,
    session_client,
)
from tests.factories import PASSWORD, make_cliente, make_user

pytestmark = pytest.mark.django_db


def me_body(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "nombre": user.nombre,
        "rol": user.rol,
        "estado": user.estado,
        "empresa": {"id": user.tenant.pk, "nombre": user.tenant.nombre},
    }


# -- login ---------------------------------------------------------------------------------


def test_login_answers_200_with_exactly_the_me_body(user):
    response = login(APIClient(), user.email)

    assert response.status_code == 200
    assert response.json() == me_body(user)


def test_login_answers_the_same_body_as_me(user):
    client = APIClient()
    logged_in = login(client, user.email)

    assert client.get(ME).json() == logged_in.json()


def test_login_sets_the_session_cookie(user):
    response = login(APIClient(), user.email)

    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert cookie is not None and cookie.value


def test_session_cookie_is_http_only(user):
    response = login(APIClient(), user.email)

    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


def test_session_opened_by_login_authenticates_data_requests(user, other_tenant):
    own = make_cliente(user.tenant, nombre="Propio")
    foreign = make_cliente(other_tenant, nombre="Ajeno")
    client = session_client(user)

    response = client.get(CLIENTES)

    assert response.status_code == 200
    assert own.pk in ids(response)
    assert foreign.pk not in ids(response)


def test_login_email_is_case_insensitive(tenant):
    user = make_user(tenant, email="ana.maria@example.test")

    response = login(APIClient(), "Ana.Maria@EXAMPLE.test")

    assert response.status_code == 200
    assert response.json()["id"] == user.pk


def test_login_with_unknown_email_answers_401_credenciales_invalidas(user):
    response = login(APIClient(), "nadie@example.test")

    assert_json_error(response, 401)
    assert response.json() == {"error": "Credenciales inválidas"}


def test_login_with_wrong_password_answers_401_credenciales_invalidas(user):
    response = login(APIClient(), user.email, "otra-clave-equivocada")

    assert_json_error(response, 401)
    assert response.json() == {"error": "Credenciales inválidas"}


def test_wrong_email_and_wrong_password_are_indistinguishable(user):
    unknown = login(APIClient(), "nadie@example.test")
    wrong = login(APIClient(), user.email, "otra-clave-equivocada")

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.content == wrong.content


def test_failed_login_opens_no_session(user):
    client = APIClient()
    response = login(client, user.email, "otra-clave-equivocada")

    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert_json_error(client.get(ME), 401)


@pytest.mark.parametrize("estado", [User.Estado.PENDIENTE, User.Estado.SUSPENDIDO])
def test_login_of_inactive_user_answers_401_usuario_inactivo(tenant, estado):
    user = make_user(tenant, estado=estado)

    response = login(APIClient(), user.email)

    assert_json_error(response, 401)
    assert response.json() == {"error": "Usuario inactivo o suspendido"}


@pytest.mark.parametrize("estado", [User.Estado.PENDIENTE, User.Estado.SUSPENDIDO])
def test_login_of_inactive_user_opens_no_session(tenant, estado):
    user = make_user(tenant, estado=estado)
    client = APIClient()

    response = login(client, user.email)

    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert_json_error(client.get(ME), 401)
    assert_json_error(client.get(CLIENTES), 401)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "ana@example.test"},
        {"password": "x"},
        {"email": 5, "password": "x"},
        {"email": "ana@example.test", "password": None},
        ["ana@example.test", "x"],
        "ana@example.test",
    ],
    ids=[
        "empty-object",
        "no-password",
        "no-email",
        "email-not-a-string",
        "null-password",
        "a-list",
        "a-string",
    ],
)
def test_login_with_malformed_body_answers_400(user, body):
    response = APIClient().post("/api/auth/login", body, format="json")

    assert_json_error(response, 400)


def test_login_with_invalid_json_answers_400(user):
    response = APIClient().post(
        "/api/auth/login", b'{"email": "a@b.test", ', content_type="application/json"
    )

    assert_json_error(response, 400)


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain"], ids=["form", "text"]
)
def test_login_accepts_json_only(user, content_type):
    """A cross-site HTML form cannot log anyone in."""
    client = APIClient()
    body = f"email={user.email}&password={PASSWORD}"

    response = client.post("/api/auth/login", body, content_type=content_type)

    assert_json_error(response, 415)
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_login_endpoint_answers_405_json_to_get(user):
    assert_json_error(APIClient().get("/api/auth/login"), 405)


# -- CSRF ----------------------------------------------------------------------------------


def test_csrf_endpoint_sets_the_csrftoken_cookie_and_returns_a_token():
    client = APIClient()

    response = client.get(CSRF)

    assert response.status_code == 200
    assert response.cookies["csrftoken"].value
    assert set(response.json()) == {"csrfToken"}
    assert isinstance(response.json()["csrfToken"], str) and response.json()["csrfToken"]


def test_unsafe_session_request_without_csrf_header_answers_403(user):
    client = session_client(user, enforce_csrf_checks=True)
    csrf_token(client)  # the cookie is there; only the header is missing

    response = client.post(CLIENTES, {"nombre": "Sin CSRF"}, format="json")

    assert_json_error(response, 403)
    assert not Cliente.objects.unscoped().exists()


def test_unsafe_session_request_with_wrong_csrf_header_answers_403(user):
    client = session_client(user, enforce_csrf_checks=True)
    csrf_token(client)

    response = client.post(
        CLIENTES, {"nombre": "CSRF falso"}, format="json", HTTP_X_CSRFTOKEN="x" * 32
    )

    assert_json_error(response, 403)
    assert not Cliente.objects.unscoped().exists()


def test_unsafe_session_request_with_csrf_cookie_value_in_header_answers_201(user):
    client = session_client(user, enforce_csrf_checks=True)
    token = csrf_token(client)

    response = client.post(CLIENTES, {"nombre": "Con CSRF"}, format="json", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201, response.content
    assert response.json()["nombre"] == "Con CSRF"


def test_unsafe_session_request_with_token_from_csrf_body_answers_201(user):
    """A frontend on another origin cannot read the cookie; the body's token must do."""
    client = session_client(user, enforce_csrf_checks=True)
    token = client.get(CSRF).json()["csrfToken"]

    response = client.post(CLIENTES, {"nombre": "Con CSRF"}, format="json", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201, response.content


def test_safe_session_request_needs_no_csrf_header(user, other_tenant):
    foreign = make_cliente(other_tenant)
    client = session_client(user, enforce_csrf_checks=True)

    response = client.get(CLIENTES)

    assert response.status_code == 200
    assert foreign.pk not in ids(response)


# -- logout --------------------------------------------------------------------------------


def test_logout_answers_204(user):
    client = session_client(user)

    response = client.post(LOGOUT)

    assert response.status_code == 204
    assert response.content == b""


def test_after_logout_the_session_no_longer_works(user):
    client = session_client(user)
    client.post(LOGOUT)

    assert_json_error(client.get(ME), 401)
    assert_json_error(client.get(CLIENTES), 401)


def test_logout_ends_the_session_on_the_server(user):
    client = session_client(user)
    old_session = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(LOGOUT).status_code == 204

    replay = APIClient()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_session

    assert_json_error(replay.get(ME), 401)


def test_logout_with_session_needs_the_csrf_header(user):
    client = session_client(user, enforce_csrf_checks=True)
    token = csrf_token(client)

    refused = client.post(LOGOUT)
    assert_json_error(refused, 403)
    assert client.get(ME).status_code == 200

    assert client.post(LOGOUT, HTTP_X_CSRFTOKEN=token).status_code == 204
    assert_json_error(client.get(ME), 401)
