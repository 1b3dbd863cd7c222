"""Process endpoints (liveness, readiness) and the OpenAPI schema."""

import json

import pytest
from django.db import OperationalError

from config import health

pytestmark = pytest.mark.django_db

SCHEMA = "/api/schema/"


# -- liveness and readiness ----------------------------------------------------------------


def test_healthz_answers_200(anon):
    assert anon.get("/healthz").status_code == 200


def test_healthz_does_not_touch_the_database(anon, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert anon.get("/healthz").status_code == 200


def test_readyz_answers_200_when_the_database_answers(anon):
    assert anon.get("/readyz").status_code == 200


class _UnreachableDatabase:
    def cursor(self):
        raise OperationalError("connection refused")

    def close_if_unusable_or_obsolete(self):
        pass


def test_readyz_answers_503_json_when_the_database_does_not(anon, monkeypatch):
    monkeypatch.setattr(health, "connection", _UnreachableDatabase())

    response = anon.get("/readyz")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "connection refused" not in response.content.decode()


# -- OpenAPI schema ------------------------------------------------------------------------


@pytest.fixture
def schema(anon) -> dict:
    response = anon.get(SCHEMA)
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    return json.loads(response.content)


def test_schema_is_an_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"]
    assert isinstance(schema["paths"], dict)


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/clientes", {"get", "post"}),
        ("/api/clientes/{id}", {"get", "put", "patch"}),
        ("/api/clientes/{id}/historial", {"get"}),
        ("/api/auth/login", {"post"}),
        ("/api/auth/logout", {"post"}),
        ("/api/auth/me", {"get"}),
        ("/api/auth/csrf", {"get"}),
    ],
)
def test_schema_documents_every_endpoint(schema, path, methods):
    assert path in schema["paths"], sorted(schema["paths"])
    assert methods <= set(schema["paths"][path])


def test_schema_documents_nothing_that_is_not_served(schema):
    assert "delete" not in schema["paths"]["/api/clientes"]
    assert "delete" not in schema["paths"]["/api/ventas/{id}"]
