"""Who of a tenant's staff gets into the admin: only an active ADMIN, never to tenants or users."""

import pytest

from tenants.models import User
from tests.admin.conftest import logged_in, make_staff
from tests.admin.helpers import CLIENTES, COTIZACIONES, EMPRESAS, USUARIOS, VENTAS

pytestmark = pytest.mark.django_db


# -- who gets in -----------------------------------------------------------------------------


def test_tenant_admin_reaches_the_admin_index_and_sees_the_business_models(staff):
    response = staff.get("/admin/")

    assert response.status_code == 200
    models = {
        model["object_name"] for app in response.context["app_list"] for model in app["models"]
    }
    assert {"Cliente", "Venta", "Cotizacion"} <= models
    assert "Tenant" not in models
    assert "User" not in models


@pytest.mark.parametrize("url", [CLIENTES, f"{CLIENTES}add/", VENTAS, COTIZACIONES])
def test_usuario_role_staff_without_permissions_is_forbidden(tenant, url):
    usuario = make_staff(tenant, rol=User.Rol.USUARIO)

    response = logged_in(usuario).get(url)

    assert response.status_code == 403


@pytest.mark.parametrize("estado", [User.Estado.SUSPENDIDO, User.Estado.PENDIENTE])
def test_tenant_admin_who_is_not_active_is_forbidden(tenant, estado):
    suspended = make_staff(tenant, rol=User.Rol.ADMIN, estado=estado)

    response = logged_in(suspended).get(CLIENTES)

    assert response.status_code == 403


def test_admin_role_staff_without_a_tenant_sees_nothing(db):
    homeless = make_staff(None, rol=User.Rol.ADMIN)

    response = logged_in(homeless).get(CLIENTES)

    assert response.status_code == 403


@pytest.mark.parametrize("url", [EMPRESAS, f"{EMPRESAS}add/", USUARIOS, f"{USUARIOS}add/"])
def test_tenant_admin_cannot_manage_tenants_or_users(staff, url):
    assert staff.get(url).status_code == 403
