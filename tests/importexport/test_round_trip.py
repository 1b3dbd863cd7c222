"""Export then import: into the same tenant nothing changes; into an empty one, a copy."""

import pytest

from tests.factories import make_cliente, make_full_cliente
from tests.importexport.helpers import customers, fields_only, run_export, run_import, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_customers(tenant):
    make_full_cliente(
        tenant,
        documento="1.020.345-678",
        direccion="Cra. 7 # 12-34, Bogotá",
        notas='Prefiere "factura"\r\nelectrónica; paga, a veces, en efectivo',
    )
    make_cliente(tenant, nombre="Ana")  # no documento
    make_cliente(tenant, nombre="Ana")  # same data, no documento
    make_cliente(tenant, nombre="Ñandú =1+1", documento="ab-12")
    make_cliente(tenant, nombre="Luis", documento="X 9")


def test_export_then_import_into_the_same_tenant_changes_nothing(
    tenant, varied_customers, tmp_path
):
    before = customers(tenant)
    path = write_csv(tmp_path, run_export(tenant))
    out, err = run_import(tenant, path)
    assert "0 creados, 0 actualizados, 5 sin cambios" in out, out + err
    assert customers(tenant) == before


def test_export_then_import_into_an_empty_tenant_reproduces_the_customers(
    tenant, other_tenant, varied_customers, tmp_path
):
    path = write_csv(tmp_path, run_export(tenant))
    out, _ = run_import(other_tenant, path)
    assert "5 creados, 0 actualizados, 0 sin cambios" in out
    assert fields_only(customers(other_tenant)) == fields_only(customers(tenant))
