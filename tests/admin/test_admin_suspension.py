"""Closed accounts in the admin: an open session of a user who stops being ACTIVO, or whose
empresa is suspended, is refused on its next request (403 saying why; the session is ended),
superuser or not. Platform superusers suspend and reactivate empresas with changelist actions.
"""

import pytest

from tenants.models import Tenant, User
from tenants.services import tenant_reactivate, tenant_suspend
from tests.admin.conftest import grant, logged_in, make_staff
from tests.admin.helpers import (
    AUTOCOMPLETE,
    CLIENTES,
    EMPRESAS,
    LOGIN,
    USUARIOS,
    action,
    action_choices,
    admin_login,
    change_url,
    is_logged_in,
    user_list_edit,
)
from tests.factories import PASSWORD, make_cliente

pytestmark = pytest.mark.django_db

SUSPENDIDA = "Empresa suspendida"
INACTIVO = "Usuario inactivo o suspendido"


def assert_refused(response, message: str) -> None:
    assert response.status_code == 403, response.status_code
    assert message in response.content.decode()


def estado_of(tenant) -> str:
    return Tenant.objects.get(pk=tenant.pk).estado


# -- open sessions ---------------------------------------------------------------------------


def test_tenant_admin_session_is_refused_from_the_request_after_the_suspension(staff, tenant):
    make_cliente(tenant)
    assert staff.get(CLIENTES).status_code == 200

    tenant_suspend(tenant=tenant)
    response = staff.get(CLIENTES)

    assert_refused(response, SUSPENDIDA)
    assert b"Cliente " not in response.content


def test_refused_session_is_ended(staff, tenant):
    tenant_suspend(tenant=tenant)
    staff.get("/admin/")

    assert not is_logged_in(staff)
    tenant_reactivate(tenant=tenant)
    response = staff.get(CLIENTES)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    "url", ["/admin/", CLIENTES, f"{CLIENTES}add/", "/admin/password_change/", AUTOCOMPLETE]
)
def test_every_admin_page_refuses_a_suspended_tenant_session(staff, tenant, url):
    tenant_suspend(tenant=tenant)

    assert_refused(staff.get(url), SUSPENDIDA)


def test_posting_with_a_suspended_tenant_session_changes_nothing(staff, tenant):
    cliente = make_cliente(tenant, nombre="Intacto")
    tenant_suspend(tenant=tenant)

    response = staff.post(change_url(CLIENTES, cliente.pk), {"nombre": "Cambiado"})

    assert_refused(response, SUSPENDIDA)
    cliente.refresh_from_db()
    assert cliente.nombre == "Intacto"


@pytest.mark.parametrize("estado", [User.Estado.SUSPENDIDO, User.Estado.PENDIENTE])
def test_superuser_session_is_refused_once_suspended(root, superuser, estado):
    assert root.get(EMPRESAS).status_code == 200

    User.objects.filter(pk=superuser.pk).update(estado=estado)
    response = root.get(EMPRESAS)

    assert_refused(response, INACTIVO)
    assert not is_logged_in(root)


def test_disabled_superuser_session_is_refused(root, superuser):
    User.objects.filter(pk=superuser.pk).update(is_active=False)

    response = root.get(EMPRESAS)

    assert response.status_code in {302, 403}
    assert b"Tienda" not in response.content


def test_suspended_user_with_model_permissions_is_refused(tenant):
    user = grant(make_staff(tenant, rol=User.Rol.USUARIO), "clientes.view_cliente")
    browser = logged_in(user)
    assert browser.get(CLIENTES).status_code == 200

    User.objects.filter(pk=user.pk).update(estado=User.Estado.SUSPENDIDO)

    assert_refused(browser.get(CLIENTES), INACTIVO)


def test_superuser_of_a_suspended_tenant_is_refused(tenant):
    attached = User.objects.create_superuser(
        "root.a@example.test", PASSWORD, nombre="Root A", tenant=tenant
    )
    browser = logged_in(attached)

    tenant_suspend(tenant=tenant)

    assert_refused(browser.get(EMPRESAS), SUSPENDIDA)


def test_platform_superuser_keeps_working_while_a_tenant_is_suspended(root, tenant):
    tenant_suspend(tenant=tenant)

    assert root.get(EMPRESAS).status_code == 200
    assert root.get(CLIENTES).status_code == 200


def test_another_tenant_staff_keeps_working(tenant, other_tenant):
    outsider = logged_in(make_staff(other_tenant, rol=User.Rol.ADMIN))

    tenant_suspend(tenant=tenant)

    assert outsider.get(CLIENTES).status_code == 200


def test_login_page_of_a_refused_session_ends_it_and_says_why(staff, tenant):
    tenant_suspend(tenant=tenant)

    response = staff.get(LOGIN)

    assert response.status_code == 200
    assert SUSPENDIDA in response.content.decode()
    assert not is_logged_in(staff)


def test_staff_logs_in_again_after_reactivation(tenant, tenant_admin):
    tenant_suspend(tenant=tenant)
    client = logged_in(tenant_admin)
    assert_refused(client.get("/admin/"), SUSPENDIDA)

    tenant_reactivate(tenant=tenant)
    response = admin_login(client, tenant_admin.email, PASSWORD)

    assert response.status_code == 302
    assert client.get(CLIENTES).status_code == 200


# -- suspend / reactivate actions --------------------------------------------------------------


def test_superuser_suspends_selected_tenants(root, tenant, other_tenant):
    third = Tenant.objects.create(slug="tienda-c", nombre="Tienda C")

    response = action(root, EMPRESAS, "suspend", [tenant.pk, other_tenant.pk])

    assert response.status_code == 302
    assert estado_of(tenant) == estado_of(other_tenant) == Tenant.Estado.SUSPENDIDA
    assert estado_of(third) == Tenant.Estado.ACTIVA
    messages = [str(m) for m in root.get(EMPRESAS).context["messages"]]
    assert messages == ["Empresas suspendidas: 2."]


def test_suspending_through_the_action_closes_the_tenant_staff_session(root, staff, tenant):
    action(root, EMPRESAS, "suspend", [tenant.pk])

    assert_refused(staff.get(CLIENTES), SUSPENDIDA)


def test_superuser_reactivates_selected_tenants(root, staff, tenant, other_tenant):
    tenant_suspend(tenant=tenant)

    response = action(root, EMPRESAS, "reactivate", [tenant.pk, other_tenant.pk])

    assert response.status_code == 302
    assert estado_of(tenant) == Tenant.Estado.ACTIVA
    messages = [str(m) for m in root.get(EMPRESAS).context["messages"]]
    assert messages == ["Empresas reactivadas: 1. Ya lo estaban: 1."]


def test_tenant_changelist_shows_and_filters_by_estado(root, tenant, other_tenant):
    tenant_suspend(tenant=tenant)

    response = root.get(EMPRESAS, {"estado__exact": Tenant.Estado.SUSPENDIDA})

    assert {t.pk for t in response.context["cl"].result_list} == {tenant.pk}
    assert b"Suspendida" in response.content


def test_actions_without_a_selection_change_nothing(root, tenant):
    response = action(root, EMPRESAS, "suspend", [])

    assert response.status_code in {200, 302}
    assert estado_of(tenant) == Tenant.Estado.ACTIVA


@pytest.mark.parametrize("pks", [["999999"], ["9" * 30]])
def test_actions_on_unknown_tenants_change_nothing(root, tenant, pks):
    response = action(root, EMPRESAS, "suspend", pks)

    assert response.status_code in {200, 302}
    assert estado_of(tenant) == Tenant.Estado.ACTIVA


@pytest.mark.parametrize("changelist", [EMPRESAS, USUARIOS, CLIENTES])
@pytest.mark.parametrize("pk", ["no-es-un-id", "1.5", ""])
def test_actions_on_malformed_ids_are_a_400_and_change_nothing(root, tenant, changelist, pk):
    response = action(root, changelist, "suspend", [tenant.pk, pk])

    assert response.status_code == 400
    assert "Selección no válida" in response.content.decode()
    assert estado_of(tenant) == Tenant.Estado.ACTIVA


def test_unknown_action_changes_nothing(root, tenant):
    response = action(root, EMPRESAS, "borrar_todo", [tenant.pk])

    assert response.status_code in {200, 302}
    assert estado_of(tenant) == Tenant.Estado.ACTIVA


def test_estado_is_not_editable_in_the_tenant_form(root, tenant):
    page = root.get(change_url(EMPRESAS, tenant.pk))
    assert "estado" not in page.context["adminform"].form.fields

    response = root.post(
        change_url(EMPRESAS, tenant.pk),
        {
            "nombre": tenant.nombre,
            "slug": tenant.slug,
            "zona_horaria": tenant.zona_horaria,
            "creado_en_0": "2026-01-02",
            "creado_en_1": "10:00:00",
            "estado": Tenant.Estado.SUSPENDIDA,
        },
    )

    assert response.status_code == 302
    assert estado_of(tenant) == Tenant.Estado.ACTIVA


def test_tenant_staff_is_not_offered_the_actions(manager, tenant):
    response = manager.get(EMPRESAS)

    assert response.status_code == 200
    assert not action_choices(response) & {"suspend", "reactivate"}


@pytest.mark.parametrize("name", ["suspend", "reactivate"])
def test_tenant_staff_cannot_run_the_actions(manager, tenant, other_tenant, name):
    tenant_suspend(tenant=other_tenant)

    response = action(manager, EMPRESAS, name, [tenant.pk, other_tenant.pk])

    assert response.status_code in {200, 302, 403}
    assert estado_of(tenant) == Tenant.Estado.ACTIVA
    assert estado_of(other_tenant) == Tenant.Estado.SUSPENDIDA


def test_tenant_admin_without_permissions_cannot_run_the_actions(staff, tenant):
    response = action(staff, EMPRESAS, "suspend", [tenant.pk])

    assert response.status_code == 403
    assert estado_of(tenant) == Tenant.Estado.ACTIVA


def test_suspended_tenant_users_cannot_be_edited_by_their_staff(manager, tenant, user):
    tenant_suspend(tenant=tenant)

    response = user_list_edit(manager, user, rol=User.Rol.ADMIN)

    assert_refused(response, SUSPENDIDA)
    user.refresh_from_db()
    assert user.rol == User.Rol.USUARIO
