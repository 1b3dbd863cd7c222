"""Fixtures of the Customers contract tests."""

import pytest

from tests.clientes.helpers import Ajeno, minutes, set_cotizacion_creado_en, set_venta_creado_en
from tests.factories import make_cliente, make_cotizacion, make_full_cliente, make_venta
from ventas.services import venta_cancel


@pytest.fixture
def cliente(tenant):
    """A customer of ``tenant`` with every field filled: ``FULL_CLIENTE``."""
    return make_full_cliente(tenant)


@pytest.fixture
def ajeno(other_tenant) -> Ajeno:
    """A customer of ``other_tenant`` with sales (one cancelled) and quotations, all newer
    than anything of ``tenant``: the first rows a leak would show."""
    cliente = make_cliente(other_tenant, nombre="Ajeno", documento="1.020.345.678")
    ventas = [make_venta(other_tenant, cliente, total="999999.00") for _ in range(3)]
    venta_cancel(venta=ventas[0], por=None, motivo="prueba")
    cotizaciones = [make_cotizacion(other_tenant, cliente, total="888.00") for _ in range(3)]
    for i, venta in enumerate(ventas):
        set_venta_creado_en(other_tenant, venta, minutes(10_000 + i))
    for i, cotizacion in enumerate(cotizaciones):
        set_cotizacion_creado_en(other_tenant, cotizacion, minutes(10_000 + i))
    return Ajeno(
        cliente_id=cliente.pk,
        venta_ids={v.pk for v in ventas},
        cotizacion_ids={c.pk for c in cotizaciones},
    )
