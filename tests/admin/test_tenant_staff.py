"""A tenant's own administrator (staff, ADMIN role, no Django permissions) in the admin.

They see and create only their tenant's records and can never reach, or pick, another
tenant's data: not in changelists, change pages, searches, forms, autocompletes or actions.
"""

import pytest

from clientes.models import Cliente
from cotizaciones.models import Cotizacion
from tenants.models import User
from tests.admin.conftest import logged_in, make_staff
from tests.admin.helpers import (
    CLIENTES,
    COTIZACIONES,
    EMPRESAS,
    USUARIOS,
    VENTAS,
    autocomplete,
    change_url,
    changelist_ids,
    cliente_data,
    cotizacion_data,
    form_errors,
    venta_data,
)
from tests.factories import make_cliente, make_cotizacion, make_user, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(tenant) -> Cliente:
    return make_cliente(tenant, nombre="Cliente Propio", documento="111")


@pytest.fixture
def foreign(other_tenant) -> Cliente:
    return make_cliente(other_tenant, nombre="Cliente Ajeno", documento="222")


def ventas_of(tenant):
    return Venta.objects.for_tenant(tenant)


def cotizaciones_of(tenant):
    return Cotizacion.objects.for_tenant(tenant)


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


# -- customers: list, change, search ---------------------------------------------------------


def test_changelist_shows_only_own_tenant_customers(staff, own, foreign):
    response = staff.get(CLIENTES)

    assert changelist_ids(response) == {own.pk}
    assert b"Cliente Ajeno" not in response.content


def test_changelist_has_no_tenant_filter(staff, own, foreign, other_tenant):
    response = staff.get(CLIENTES)

    specs = response.context["cl"].filter_specs
    assert not any(getattr(spec, "field_path", None) == "tenant" for spec in specs)
    assert other_tenant.nombre.encode() not in response.content


def test_filtering_by_another_tenant_in_the_url_leaks_nothing(staff, own, foreign, other_tenant):
    response = staff.get(CLIENTES, {"tenant__id__exact": other_tenant.pk})

    if response.status_code == 200:
        assert changelist_ids(response) <= {own.pk}
    else:
        assert response.status_code in {302, 400}
    assert b"Cliente Ajeno" not in response.content


def test_change_page_of_another_tenant_customer_is_not_found(staff, foreign):
    response = staff.get(change_url(CLIENTES, foreign.pk))

    assert response.status_code in {302, 404}
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    assert b"Cliente Ajeno" not in response.content


def test_posting_to_another_tenant_customer_changes_nothing(staff, foreign):
    response = staff.post(change_url(CLIENTES, foreign.pk), cliente_data(nombre="Robado"))

    assert response.status_code in {302, 404}
    foreign.refresh_from_db()
    assert foreign.nombre == "Cliente Ajeno"


def test_tenant_admin_opens_own_customer_change_page(staff, own):
    response = staff.get(change_url(CLIENTES, own.pk))

    assert response.status_code == 200
    assert "tenant" not in response.context["adminform"].form.fields


def test_tenant_admin_edits_own_customer(staff, tenant, own):
    response = staff.post(
        change_url(CLIENTES, own.pk), cliente_data(nombre="Renombrado", documento="111")
    )

    assert response.status_code == 302, form_errors(response)
    own.refresh_from_db()
    assert (own.nombre, own.tenant_id) == ("Renombrado", tenant.pk)


def test_change_page_of_own_customer_shows_their_sales_and_quotations(staff, tenant, own):
    venta = make_venta(tenant, own, total="150.00")
    cotizacion = make_cotizacion(tenant, own, total="99.50")

    response = staff.get(change_url(CLIENTES, own.pk))

    assert response.status_code == 200
    inlines = {
        formset.formset.model: [form.instance.pk for form in formset.formset.forms]
        for formset in response.context["inline_admin_formsets"]
    }
    assert inlines[Venta] == [venta.pk]
    assert inlines[Cotizacion] == [cotizacion.pk]


def test_search_finds_only_own_tenant_customers(staff, tenant, other_tenant):
    mine = make_cliente(tenant, nombre="Ana Gómez")
    make_cliente(other_tenant, nombre="Ana Gómez")

    response = staff.get(CLIENTES, {"q": "ana"})

    assert changelist_ids(response) == {mine.pk}


def test_search_is_accent_insensitive(staff, tenant):
    jose = make_cliente(tenant, nombre="José Álvarez")
    make_cliente(tenant, nombre="María Pérez")

    assert changelist_ids(staff.get(CLIENTES, {"q": "jose"})) == {jose.pk}
    assert changelist_ids(staff.get(CLIENTES, {"q": "ALVAREZ"})) == {jose.pk}


def test_search_matches_documento_ignoring_punctuation_like_the_api(staff, tenant):
    cliente = make_cliente(tenant, nombre="Documentado", documento="1.020.345-678")
    make_cliente(tenant, nombre="Otro", documento="999")

    assert changelist_ids(staff.get(CLIENTES, {"q": "1020345678"})) == {cliente.pk}


# -- customers: create -----------------------------------------------------------------------


def test_add_form_has_no_tenant_field(staff):
    response = staff.get(f"{CLIENTES}add/")

    assert response.status_code == 200
    assert "tenant" not in response.context["adminform"].form.fields
    assert b'name="tenant"' not in response.content


def test_created_customer_is_stamped_with_the_admin_tenant(staff, tenant, other_tenant):
    response = staff.post(
        f"{CLIENTES}add/",
        cliente_data(nombre="  Nuevo Cliente ", documento="5.555", tenant=other_tenant.pk),
    )

    assert response.status_code == 302, form_errors(response)
    created = Cliente.objects.unscoped().get(nombre__contains="Nuevo Cliente")
    assert created.tenant_id == tenant.pk
    assert changelist_ids(staff.get(CLIENTES)) == {created.pk}


def test_duplicate_documento_in_own_tenant_is_a_form_error(staff, tenant, own):
    response = staff.post(f"{CLIENTES}add/", cliente_data(nombre="Copia", documento="1-1-1"))

    errors = form_errors(response)
    assert errors
    assert Cliente.objects.for_tenant(tenant).count() == 1


def test_documento_used_in_another_tenant_is_fine(staff, tenant, foreign):
    response = staff.post(f"{CLIENTES}add/", cliente_data(nombre="Mismo doc", documento="222"))

    assert response.status_code == 302, form_errors(response)
    assert Cliente.objects.for_tenant(tenant).filter(documento="222").exists()


# -- sales and quotations: no other tenant's customer ---------------------------------------


def test_sale_with_another_tenant_customer_is_refused(staff, tenant, other_tenant, foreign):
    response = staff.post(
        f"{VENTAS}add/", venta_data(cliente=foreign.pk, lines=[("Producto", "1", "10")])
    )

    assert "cliente" in form_errors(response)
    assert not ventas_of(tenant).exists()
    assert not ventas_of(other_tenant).exists()


def test_quotation_with_another_tenant_customer_is_refused(staff, tenant, other_tenant, foreign):
    response = staff.post(
        f"{COTIZACIONES}add/",
        cotizacion_data(cliente=foreign.pk, lines=[("Producto", "1", "10")]),
    )

    assert "cliente" in form_errors(response)
    assert not cotizaciones_of(tenant).exists()
    assert not cotizaciones_of(other_tenant).exists()


def test_sale_forms_have_no_tenant_field(staff):
    for url in [f"{VENTAS}add/", f"{COTIZACIONES}add/"]:
        response = staff.get(url)
        assert response.status_code == 200
        assert "tenant" not in response.context["adminform"].form.fields, url


def test_sale_with_own_customer_is_created_in_own_tenant(staff, tenant, own):
    response = staff.post(f"{VENTAS}add/", venta_data(cliente=own.pk, lines=[("P", "1", "5")]))

    assert response.status_code == 302, form_errors(response)
    venta = ventas_of(tenant).get()
    assert venta.cliente_id == own.pk


@pytest.mark.parametrize("field", ["vendedor"])
def test_user_choices_are_only_own_tenant_users(staff, tenant_admin, other_tenant, field):
    outsider = make_user(other_tenant, email="vendedor.ajeno@example.test")

    response = staff.get(f"{VENTAS}add/")

    choices = response.context["adminform"].form.fields[field].queryset
    assert outsider not in choices
    assert tenant_admin in choices
    assert b"vendedor.ajeno@example.test" not in response.content


@pytest.mark.parametrize("field", ["vendedor"])
def test_sale_with_another_tenant_user_is_refused(staff, tenant, other_tenant, own, field):
    outsider = make_user(other_tenant)

    response = staff.post(
        f"{VENTAS}add/",
        venta_data(cliente=own.pk, lines=[("P", "1", "5")], **{field: outsider.pk}),
    )

    assert field in form_errors(response)
    assert not ventas_of(tenant).exists()


def test_quotation_cannot_link_another_tenant_sale(staff, tenant, other_tenant, own):
    ajena = make_venta(other_tenant)

    response = staff.post(
        f"{COTIZACIONES}add/",
        cotizacion_data(cliente=own.pk, venta=ajena.pk, lines=[("P", "1", "5")]),
    )

    # ``venta`` is set only by a conversion: a posted value is not a form field at all.
    assert response.status_code == 302
    assert cotizaciones_of(tenant).get().venta_id is None


def test_tenant_admin_opens_own_sale_with_a_customer(staff, tenant, own):
    venta = make_venta(tenant, own)

    response = staff.get(change_url(VENTAS, venta.pk))

    assert response.status_code == 200
    assert response.context["original"].cliente_id == own.pk


def test_tenant_admin_opens_own_quotation_linked_to_a_sale(staff, tenant, own):
    cotizacion = make_cotizacion(tenant, own)
    Cotizacion.objects.for_tenant(tenant).filter(pk=cotizacion.pk).update(
        venta=make_venta(tenant, own), estado=Cotizacion.Estado.CONVERTIDA
    )

    response = staff.get(change_url(COTIZACIONES, cotizacion.pk))

    assert response.status_code == 200


def test_sales_changelist_shows_only_own_tenant_sales(staff, tenant, other_tenant, own, foreign):
    mine = make_venta(tenant, own)
    theirs = make_venta(other_tenant, foreign)

    response = staff.get(VENTAS)

    assert changelist_ids(response) == {mine.pk}
    assert staff.get(change_url(VENTAS, theirs.pk)).status_code in {302, 404}


def test_quotations_changelist_shows_only_own_tenant_quotations(
    staff, tenant, other_tenant, own, foreign
):
    mine = make_cotizacion(tenant, own)
    theirs = make_cotizacion(other_tenant, foreign)

    response = staff.get(COTIZACIONES)

    assert changelist_ids(response) == {mine.pk}
    assert staff.get(change_url(COTIZACIONES, theirs.pk)).status_code in {302, 404}


# -- pickers: raw-id popups and autocompletes -----------------------------------------------


def test_customer_lookup_popup_lists_only_own_customers(staff, own, foreign):
    response = staff.get(CLIENTES, {"_to_field": "id", "_popup": "1"})

    assert changelist_ids(response) == {own.pk}


def test_customer_autocomplete_returns_only_own_customers(staff, own, foreign):
    response = autocomplete(staff, "ventas", "venta", "cliente", term="cliente")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(own.pk)]


def test_customer_autocomplete_is_newest_first_like_the_changelist(staff, tenant):
    older = make_cliente(tenant, nombre="Cliente Viejo")
    newer = make_cliente(tenant, nombre="Cliente Nuevo")

    response = autocomplete(staff, "ventas", "venta", "cliente", term="cliente")

    assert [row["id"] for row in response.json()["results"]] == [str(newer.pk), str(older.pk)]


def test_tenant_autocomplete_is_forbidden(staff, other_tenant):
    response = autocomplete(staff, "tenants", "user", "tenant")

    assert response.status_code == 403
    assert other_tenant.nombre.encode() not in response.content


def test_user_autocomplete_leaks_no_other_tenant_user(staff, other_tenant):
    make_user(other_tenant, email="ajeno@example.test")

    response = autocomplete(staff, "ventas", "venta", "vendedor", term="ajeno")

    assert b"ajeno@example.test" not in response.content


# -- bulk actions ----------------------------------------------------------------------------


def test_bulk_delete_cannot_touch_another_tenant_customer(staff, own, foreign):
    response = staff.post(
        CLIENTES,
        {"action": "delete_selected", "_selected_action": [foreign.pk], "post": "yes"},
    )

    assert response.status_code in {200, 302, 403}
    assert Cliente.objects.unscoped().filter(pk=foreign.pk).exists()


def test_tenant_admin_is_offered_no_bulk_delete(staff, own):
    response = staff.get(CLIENTES)

    action_form = response.context.get("action_form")
    choices = (
        [value for value, _label in action_form.fields["action"].choices] if action_form else []
    )
    assert "delete_selected" not in choices
