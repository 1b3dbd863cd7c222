"""The admin speaks Spanish with its accents: the columns and fields of sales, quotations,
customers and users read "Número", "Motivo de cancelación", "Empresa", never the bare field
names ("Numero", "Motivo cancelacion", "Tenant")."""

import html

import pytest

from tests.admin.helpers import change_url
from tests.factories import make_cliente, make_cotizacion, make_venta

pytestmark = pytest.mark.django_db

WRONG = ["Numero", "Motivo cancelacion", "Tenant", "Telefono", "Direccion", "Valida hasta"]


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("changelist", "expected"),
    [
        ("/admin/ventas/venta/", ["Número", "Empresa"]),
        ("/admin/cotizaciones/cotizacion/", ["Número", "Empresa"]),
        ("/admin/clientes/cliente/", ["Empresa"]),
    ],
)
def test_changelists_label_their_columns_in_spanish(root, tenant, changelist, expected):
    cliente = make_cliente(tenant)
    make_venta(tenant, cliente)
    make_cotizacion(tenant, cliente)

    text = page_text(root, changelist)

    for label in expected:
        assert label in text, label
    for label in WRONG:
        assert f">{label}<" not in text, label


def test_a_sales_change_page_labels_its_fields_in_spanish(root, tenant):
    venta = make_venta(tenant, make_cliente(tenant))

    text = page_text(root, change_url("/admin/ventas/venta/", venta.pk))

    for label in ["Número", "Motivo de cancelación", "Empresa"]:
        assert label in text, label
    for label in WRONG:
        assert f">{label}:<" not in text and f">{label}<" not in text, label


def test_a_customers_change_page_labels_its_fields_in_spanish(root, tenant):
    cliente = make_cliente(tenant)

    text = page_text(root, change_url("/admin/clientes/cliente/", cliente.pk))

    for label in ["Teléfono", "Dirección", "Empresa"]:
        assert label in text, label
