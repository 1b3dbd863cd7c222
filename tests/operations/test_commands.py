"""Operator commands: create_tenant, create_user, issue_token, seed_demo."""

import io
import re
import sys

import pytest
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from tenants.models import ApiToken, Tenant, User
from tests.auth.helpers import CLIENTES, ME, ids, login
from tests.clients import key_client
from tests.factories import make_cliente, make_tenant, make_user
from tests.operations.helpers import run_command

pytestmark = pytest.mark.django_db


def fails(*args, **options) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        run_command(*args, **options)
    error = excinfo.value
    assert error.returncode != 0
    assert str(error).strip() and "\n" not in str(error).strip()
    return error


def create_ana(slug: str, *options: str) -> tuple[str, ...]:
    """create_user's command line for Ana, ana@tienda.test, of the tenant ``slug``."""
    ana = ("--email", "ana@tienda.test", "--nombre", "Ana")
    return ("create_user", "--tenant", slug, *ana, *options)


@pytest.fixture
def stdin(monkeypatch):
    def feed(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))

    return feed


# -- create_tenant -------------------------------------------------------------------------


def test_create_tenant_creates_it_and_prints_its_id_alone():
    out, _ = run_command("create_tenant", "--slug", "tienda", "--nombre", "Mi Tienda")

    tenant = Tenant.objects.get(slug="tienda")
    assert tenant.nombre == "Mi Tienda"
    assert out.strip() == str(tenant.pk)
    assert out.splitlines() == [str(tenant.pk)]


def test_create_tenant_with_existing_slug_fails_and_writes_nothing():
    make_tenant(slug="tienda", nombre="Primera")

    fails("create_tenant", "--slug", "tienda", "--nombre", "Segunda")

    assert list(Tenant.objects.values_list("nombre", flat=True)) == ["Primera"]


@pytest.mark.parametrize(
    ("slug", "nombre"),
    [("con espacios", "Mi Tienda"), ("tienda", "   ")],
    ids=["bad-slug", "blank-nombre"],
)
def test_create_tenant_with_bad_input_fails_and_writes_nothing(slug, nombre):
    fails("create_tenant", "--slug", slug, "--nombre", nombre)

    assert not Tenant.objects.exists()


# -- create_user ---------------------------------------------------------------------------


def test_create_user_defaults_to_an_active_usuario_of_the_tenant(tenant):
    out, _ = run_command(*create_ana(tenant.slug))

    user = User.objects.get(email="ana@tienda.test")
    assert (user.tenant, user.nombre, user.rol, user.estado) == (tenant, "Ana", "USUARIO", "ACTIVO")
    assert "ana@tienda.test" in out


def test_create_user_staff_makes_tenant_staff_for_the_admin(tenant):
    out, _ = run_command(
        "create_user",
        *("--tenant", tenant.slug, "--email", "jefa@tienda.test", "--nombre", "Jefa"),
        *("--rol", "ADMIN", "--staff"),
    )

    user = User.objects.get(email="jefa@tienda.test")
    assert (user.tenant, user.is_staff, user.is_superuser) == (tenant, True, False)
    assert "con acceso al admin" in out


@pytest.mark.parametrize(
    ("rol", "estado"), [("ADMIN", "PENDIENTE"), ("USUARIO", "SUSPENDIDO"), ("ADMIN", "ACTIVO")]
)
def test_create_user_takes_rol_and_estado(tenant, rol, estado):
    run_command(*create_ana(tenant.slug, "--rol", rol, "--estado", estado))

    user = User.objects.get(email="ana@tienda.test")
    assert (user.rol, user.estado) == (rol, estado)


def test_create_user_with_password_stdin_can_log_in_through_the_api(tenant, stdin):
    stdin("una-clave-muy-segura-42\n")

    run_command(*create_ana(tenant.slug, "--password-stdin"))

    response = login(APIClient(), "ana@tienda.test", "una-clave-muy-segura-42")
    assert response.status_code == 200
    assert response.json()["empresa"] == {"id": tenant.pk, "nombre": tenant.nombre}


def test_create_user_without_password_cannot_log_in_with_one(tenant):
    run_command(*create_ana(tenant.slug))

    assert login(APIClient(), "ana@tienda.test", "").status_code in {400, 401}
    assert login(APIClient(), "ana@tienda.test", "cualquier-cosa").status_code == 401


def test_create_user_with_unknown_tenant_fails_and_writes_nothing(tenant):
    fails(*create_ana("no-existe"))

    assert not User.objects.filter(email="ana@tienda.test").exists()


def test_create_user_with_existing_email_fails_and_writes_nothing(tenant, other_tenant):
    make_user(tenant, email="ana@tienda.test", nombre="Ana")

    fails(
        "create_user", "--tenant", other_tenant.slug, "--email", "ANA@tienda.test", "--nombre", "X"
    )

    assert list(User.objects.values_list("nombre", flat=True)) == ["Ana"]


@pytest.mark.parametrize(
    "password", ["\n", "123\n", "password\n"], ids=["empty", "short", "common"]
)
def test_create_user_with_unacceptable_password_fails_and_writes_nothing(tenant, stdin, password):
    stdin(password)

    fails(*create_ana(tenant.slug, "--password-stdin"))

    assert not User.objects.exists()


def test_create_user_with_invalid_email_fails_and_writes_nothing(tenant):
    fails("create_user", "--tenant", tenant.slug, "--email", "no-es-email", "--nombre", "Ana")

    assert not User.objects.exists()


# -- issue_token ---------------------------------------------------------------------------


def test_issue_token_prints_the_key_alone_on_its_line(user):
    out, _ = run_command("issue_token", "--email", user.email)

    lines = out.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"\S+", lines[0])


def test_issued_token_authenticates_as_the_user(user, other_tenant):
    foreign = make_cliente(other_tenant)
    own = make_cliente(user.tenant)
    out, _ = run_command("issue_token", "--email", user.email)
    client = key_client(out.strip())

    me = client.get(ME)
    listed = client.get(CLIENTES)

    assert me.status_code == 200
    assert me.json()["id"] == user.pk
    assert ids(listed) == {own.pk}
    assert foreign.pk not in ids(listed)


def test_issue_token_finds_the_user_whatever_the_email_case(user):
    out, _ = run_command("issue_token", "--email", user.email.upper())

    assert key_client(out.strip()).get(ME).json()["id"] == user.pk


def test_issue_token_each_time_prints_a_new_key(user):
    first, _ = run_command("issue_token", "--email", user.email)
    second, _ = run_command("issue_token", "--email", user.email)

    assert first.strip() != second.strip()
    assert key_client(first.strip()).get(ME).status_code == 200
    assert key_client(second.strip()).get(ME).status_code == 200


def test_issue_token_for_unknown_email_fails_and_writes_nothing(user):
    fails("issue_token", "--email", "nadie@example.test")

    assert not ApiToken.objects.exists()
