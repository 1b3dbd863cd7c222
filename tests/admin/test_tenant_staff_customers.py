"""A tenant's administrator lists, searches, edits and creates only their own tenant's customers."""

import pytest

from clientes.models import Cliente
from cotizaciones.models import Cotizacion
from tests.admin.helpers import CLIENTES, change_url, changelist_ids, cliente_data, form_errors
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db


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
