"""seed_demo: demo data for ``make run``, and the logins it prints: a shop's administrator
(tenant staff, their shop only), a seller, the platform's superuser apart, and tokens."""

import re

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from clientes.models import Cliente
from cotizaciones.models import Cotizacion
from tenants.models import Tenant, User
from tests.auth.helpers import CLIENTES, ME, ids, login
from tests.clients import key_client
from tests.factories import make_cliente
from tests.operations.helpers import run_command
from ventas.models import Venta

pytestmark = pytest.mark.django_db


# -- seed_demo -----------------------------------------------------------------------------


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_seed_demo_fills_an_empty_database(data_dir):
    run_command("seed_demo")

    tenants = list(Tenant.objects.all())
    assert tenants
    assert User.objects.filter(tenant__isnull=False).exists()
    for model in (Cliente, Venta, Cotizacion):
        assert model.objects.unscoped().exists(), model.__name__


def logins(out: str) -> dict[str, tuple[str, str]]:
    """email -> (password, the line's description) of every login the output prints."""
    return {
        email: (password, what)
        for what, email, password in re.findall(r"^\s*(.+?): (\S+@\S+) / (\S+)$", out, re.M)
    }


def test_seed_demo_prints_logins_that_work(data_dir):
    out, _ = run_command("seed_demo")

    printed = logins(out)
    assert len(printed) == 3, out
    for email, (password, _) in printed.items():
        user = User.objects.get(email=email)
        if user.tenant_id is None:  # the platform's superuser: the admin, not the API
            assert Client().login(username=email, password=password), email
        else:
            assert login(APIClient(), email, password).status_code == 200, email


def test_the_demo_shop_admin_is_tenant_staff_and_the_platform_superuser_is_apart(data_dir):
    out, _ = run_command("seed_demo")

    admin = User.objects.get(email="admin@demo.test")
    assert (admin.is_staff, admin.is_superuser, admin.rol) == (True, False, User.Rol.ADMIN)
    root = User.objects.get(email="plataforma@demo.test")
    assert (root.is_superuser, root.tenant_id) == (True, None)
    assert not User.objects.filter(is_superuser=True, tenant__isnull=False).exists()
    printed = logins(out)
    assert "solo su empresa" in printed["admin@demo.test"][1]
    assert "todas las empresas" in printed["plataforma@demo.test"][1]


def test_the_demo_shop_admin_sees_only_their_shop_in_the_admin(data_dir):
    out, _ = run_command("seed_demo")
    password, _ = logins(out)["admin@demo.test"]
    client = Client()
    assert client.login(username="admin@demo.test", password=password)

    response = client.get("/admin/clientes/cliente/", {"all": ""})

    shown = {row.pk for row in response.context["cl"].result_list}
    demo = Tenant.objects.get(slug="demo")
    assert shown == set(Cliente.objects.for_tenant(demo).values_list("pk", flat=True))


def test_the_printed_admin_token_cancels_a_sale_as_the_readme_shows(data_dir):
    out, _ = run_command("seed_demo")
    key = re.search(r"ADMIN.*Authorization: Token (\S+)", out).group(1)
    demo = Tenant.objects.get(slug="demo")
    venta = Venta.objects.for_tenant(demo).filter(cancelada_en__isnull=True).latest("id")
    with time_machine.travel(venta.creado_en, tick=False):  # cancelling is for the same day
        response = key_client(key).post(
            f"/api/ventas/{venta.pk}/cancelar", {"motivo": "Devolución"}, format="json"
        )

    assert response.status_code == 200, response.content


def test_seed_demo_says_what_it_did_once(data_dir):
    first, _ = run_command("seed_demo")
    again, _ = run_command("seed_demo")

    assert first.count("Datos de demostración creados") == 1
    assert first.count("admin@demo.test") == 1
    assert "no se crean" not in first
    assert again.count("admin@demo.test") == 1  # the saved logins, once
    assert "Datos de demostración creados" not in again


def test_seed_demo_prints_a_token_that_works(data_dir):
    out, _ = run_command("seed_demo")
    key = re.search(r"Authorization: Token (\S+)", out).group(1)
    client = key_client(key)

    tenant_id = client.get(ME).json()["empresa"]["id"]
    listed = ids(client.get(CLIENTES, {"limite": 500}))

    others = Cliente.objects.unscoped().exclude(tenant_id=tenant_id)
    assert others.exists(), "the demo data should include another tenant's customers"
    assert listed == set(Cliente.objects.for_tenant(tenant_id).values_list("pk", flat=True))
    assert listed.isdisjoint(others.values_list("pk", flat=True))


def test_seed_demo_keeps_the_logins_under_data_dir(data_dir):
    run_command("seed_demo")

    files = [path for path in data_dir.rglob("*") if path.is_file()]
    assert files
    assert any(re.search(r"\S+@\S+ / \S+", path.read_text()) for path in files)


def test_seed_demo_does_nothing_when_tenants_exist(data_dir, tenant):
    make_cliente(tenant)
    before = (
        Tenant.objects.count(),
        User.objects.count(),
        Cliente.objects.unscoped().count(),
        Venta.objects.unscoped().count(),
        Cotizacion.objects.unscoped().count(),
    )

    run_command("seed_demo")

    after = (
        Tenant.objects.count(),
        User.objects.count(),
        Cliente.objects.unscoped().count(),
        Venta.objects.unscoped().count(),
        Cotizacion.objects.unscoped().count(),
    )
    assert after == before
    assert not list(data_dir.iterdir())


def test_seed_demo_logins_see_only_their_own_tenant(data_dir):
    out, _ = run_command("seed_demo")
    email, password = re.findall(r"(\S+@\S+) / (\S+)", out)[0]
    client = APIClient()
    tenant_id = login(client, email, password).json()["empresa"]["id"]
    others = Cliente.objects.unscoped().exclude(tenant_id=tenant_id)
    assert others.exists(), "the demo data should include another tenant's customers"

    listed = ids(client.get(CLIENTES, {"limite": 500}))

    assert listed == set(Cliente.objects.for_tenant(tenant_id).values_list("pk", flat=True))
    assert listed.isdisjoint(others.values_list("pk", flat=True))
