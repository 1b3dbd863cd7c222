"""Sales and quotations with their line items inline: subtotals and the total are computed."""

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
from tests.factories import make_cliente
from ventas.models import Venta

pytestmark = pytest.mark.django_db

LINES = [("Tornillo", "3", "1500.50"), ("Tuerca", "2.5", "100")]
SUBTOTALS = [Decimal("4501.50"), Decimal("250.00")]
TOTAL = Decimal("4751.50")


@pytest.fixture
def cliente(tenant):
    return make_cliente(tenant, nombre="Comprador")


def test_tenant_admin_sale_items_get_subtotals_and_total(staff, tenant, cliente):
    response = staff.post(f"{VENTAS}add/", venta_data(cliente=cliente.pk, lines=LINES))

    assert response.status_code == 302, form_errors(response)
    venta = Venta.objects.for_tenant(tenant).get()
    items = list(venta.items.order_by("id"))
    assert [item.descripcion for item in items] == ["Tornillo", "Tuerca"]
    assert [item.subtotal for item in items] == SUBTOTALS
    assert {item.tenant_id for item in items} == {tenant.pk}
    assert venta.total == TOTAL


def test_tenant_admin_quotation_items_get_subtotals_and_total(staff, tenant, cliente):
    response = staff.post(f"{COTIZACIONES}add/", cotizacion_data(cliente=cliente.pk, lines=LINES))

    assert response.status_code == 302, form_errors(response)
    cotizacion = Cotizacion.objects.for_tenant(tenant).get()
    items = list(cotizacion.items.order_by("id"))
    assert [item.subtotal for item in items] == SUBTOTALS
    assert {item.tenant_id for item in items} == {tenant.pk}
    assert cotizacion.total == TOTAL


def test_superuser_sale_items_take_the_chosen_tenant(root, tenant, cliente):
    response = root.post(
        f"{VENTAS}add/", venta_data(tenant=tenant.pk, cliente=cliente.pk, lines=LINES)
    )

    assert response.status_code == 302, form_errors(response)
    venta = Venta.objects.for_tenant(tenant).get()
    assert {item.tenant_id for item in venta.items.all()} == {tenant.pk}
    assert venta.total == TOTAL


def test_editing_items_recomputes_the_total(staff, tenant, cliente):
    staff.post(f"{VENTAS}add/", venta_data(cliente=cliente.pk, lines=LINES))
    venta = Venta.objects.for_tenant(tenant).get()
    first, second = venta.items.order_by("id")

    data = venta_data(cliente=cliente.pk)
    data.update(
        {
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "2",
            "items-0-id": str(first.pk),
            "items-0-venta": str(venta.pk),
            "items-0-descripcion": "Tornillo",
            "items-0-cantidad": "10",
            "items-0-precio_unitario": "2",
            "items-1-id": str(second.pk),
            "items-1-venta": str(venta.pk),
            "items-1-descripcion": "Tuerca",
            "items-1-cantidad": "2.5",
            "items-1-precio_unitario": "100",
            "items-1-DELETE": "on",
        }
    )
    response = staff.post(change_url(VENTAS, venta.pk), data)

    assert response.status_code == 302, form_errors(response)
    venta.refresh_from_db()
    assert [item.subtotal for item in venta.items.all()] == [Decimal("20.00")]
    assert venta.total == Decimal("20.00")


def test_typed_total_and_subtotal_are_ignored(staff, tenant, cliente):
    data = venta_data(cliente=cliente.pk, lines=LINES, total="1")
    data["items-0-subtotal"] = "1"

    response = staff.post(f"{VENTAS}add/", data)

    assert response.status_code == 302, form_errors(response)
    assert Venta.objects.for_tenant(tenant).get().total == TOTAL


@pytest.mark.parametrize(("cantidad", "precio"), [("0", "10"), ("-1", "10"), ("1", "-5")])
def test_invalid_line_is_a_form_error_not_a_crash(staff, tenant, cliente, cantidad, precio):
    data = venta_data(cliente=cliente.pk)
    data.update(items_data([("Malo", cantidad, precio)]))

    response = staff.post(f"{VENTAS}add/", data)

    assert response.status_code == 200
    assert any(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Venta.objects.for_tenant(tenant).exists()
