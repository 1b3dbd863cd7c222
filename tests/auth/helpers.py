"""Shared assertions, logins and throttle windows of the authentication tests (the admin,
operations and hardening tests use them too)."""

import time

from rest_framework.test import APIClient

from tests.factories import PASSWORD

LOGIN = "/api/auth/login"
LOGOUT = "/api/auth/logout"
ME = "/api/auth/me"
CSRF = "/api/auth/csrf"
CLIENTES = "/api/clientes"
WRONG_PASSWORD = "clave-equivocada"


def assert_json_error(response, status: int) -> dict:
    """The contract's error shape: JSON, a non-empty ``error``, ``detalles`` only on 400."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict)
    assert isinstance(body.get("error"), str) and body["error"].strip(), body
    if status == 400:
        assert isinstance(body.get("detalles"), dict) and body["detalles"], body
        for field, messages in body["detalles"].items():
            assert isinstance(field, str)
            assert isinstance(messages, list) and messages
            assert all(isinstance(m, str) and m for m in messages)
    else:
        assert "detalles" not in body, body
    return body


def login(client: APIClient, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, format="json", **extra)


def session_client(user, *, enforce_csrf_checks: bool = False) -> APIClient:
    """A client holding a session of ``user``, opened through the login endpoint."""
    client = APIClient(enforce_csrf_checks=enforce_csrf_checks)
    response = login(client, user.email)
    assert response.status_code == 200, response.content
    return client


def csrf_token(client: APIClient) -> str:
    """The CSRF token for ``client``'s current session (Django rotates it at login)."""
    response = client.get(CSRF)
    assert response.status_code == 200
    return client.cookies["csrftoken"].value


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()}


def inside_one_window(seconds: float = 10) -> None:
    """Wait, if need be, so that the next ``seconds`` fall inside one minute's rate window."""
    if time.time() % 60 > 60 - seconds:
        time.sleep(60 - time.time() % 60 + 0.05)
