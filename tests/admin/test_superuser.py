"""A platform superuser in the admin: every tenant's records, with a tenant filter."""

import pytest

from clientes.models import Cliente
from tenants.models import Tenant, User
from tests.admin.helpers import (
    CLIENTES,
    COTIZACIONES,
    EMPRESAS,
    USUARIOS,
    VENTAS,
    change_url,
    changelist_ids,
    cliente_data,
    cotizacion_data,
    form_errors,
    venta_data,
)
from tests.factories import make_cliente, make_user, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db


@pytest.fixture
def a(tenant) -> Cliente:
    return make_cliente(tenant, nombre="José de A")


@pytest.fixture
def b(other_tenant) -> Cliente:
    return make_cliente(other_tenant, nombre="Josefa de B")


def test_superuser_sees_customers_of_every_tenant(root, a, b):
    response = root.get(CLIENTES)

    assert changelist_ids(response) == {a.pk, b.pk}


def test_superuser_can_filter_customers_by_tenant(root, tenant, other_tenant, a, b):
    listing = root.get(CLIENTES)
    assert any(
        getattr(spec, "field_path", None) == "tenant" for spec in listing.context["cl"].filter_specs
    )
    assert other_tenant.nombre.encode() in listing.content  # offered in the filter

    assert changelist_ids(root.get(CLIENTES, {"tenant__id__exact": tenant.pk})) == {a.pk}
    assert changelist_ids(root.get(CLIENTES, {"tenant__id__exact": other_tenant.pk})) == {b.pk}


def test_superuser_search_spans_tenants_and_ignores_accents(root, a, b):
    make_cliente(a.tenant, nombre="Otro")

    assert changelist_ids(root.get(CLIENTES, {"q": "jose"})) == {a.pk, b.pk}
    assert changelist_ids(root.get(CLIENTES, {"q": "JOSÉ DE"})) == {a.pk}


def test_superuser_opens_any_tenant_customer(root, b):
    response = root.get(change_url(CLIENTES, b.pk))

    assert response.status_code == 200
    assert response.context["original"] == b


def test_superuser_creates_a_customer_in_a_chosen_tenant(root, other_tenant):
    response = root.post(
        f"{CLIENTES}add/", cliente_data(tenant=other_tenant.pk, nombre="Creado por plataforma")
    )

    assert response.status_code == 302, form_errors(response)
    created = Cliente.objects.unscoped().get(nombre="Creado por plataforma")
    assert created.tenant_id == other_tenant.pk


def test_superuser_must_choose_a_tenant(root):
    response = root.post(f"{CLIENTES}add/", cliente_data(nombre="Sin empresa"))

    assert "tenant" in form_errors(response)
    assert not Cliente.objects.unscoped().exists()


def test_superuser_duplicate_documento_in_a_tenant_is_a_form_error(root, tenant):
    make_cliente(tenant, nombre="Primero", documento="1.020.345-678")

    response = root.post(
        f"{CLIENTES}add/",
        cliente_data(tenant=tenant.pk, nombre="Segundo", documento="1020345678"),
    )

    assert form_errors(response)
    assert Cliente.objects.for_tenant(tenant).count() == 1


def test_superuser_sale_mixing_tenant_and_customer_is_a_form_error(root, tenant, b):
    """A sale of tenant A for B's customer: the database refuses it; the form must say so."""
    response = root.post(
        f"{VENTAS}add/",
        venta_data(tenant=tenant.pk, cliente=b.pk, lines=[("Producto", "1", "10")]),
    )

    assert form_errors(response)
    assert not Venta.objects.unscoped().exists()


def test_superuser_quotation_mixing_tenant_and_customer_is_a_form_error(root, tenant, b):
    response = root.post(
        f"{COTIZACIONES}add/",
        cotizacion_data(tenant=tenant.pk, cliente=b.pk, lines=[("Producto", "1", "10")]),
    )

    assert form_errors(response)


def test_superuser_opens_a_sale_with_a_customer(root, a):
    venta = make_venta(a.tenant, a)

    response = root.get(change_url(VENTAS, venta.pk))

    assert response.status_code == 200
    assert response.context["original"].cliente_id == a.pk


def test_superuser_sees_sales_of_every_tenant(root, a, b):
    ventas = {make_venta(a.tenant, a).pk, make_venta(b.tenant, b).pk}

    assert changelist_ids(root.get(VENTAS)) == ventas


def test_superuser_manages_tenants_and_users(root, tenant, other_tenant):
    member = make_user(tenant)

    assert changelist_ids(root.get(EMPRESAS)) == {tenant.pk, other_tenant.pk}
    response = root.get(change_url(USUARIOS, member.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert {"tenant", "rol", "estado"} <= set(form.fields)


def test_superuser_edits_rol_and_estado_from_the_user_list(root, tenant):
    member = make_user(tenant)

    response = root.post(
        USUARIOS,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(member.pk),
            "form-0-rol": User.Rol.ADMIN,
            "form-0-estado": User.Estado.SUSPENDIDO,
            "_save": "Guardar",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.rol, member.estado) == (User.Rol.ADMIN, User.Estado.SUSPENDIDO)


def test_superuser_creates_a_tenant(root):
    response = root.post(
        f"{EMPRESAS}add/",
        {
            "nombre": "Tienda C",
            "slug": "tienda-c",
            "creado_en_0": "2026-01-02",
            "creado_en_1": "10:00:00",
            "zona_horaria": "America/Bogota",
            "estado": "ACTIVA",
        },
    )

    assert response.status_code == 302, form_errors(response)
    assert Tenant.objects.filter(slug="tienda-c").exists()


def test_a_stored_customer_cannot_be_moved_to_another_tenant(root, tenant, other_tenant):
    from tests.admin.helpers import CLIENTES, change_url, cliente_data
    from tests.factories import make_cliente

    cliente = make_cliente(tenant, nombre="Quieto")

    response = root.post(
        change_url(CLIENTES, cliente.pk),
        cliente_data(tenant=other_tenant.pk, nombre="Quieto"),
    )

    assert response.status_code == 302
    cliente.refresh_from_db()
    assert cliente.tenant_id == tenant.pk
