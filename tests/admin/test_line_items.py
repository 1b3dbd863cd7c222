"""Line items in the admin: typed once on the add page, computed by the services, then frozen."""

from decimal import Decimal

import pytest

from cotizaciones.models import Cotizacion
from tests.admin.helpers import (
    COTIZACIONES,
    VENTAS,
    change_url,
    cotizacion_data,
    form_errors,
    items_data,
    venta_data,
)
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db

# 0.5 × 0.25 = 0.125: half up gives 0.13 (half even would give 0.12).
LINES = [("Tornillo", "3", "1500.50"), ("Tuerca", "2.5", "100"), ("Clavo", "0.5", "0.25")]
SUBTOTALS = [Decimal("4501.50"), Decimal("250.00"), Decimal("0.13")]
TOTAL = Decimal("4751.63")


@pytest.fixture
def cliente(tenant):
    return make_cliente(tenant, nombre="Comprador")


def inline_errors(response) -> list:
    """Errors of the items inline (per form and of the whole formset)."""
    assert response.status_code == 200, response.status_code
    formset = response.context["inline_admin_formsets"][0].formset
    return [*formset.errors, *formset.non_form_errors()]


def test_sale_items_are_kept_in_order_with_half_up_subtotals(staff, tenant, cliente):
    response = staff.post(f"{VENTAS}add/", venta_data(cliente=cliente.pk, lines=LINES))

    assert response.status_code == 302, form_errors(response)
    venta = Venta.objects.for_tenant(tenant).get()
    items = list(venta.items.order_by("id"))
    assert [item.descripcion for item in items] == ["Tornillo", "Tuerca", "Clavo"]
    assert [item.subtotal for item in items] == SUBTOTALS
    assert {item.tenant_id for item in items} == {tenant.pk}
    assert venta.total == TOTAL


def test_quotation_items_get_half_up_subtotals_and_total(staff, tenant, cliente):
    response = staff.post(f"{COTIZACIONES}add/", cotizacion_data(cliente=cliente.pk, lines=LINES))

    assert response.status_code == 302, form_errors(response)
    cotizacion = Cotizacion.objects.for_tenant(tenant).get()
    assert [item.subtotal for item in cotizacion.items.order_by("id")] == SUBTOTALS
    assert cotizacion.total == TOTAL


def test_superuser_sale_items_take_the_chosen_tenant(root, tenant, cliente):
    response = root.post(
        f"{VENTAS}add/", venta_data(tenant=tenant.pk, cliente=cliente.pk, lines=LINES)
    )

    assert response.status_code == 302, form_errors(response)
    venta = Venta.objects.for_tenant(tenant).get()
    assert {item.tenant_id for item in venta.items.all()} == {tenant.pk}
    assert venta.total == TOTAL


def test_typed_total_and_subtotal_are_ignored(staff, tenant, cliente):
    data = venta_data(cliente=cliente.pk, lines=LINES, total="1")
    data["items-0-subtotal"] = "1"

    response = staff.post(f"{VENTAS}add/", data)

    assert response.status_code == 302, form_errors(response)
    assert Venta.objects.for_tenant(tenant).get().total == TOTAL


@pytest.mark.parametrize(
    ("cantidad", "precio", "field"),
    [("0", "10", "cantidad"), ("-1", "10", "cantidad"), ("1", "-5", "precio_unitario")],
)
def test_invalid_line_is_a_field_error_not_a_crash(staff, tenant, cantidad, precio, field):
    data = venta_data(lines=[("Malo", cantidad, precio)])

    response = staff.post(f"{VENTAS}add/", data)

    errors = inline_errors(response)
    assert field in errors[0]
    assert not Venta.objects.for_tenant(tenant).exists()


def test_a_sale_without_items_is_refused(staff, tenant):
    response = staff.post(f"{VENTAS}add/", venta_data(lines=[]))

    assert "Se necesita al menos un ítem" in str(inline_errors(response))
    assert not Venta.objects.for_tenant(tenant).exists()


def test_a_total_too_large_for_the_column_is_a_form_error(staff, tenant):
    lines = [("Caro", "999999999.999", "999999999999.99")]

    response = staff.post(f"{VENTAS}add/", venta_data(lines=lines))

    assert "El total supera el máximo permitido" in str(inline_errors(response))
    assert not Venta.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    ("changelist", "make"), [(VENTAS, make_venta), (COTIZACIONES, make_cotizacion)]
)
def test_items_are_read_only_on_the_change_page(staff, tenant, changelist, make):
    documento = make(tenant)

    response = staff.get(change_url(changelist, documento.pk))

    assert response.status_code == 200
    items = response.context["inline_admin_formsets"][0]
    assert items.formset.model is type(documento).items.rel.related_model
    assert not items.has_change_permission
    assert not items.has_add_permission
    assert not items.has_delete_permission


def test_posting_changed_items_on_the_change_page_changes_nothing(staff, tenant):
    venta = make_venta(tenant, total="100.00")
    item = venta.items.get()
    data = venta_data(**{"eventos-TOTAL_FORMS": "0", "eventos-INITIAL_FORMS": "0"})
    data.update(items_data([("Cambiado", "10", "2")]))
    data.update(
        {
            "items-INITIAL_FORMS": "1",
            "items-0-id": str(item.pk),
            "items-0-venta": str(venta.pk),
            "items-0-DELETE": "on",
        }
    )

    staff.post(change_url(VENTAS, venta.pk), data)

    item.refresh_from_db()
    venta.refresh_from_db()
    assert (item.descripcion, item.subtotal) == ("Producto", Decimal("100.00"))
    assert venta.items.count() == 1
    assert venta.total == Decimal("100.00")
