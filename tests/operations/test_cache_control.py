"""``Cache-Control: no-store`` on every answer under /api/: successes, errors of every kind
(DRF's, Django's, the middleware's own refusals) and CORS preflights alike."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.auth.helpers import CLIENTES, CSRF, ME, login
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db


def assert_no_store(response) -> None:
    assert response.get("Cache-Control") == "no-store", (
        response.status_code,
        response.get("Cache-Control"),
    )


def test_reads_of_personal_data_are_not_stored(api, tenant):
    cliente = make_cliente(tenant, nombre="Ana", email="ana@example.test")

    for path in [CLIENTES, f"{CLIENTES}/{cliente.pk}", f"{CLIENTES}/{cliente.pk}/historial", ME]:
        response = api.get(path)
        assert response.status_code == 200, path
        assert_no_store(response)


def test_writes_login_and_csrf_are_not_stored(api, anon, user, tenant):
    created = api.post(CLIENTES, {"nombre": "Nuevo"}, format="json")
    assert created.status_code == 201
    assert_no_store(created)
    updated = api.patch(f"{CLIENTES}/{created.json()['id']}", {"notas": "x"}, format="json")
    assert_no_store(updated)
    assert_no_store(login(anon, user.email))
    assert_no_store(anon.get(CSRF))


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", CLIENTES, None, 401),  # no credentials
        ("get", "/api/no-existe", None, 404),  # the /api/ catch-all
        ("delete", CLIENTES, None, 405),
        ("post", CLIENTES, {"nombre": ""}, 400),
        ("get", f"{CLIENTES}/999999999", None, 404),
    ],
)
def test_errors_are_not_stored(api, anon, method, path, body, status):
    client = anon if status == 401 else api
    response = getattr(client, method)(path, body, format="json")

    assert response.status_code == status
    assert_no_store(response)


def test_the_body_size_refusal_is_not_stored(api):
    response = api.post(
        CLIENTES, "{}", content_type="application/json", CONTENT_LENGTH=str(1024 * 1024 + 1)
    )

    assert response.status_code == 413
    assert_no_store(response)


def test_throttled_answers_are_not_stored(api, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "user": "1/min"}
    )
    api.get(CLIENTES)

    response = api.get(CLIENTES)

    assert response.status_code == 429
    assert_no_store(response)


def test_a_500_is_not_stored(user, monkeypatch):
    from clientes import selectors
    from tests.factories import make_token

    monkeypatch.setattr(selectors, "cliente_page", lambda *a, **k: 1 / 0)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user)}")

    response = client.get(CLIENTES)

    assert response.status_code == 500
    assert_no_store(response)


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_a_cors_preflight_is_not_stored(anon):
    response = anon.options(
        CLIENTES,
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert response.status_code == 200
    assert_no_store(response)


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_api_docs_are_not_stored_either(anon, path):
    response = anon.get(path)

    assert response.status_code == 200
    assert_no_store(response)


def test_answers_outside_the_api_keep_their_own_caching(anon):
    response = anon.get("/healthz")

    assert response.status_code == 200
    assert response.get("Cache-Control") != "no-store"
