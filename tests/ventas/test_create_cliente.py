"""POST /api/ventas: the customer of a sale is optional and always one of the caller's tenant."""

import pytest

from tests.factories import make_cliente
from tests.ventas.helpers import (
    assert_validation_error,
    created,
    post_venta,
    ref,
    row_counts,
    stored_venta,
    venta_body,
)

pytestmark = pytest.mark.django_db

MAX_BIGINT = 2**63 - 1


# -- the customer ----------------------------------------------------------------------------


def test_cliente_of_the_tenant_is_recorded(api, tenant):
    cliente = make_cliente(tenant, nombre="Ana")

    body = created(api, clienteId=cliente.pk)

    assert body["cliente"] == ref(cliente)
    assert stored_venta(tenant, body["id"]).cliente_id == cliente.pk


@pytest.mark.parametrize("body_extra", [{}, {"clienteId": None}], ids=["absent", "null"])
def test_a_walk_in_sale_has_no_cliente(api, tenant, body_extra):
    body = created(api, **body_extra)

    assert body["cliente"] is None
    assert stored_venta(tenant, body["id"]).cliente_id is None


def test_cliente_of_another_tenant_is_400_and_writes_nothing(api, other_tenant):
    ajeno = make_cliente(other_tenant, nombre="Ajeno")
    before = row_counts()

    response = post_venta(api, venta_body(clienteId=ajeno.pk))

    body = assert_validation_error(response, "clienteId")
    assert "Ajeno" not in response.content.decode()
    assert body["error"] == "El cliente no existe en la empresa"
    assert row_counts() == before


@pytest.mark.parametrize(
    "cliente_id", [987654321, MAX_BIGINT, MAX_BIGINT + 1, 10**30, 0, -1, "1", 1.5, True]
)
def test_cliente_id_that_names_no_customer_of_the_tenant_is_400(api, tenant, cliente_id):
    make_cliente(tenant)
    before = row_counts()

    response = post_venta(api, venta_body(clienteId=cliente_id))

    assert_validation_error(response, "clienteId")
    assert row_counts() == before


@pytest.mark.parametrize("cliente_id", [1.5, "1", True])
def test_a_malformed_cliente_id_is_summarized_as_its_detail_says(api, tenant, cliente_id):
    make_cliente(tenant)

    response = post_venta(api, venta_body(clienteId=cliente_id))

    body = assert_validation_error(response, "clienteId")
    assert body["detalles"]["clienteId"] == ["Debe ser un número entero."]
    assert body["error"] == "Dato inválido en «clienteId»: Debe ser un número entero."


def test_a_string_cliente_id_of_an_existing_customer_is_400(api, tenant):
    cliente = make_cliente(tenant)

    response = post_venta(api, venta_body(clienteId=str(cliente.pk)))

    assert_validation_error(response, "clienteId")
