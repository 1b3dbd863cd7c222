"""export_clientes: the tenant's customers on standard output, CSV or JSON."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clientes.transfer import EXPORT_COLUMNS
from tests.contract import CLIENTE_FIELDS
from tests.factories import make_cliente
from tests.importexport.helpers import JOSE_CSV, make_jose, run_export

pytestmark = pytest.mark.django_db

ISO_UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


@pytest.fixture
def two_customers(tenant):
    first = make_jose(tenant)
    second = make_cliente(tenant, nombre="Ana")
    return first, second


def test_csv_has_the_header_and_one_row_per_customer_by_id(tenant, two_customers):
    first, second = two_customers
    rows = list(csv.reader(io.StringIO(run_export(tenant, "csv"))))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert rows[0] == list(CLIENTE_FIELDS)
    assert [r[:7] for r in rows[1:]] == [
        [str(first.pk), *JOSE_CSV],
        [str(second.pk), "Ana", "", "", "", "", ""],
    ]
    assert [r[7] for r in rows[1:]] == ["false", "false"]  # archivado
    assert all(ISO_UTC_Z.match(r[8]) and ISO_UTC_Z.match(r[9]) for r in rows[1:])
    assert [r[10] for r in rows[1:]] == ["", ""]  # anonimizadoEn


def test_csv_is_the_default_format(tenant, two_customers):
    out = io.StringIO()
    call_command("export_clientes", "--tenant", tenant.slug, stdout=out, stderr=io.StringIO())
    assert out.getvalue() == run_export(tenant, "csv")


def test_json_is_an_array_of_cliente_objects_exactly_as_the_api_lists_them(
    tenant, two_customers, api
):
    exported = json.loads(run_export(tenant, "json"))
    listed = api.get("/api/clientes").json()
    assert exported == list(reversed(listed))
    assert list(exported[0]) == list(CLIENTE_FIELDS)
    assert ISO_UTC_Z.match(exported[0]["creadoEn"])
    assert exported[1]["documento"] is None


def test_json_is_written_one_object_per_line(tenant, two_customers):
    lines = run_export(tenant, "json").splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert [json.loads(line.rstrip(","))["nombre"] for line in lines[1:-1]] == [
        "José Álvarez",
        "Ana",
    ]


def test_json_of_a_tenant_without_customers_is_an_empty_array(tenant):
    assert json.loads(run_export(tenant, "json")) == []


def test_csv_of_a_tenant_without_customers_is_only_the_header(tenant):
    assert run_export(tenant, "csv") == ",".join(EXPORT_COLUMNS) + "\n"


def test_export_contains_only_the_tenants_customers(tenant, other_tenant):
    make_cliente(tenant, nombre="Mío")
    make_cliente(other_tenant, nombre="Ajeno")
    assert [c["nombre"] for c in json.loads(run_export(tenant, "json"))] == ["Mío"]
    assert [r[1] for r in list(csv.reader(io.StringIO(run_export(tenant))))[1:]] == ["Mío"]


def test_export_reports_the_count_on_stderr(tenant, two_customers):
    err = io.StringIO()
    call_command("export_clientes", "--tenant", tenant.slug, stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == f"2 clientes de «{tenant.nombre}» exportados (csv).\n"


def test_export_of_unknown_tenant_is_an_error():
    with pytest.raises(CommandError, match="No existe la empresa «nadie»"):
        call_command("export_clientes", "--tenant", "nadie", stdout=io.StringIO())


def test_unknown_format_is_an_error(tenant):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export_clientes", "--tenant", tenant.slug, "--format", "xml")
