"""GET /api/clientes/{id}/historial: each sale and quotation row carries its ``numero``, the
number people read on the paper (the id alone is not what a shop talks about)."""

import pytest

from tests.factories import make_cliente, make_cotizacion, make_venta

pytestmark = pytest.mark.django_db


def test_historial_rows_carry_each_documents_numero(api, tenant, other_tenant):
    cliente = make_cliente(tenant)
    ventas = [make_venta(tenant, cliente) for _ in range(2)]
    cotizacion = make_cotizacion(tenant, cliente)
    make_venta(other_tenant, make_cliente(other_tenant))  # its number 1 is another shop's

    body = api.get(f"/api/clientes/{cliente.pk}/historial").json()

    assert [(v["id"], v["numero"]) for v in body["ventas"]] == [
        (v.pk, v.numero) for v in reversed(ventas)
    ]
    assert [v.numero for v in ventas] == [1, 2]
    assert [(c["id"], c["numero"]) for c in body["cotizaciones"]] == [
        (cotizacion.pk, cotizacion.numero)
    ]
