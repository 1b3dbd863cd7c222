"""GET /api/ventas: what only a sale's row shows. Order, paging, roles, 404s, 405s and the
rows' shape are in the document battery (``tests/comercial``)."""

import pytest

from cotizaciones.services import cotizacion_convert
from tests.factories import make_cliente, make_cotizacion, make_venta
from tests.ventas.helpers import LIST_URL

pytestmark = pytest.mark.django_db


def test_a_sale_made_from_a_quotation_names_it_in_its_row_and_notas(admin_api, tenant, user):
    cliente = make_cliente(tenant)
    make_venta(tenant, cliente, vendedor=user)
    cotizacion = make_cotizacion(tenant, cliente, vendedor=user)
    cotizacion_convert(cotizacion=cotizacion)
    make_venta(tenant, vendedor=user, notas="Con nota")

    rows = admin_api.get(LIST_URL).json()

    assert [row["cotizacionId"] for row in rows] == [None, cotizacion.pk, None]
    assert rows[1]["notas"] == f"Venta convertida desde cotización #{cotizacion.numero}"
