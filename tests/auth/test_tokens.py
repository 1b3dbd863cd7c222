"""Token authentication for scripts and other services: ``Authorization: Token <key>``."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from clientes.models import Cliente
from tenants.models import ApiToken
from tests.auth.helpers import CLIENTES, ME, assert_json_error, ids
from tests.clients import key_client
from tests.factories import make_cliente, make_token

pytestmark = pytest.mark.django_db


def test_token_authenticates_as_its_user(user):
    response = key_client(make_token(user)).get(ME)

    assert response.status_code == 200
    assert response.json()["id"] == user.pk
    assert response.json()["email"] == user.email


def test_token_reads_only_its_users_tenant(user, other_tenant):
    own = make_cliente(user.tenant)
    foreign = make_cliente(other_tenant)

    response = key_client(make_token(user)).get(CLIENTES)

    assert response.status_code == 200
    assert ids(response) == {own.pk}
    assert foreign.pk not in ids(response)


def test_unsafe_request_with_token_needs_no_csrf(user):
    client = key_client(make_token(user), enforce_csrf_checks=True)

    response = client.post(CLIENTES, {"nombre": "Por script"}, format="json")

    assert response.status_code == 201, response.content
    assert Cliente.objects.for_tenant(user.tenant).filter(nombre="Por script").exists()


@pytest.mark.parametrize(
    "header",
    [
        "Token 0000000000000000000000000000000000000000",
        "Token no-es-un-token",
        "Token",
        "Token dos partes",
    ],
    ids=["unknown-key", "garbage-key", "no-key", "key-with-space"],
)
def test_wrong_token_answers_401_json(user, header):
    make_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert_json_error(client.get(CLIENTES), 401)
    assert_json_error(client.get(ME), 401)


def test_wrong_token_writes_nothing(user):
    client = key_client("f" * 40)

    response = client.post(CLIENTES, {"nombre": "Intruso"}, format="json")

    assert_json_error(response, 401)
    assert not Cliente.objects.unscoped().exists()


def test_token_key_is_stored_nowhere_in_the_database(user):
    key = make_token(user)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tenants_apitoken")
        rows = cursor.fetchall()

    stored = " ".join(str(value) for row in rows for value in row)
    assert len(rows) == 1
    assert key not in stored
    assert key.lower() not in stored.lower()
    assert hashlib.sha256(key.encode()).hexdigest() in stored


def test_expired_token_answers_401(user):
    key = make_token(user)
    ApiToken.objects.filter(user=user).update(expira_en=timezone.now() - timedelta(seconds=1))

    assert_json_error(key_client(key).get(ME), 401)
    assert_json_error(key_client(key).get(CLIENTES), 401)


def test_token_with_expiry_in_the_future_works(user):
    key = make_token(user, dias=1)

    assert key_client(key).get(ME).status_code == 200
