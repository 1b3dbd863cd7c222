"""Who gets past authentication and permissions on the data endpoints."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from clientes.models import Cliente
from tenants.models import User
from tests.auth.helpers import CLIENTES, ME, assert_json_error, ids, session_client
from tests.clients import token_client
from tests.factories import make_cliente, make_user

pytestmark = pytest.mark.django_db

DATA_ENDPOINTS = [
    ("get", "/api/clientes", None),
    ("post", "/api/clientes", {"nombre": "Nuevo"}),
    ("get", "/api/clientes/{id}", None),
    ("put", "/api/clientes/{id}", {"nombre": "Cambiado"}),
    ("patch", "/api/clientes/{id}", {"nombre": "Cambiado"}),
    ("get", "/api/clientes/{id}/historial", None),
    ("get", "/api/auth/me", None),
]
ENDPOINT_IDS = [f"{method.upper()} {path}" for method, path, _ in DATA_ENDPOINTS]


def call(client: APIClient, method: str, path: str, body, cliente: Cliente):
    url = path.format(id=cliente.pk)
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, format="json")


def set_estado(user, estado: str) -> None:
    User.objects.filter(pk=user.pk).update(estado=estado)


# -- no credentials ------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), DATA_ENDPOINTS, ids=ENDPOINT_IDS)
def test_no_credentials_answers_401_with_www_authenticate(anon, tenant, method, path, body):
    cliente = make_cliente(tenant, nombre="Original")

    response = call(anon, method, path, body, cliente)

    assert_json_error(response, 401)
    assert response.get("WWW-Authenticate")
    cliente.refresh_from_db()
    assert cliente.nombre == "Original"
    assert Cliente.objects.unscoped().count() == 1


@pytest.mark.parametrize(("method", "path", "body"), DATA_ENDPOINTS, ids=ENDPOINT_IDS)
def test_unknown_session_cookie_answers_401(tenant, method, path, body):
    cliente = make_cliente(tenant, nombre="Original")
    client = APIClient()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-es-una-sesion"

    response = call(client, method, path, body, cliente)

    assert_json_error(response, 401)
    cliente.refresh_from_db()
    assert cliente.nombre == "Original"


# -- estado other than ACTIVO --------------------------------------------------------------

INACTIVE = [User.Estado.SUSPENDIDO, User.Estado.PENDIENTE]


@pytest.mark.parametrize("estado", INACTIVE)
@pytest.mark.parametrize("open_client", [session_client, token_client], ids=["session", "token"])
def test_credentials_of_user_made_inactive_are_refused_on_the_next_request(
    user, estado, open_client
):
    client = open_client(user)
    assert client.get(CLIENTES).status_code == 200

    set_estado(user, estado)

    assert_json_error(client.get(CLIENTES), 401)
    assert_json_error(client.get(ME), 401)


@pytest.mark.parametrize("estado", INACTIVE)
def test_user_made_inactive_cannot_write(user, estado):
    client = token_client(user)
    set_estado(user, estado)

    response = client.post(CLIENTES, {"nombre": "No debe existir"}, format="json")

    assert_json_error(response, 401)
    assert not Cliente.objects.unscoped().exists()


def test_user_reactivated_is_let_in_again(user):
    client = token_client(user)
    set_estado(user, User.Estado.SUSPENDIDO)
    assert client.get(ME).status_code == 401

    set_estado(user, User.Estado.ACTIVO)

    assert client.get(ME).status_code == 200


# -- no tenant -----------------------------------------------------------------------------


@pytest.fixture
def homeless_user(db):
    return make_user(None)


@pytest.mark.parametrize(("method", "path", "body"), DATA_ENDPOINTS[:-1], ids=ENDPOINT_IDS[:-1])
def test_user_without_tenant_gets_403_sin_empresa(homeless_user, tenant, method, path, body):
    cliente = make_cliente(tenant, nombre="Original")

    response = call(token_client(homeless_user), method, path, body, cliente)

    assert_json_error(response, 403)
    assert response.json() == {"error": "Usuario sin empresa asignada"}
    cliente.refresh_from_db()
    assert cliente.nombre == "Original"
    assert Cliente.objects.unscoped().count() == 1


def test_user_without_tenant_gets_403_with_a_session_too(homeless_user):
    response = session_client(homeless_user).get(CLIENTES)

    assert_json_error(response, 403)
    assert response.json() == {"error": "Usuario sin empresa asignada"}


def test_user_without_tenant_can_read_me_with_empresa_null(homeless_user):
    response = token_client(homeless_user).get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "id": homeless_user.pk,
        "email": homeless_user.email,
        "nombre": homeless_user.nombre,
        "rol": "USUARIO",
        "estado": "ACTIVO",
        "empresa": None,
    }


# -- members -------------------------------------------------------------------------------


@pytest.fixture
def member_api(tenant):
    member = make_user(tenant, rol=User.Rol.USUARIO)
    assert member.rol == "USUARIO"
    return token_client(member)


def test_member_may_list_customers(member_api, tenant, other_tenant):
    own = make_cliente(tenant)
    foreign = make_cliente(other_tenant)

    response = member_api.get(CLIENTES)

    assert response.status_code == 200
    assert ids(response) == {own.pk}
    assert foreign.pk not in ids(response)


def test_member_may_create_customers(member_api, tenant):
    response = member_api.post(CLIENTES, {"nombre": "Creado por miembro"}, format="json")

    assert response.status_code == 201
    assert Cliente.objects.for_tenant(tenant).filter(pk=response.json()["id"]).exists()


def test_member_may_read_a_customer_but_not_another_tenants(member_api, tenant, other_tenant):
    own = make_cliente(tenant)
    foreign = make_cliente(other_tenant)

    assert member_api.get(f"{CLIENTES}/{own.pk}").status_code == 200
    assert_json_error(member_api.get(f"{CLIENTES}/{foreign.pk}"), 404)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_member_may_update_a_customer_but_not_another_tenants(
    member_api, tenant, other_tenant, method
):
    own = make_cliente(tenant, nombre="Antes")
    foreign = make_cliente(other_tenant, nombre="Ajeno")

    send = getattr(member_api, method)
    updated = send(f"{CLIENTES}/{own.pk}", {"nombre": "Después"}, format="json")
    refused = send(f"{CLIENTES}/{foreign.pk}", {"nombre": "X"}, format="json")

    assert updated.status_code == 200
    assert updated.json()["nombre"] == "Después"
    assert_json_error(refused, 404)
    foreign.refresh_from_db()
    assert foreign.nombre == "Ajeno"


def test_member_may_read_a_customers_historial_but_not_another_tenants(
    member_api, tenant, other_tenant
):
    own = make_cliente(tenant)
    foreign = make_cliente(other_tenant)

    assert member_api.get(f"{CLIENTES}/{own.pk}/historial").status_code == 200
    assert_json_error(member_api.get(f"{CLIENTES}/{foreign.pk}/historial"), 404)
