"""Suspending a whole shop: ``suspend_tenant --slug S`` / ``reactivate_tenant --slug S``.

Every request of a suspended tenant's users, with a token or a session, answers 403
``{"error": "Empresa suspendida"}`` from the very next one on, and changes nothing; other
tenants go on as before; logout still works; reactivating lets the same tokens and sessions
back in. The check costs no query: the tenant comes with the token's or session's user.
"""

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clientes.models import Cliente
from tenants.models import Tenant
from tests.auth.helpers import CLIENTES, LOGOUT, ME, csrf_token, login, session_client
from tests.clients import token_client
from tests.factories import make_cliente, make_user
from tests.operations.helpers import command_output, run_command

pytestmark = pytest.mark.django_db

SUSPENDIDA = {"error": "Empresa suspendida"}


def estado(tenant) -> str:
    return Tenant.objects.get(pk=tenant.pk).estado


def assert_suspended(response) -> None:
    assert response.status_code == 403, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == SUSPENDIDA


# --- The commands ------------------------------------------------------------------------------


def test_suspend_tenant_suspends_it_and_says_so(tenant):
    output = command_output("suspend_tenant", "--slug", tenant.slug)

    assert estado(tenant) == Tenant.Estado.SUSPENDIDA
    assert "suspendida" in output and tenant.slug in output


def test_reactivate_tenant_reactivates_it(tenant):
    run_command("suspend_tenant", "--slug", tenant.slug)

    output = command_output("reactivate_tenant", "--slug", tenant.slug)

    assert estado(tenant) == Tenant.Estado.ACTIVA
    assert "reactivada" in output


def test_suspending_twice_or_reactivating_an_active_tenant_changes_nothing(tenant):
    run_command("suspend_tenant", "--slug", tenant.slug)
    assert "ya estaba suspendida" in command_output("suspend_tenant", "--slug", tenant.slug)
    assert estado(tenant) == Tenant.Estado.SUSPENDIDA

    run_command("reactivate_tenant", "--slug", tenant.slug)
    assert "ya estaba activa" in command_output("reactivate_tenant", "--slug", tenant.slug)
    assert estado(tenant) == Tenant.Estado.ACTIVA


@pytest.mark.parametrize("command", ["suspend_tenant", "reactivate_tenant"])
def test_an_unknown_slug_is_a_clear_error_and_changes_nothing(tenant, other_tenant, command):
    with pytest.raises(CommandError, match="No existe la empresa «nadie»"):
        run_command(command, "--slug", "nadie")

    assert estado(tenant) == estado(other_tenant) == Tenant.Estado.ACTIVA


@pytest.mark.parametrize("command", ["suspend_tenant", "reactivate_tenant"])
def test_the_slug_is_required(tenant, command):
    with pytest.raises(CommandError, match="--slug"):
        run_command(command)

    assert estado(tenant) == Tenant.Estado.ACTIVA


def test_suspending_one_tenant_leaves_the_others_alone(tenant, other_tenant, other_api):
    run_command("suspend_tenant", "--slug", tenant.slug)

    assert estado(other_tenant) == Tenant.Estado.ACTIVA
    assert other_api.get(CLIENTES).status_code == 200


# --- Tokens ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CLIENTES, ME, "/api/ventas", "/api/cotizaciones"])
def test_a_token_of_a_suspended_tenant_answers_403_from_the_next_request(api, tenant, path):
    assert api.get(path).status_code == 200

    run_command("suspend_tenant", "--slug", tenant.slug)

    assert_suspended(api.get(path))


def test_writes_of_a_suspended_tenant_answer_403_and_change_nothing(api, tenant):
    cliente = make_cliente(tenant, nombre="Antes")
    run_command("suspend_tenant", "--slug", tenant.slug)

    assert_suspended(api.post(CLIENTES, {"nombre": "Nuevo"}, format="json"))
    assert_suspended(api.patch(f"{CLIENTES}/{cliente.pk}", {"nombre": "Otro"}, format="json"))
    assert_suspended(api.post(CLIENTES, "{no es json", content_type="application/json"))

    assert list(Cliente.objects.for_tenant(tenant).values_list("nombre", flat=True)) == ["Antes"]


def test_reactivating_lets_the_same_token_back_in(api, tenant):
    run_command("suspend_tenant", "--slug", tenant.slug)
    assert_suspended(api.get(CLIENTES))

    run_command("reactivate_tenant", "--slug", tenant.slug)

    assert api.get(CLIENTES).status_code == 200


def test_an_inactive_user_of_a_suspended_tenant_still_gets_401(tenant):
    user = make_user(tenant, estado="SUSPENDIDO")
    client = token_client(user)
    run_command("suspend_tenant", "--slug", tenant.slug)

    assert client.get(CLIENTES).status_code == 401


def test_the_token_path_costs_no_query_for_the_check(api, tenant):
    api.get(CLIENTES)  # warm-up
    with CaptureQueriesContext(connection) as active:
        api.get(CLIENTES)
    run_command("suspend_tenant", "--slug", tenant.slug)

    with CaptureQueriesContext(connection) as suspended:
        assert_suspended(api.get(CLIENTES))

    # The token, its user and their tenant in one query; no separate look-up of the tenant.
    for queries in (active, suspended):
        sqls = [q["sql"] for q in queries.captured_queries]
        token_queries = [s for s in sqls if 'FROM "tenants_apitoken"' in s]
        assert len(token_queries) == 1 and '"tenants_tenant"' in token_queries[0]
        assert not [s for s in sqls if 'FROM "tenants_tenant"' in s], sqls
    # Refused at authentication: nothing after the token look-up.
    assert len(suspended.captured_queries) == 1


# --- Sessions ----------------------------------------------------------------------------------


def test_a_session_of_a_suspended_tenant_answers_403_from_the_next_request(user, tenant):
    client = session_client(user)
    assert client.get(CLIENTES).status_code == 200

    run_command("suspend_tenant", "--slug", tenant.slug)

    assert_suspended(client.get(CLIENTES))
    assert_suspended(client.get(ME))


def test_a_reactivated_tenant_s_sessions_work_again(user, tenant):
    client = session_client(user)
    run_command("suspend_tenant", "--slug", tenant.slug)
    assert_suspended(client.get(ME))

    run_command("reactivate_tenant", "--slug", tenant.slug)

    assert client.get(ME).status_code == 200


def test_the_session_user_comes_with_the_tenant_in_one_query(user, tenant):
    client = session_client(user)
    run_command("suspend_tenant", "--slug", tenant.slug)

    with CaptureQueriesContext(connection) as queries:
        assert_suspended(client.get(CLIENTES))

    sqls = [q["sql"] for q in queries.captured_queries]
    user_queries = [s for s in sqls if 'FROM "tenants_user"' in s]
    assert len(user_queries) == 1 and '"tenants_tenant"' in user_queries[0], sqls
    assert not [s for s in sqls if 'FROM "tenants_tenant"' in s], sqls


def test_logout_still_works_for_a_suspended_tenant_s_user(user, tenant):
    client = session_client(user, enforce_csrf_checks=True)
    token = csrf_token(client)
    run_command("suspend_tenant", "--slug", tenant.slug)

    response = client.post(LOGOUT, HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 204
    run_command("reactivate_tenant", "--slug", tenant.slug)
    assert client.get(ME).status_code == 401  # the session really ended


def test_login_of_a_suspended_tenant_s_user_answers_403_and_opens_no_session(user, tenant):
    run_command("suspend_tenant", "--slug", tenant.slug)
    client = APIClient()

    response = login(client, user.email)

    assert_suspended(response)
    assert "sessionid" not in response.cookies
    run_command("reactivate_tenant", "--slug", tenant.slug)
    assert client.get(ME).status_code == 401


def test_a_wrong_password_for_a_suspended_tenant_s_user_reveals_nothing(user, tenant):
    run_command("suspend_tenant", "--slug", tenant.slug)

    response = login(APIClient(), user.email, "clave-equivocada")

    assert response.status_code == 401
    assert response.json() == {"error": "Credenciales inválidas"}


def test_a_user_without_tenant_is_not_affected(tenant):
    client = token_client(make_user(None))
    run_command("suspend_tenant", "--slug", tenant.slug)

    assert client.get(ME).status_code == 200
