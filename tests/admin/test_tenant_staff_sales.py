"""A tenant's administrator's sales and quotations never offer or take another tenant's records."""

import pytest

from cotizaciones.models import Cotizacion
from tests.admin.helpers import (
    CLIENTES,
    COTIZACIONES,
    VENTAS,
    autocomplete,
    change_url,
    changelist_ids,
    cotizacion_data,
    form_errors,
    form_fields,
    venta_data,
)
from tests.factories import make_cliente, make_cotizacion, make_user, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db


def ventas_of(tenant):
    return Venta.objects.for_tenant(tenant)


def cotizaciones_of(tenant):
    return Cotizacion.objects.for_tenant(tenant)


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
        assert "tenant" not in form_fields(staff.get(url)), url


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
