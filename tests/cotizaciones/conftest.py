"""Fixtures of the quotation tests."""

import pytest

from tests.cotizaciones.helpers import post_cotizacion
from tests.factories import make_cliente


@pytest.fixture
def cotizacion(api, tenant, other_api):
    """A PENDIENTE quotation of ``user`` with a customer, created over HTTP; ``numero`` 1,
    and its id is not 1 (another tenant's quotations come first)."""
    for _ in range(2):
        post_cotizacion(other_api)
    cliente = make_cliente(tenant, nombre="José Álvarez")
    response = post_cotizacion(api, clienteId=cliente.pk, notas=None)
    assert response.status_code == 201, response.content
    return response.json()
