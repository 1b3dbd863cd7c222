"""One declaration of a customer's fields (clientes.representation): every place that shows
or reads a customer agrees with it, and it agrees with the contract's field list."""

import csv
import io
import json

import pytest
from django.contrib.admin.sites import site
from django.test import Client

from clientes.models import Cliente
from clientes.representation import CLIENTE_FIELDS, WIRE_NAMES, WRITABLE_WIRE_NAMES
from tests.auth.helpers import CLIENTES
from tests.clientes.helpers import detail_url, historial_url
from tests.contract import CLIENTE_FIELDS as CONTRACT_FIELDS
from tests.factories import make_cliente
from tests.importexport.helpers import run_export

pytestmark = pytest.mark.django_db

HISTORY = ["ventas", "cotizaciones", "_count", "resumen"]  # the contract's order


@pytest.fixture
def cliente(tenant, other_tenant):
    make_cliente(other_tenant, nombre="De otra empresa", documento="999")
    return make_cliente(tenant, nombre="Ana", documento="123", email="ana@example.com")


@pytest.fixture(scope="module")
def components(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return Client().get("/api/schema/").json()["components"]["schemas"]


def test_the_declaration_is_the_contracts_field_list():
    assert WIRE_NAMES == CONTRACT_FIELDS


def test_only_the_servers_fields_are_read_only():
    assert set(WIRE_NAMES) - set(WRITABLE_WIRE_NAMES) == {
        "id",
        "creadoEn",
        "actualizadoEn",
        "anonimizadoEn",
    }


def test_the_schema_answers_with_the_declared_fields_in_order(components):
    assert tuple(components["Cliente"]["properties"]) == WIRE_NAMES


def test_the_schema_takes_the_writable_fields(components):
    assert tuple(components["ClienteInputRequest"]["properties"]) == WRITABLE_WIRE_NAMES


def test_the_historial_schema_starts_with_the_customers_fields(components):
    assert list(components["Historial"]["properties"]) == [*WIRE_NAMES, *HISTORY]


def test_create_answers_with_the_declared_fields_in_order(api):
    response = api.post(CLIENTES, {"nombre": "Nueva"}, format="json")

    assert response.status_code == 201
    assert tuple(response.json()) == WIRE_NAMES


def test_retrieve_and_the_list_row_are_the_same_declared_object(api, cliente):
    detail = api.get(detail_url(cliente.pk)).json()
    (row,) = api.get(CLIENTES).json()  # the other tenant's customer is not listed

    assert tuple(detail) == WIRE_NAMES
    assert row == detail


def test_the_historial_shows_the_customer_as_retrieve_does(api, cliente):
    historial = api.get(historial_url(cliente.pk)).json()
    detail = api.get(detail_url(cliente.pk)).json()

    assert list(historial) == [*WIRE_NAMES, *HISTORY]
    assert {name: historial[name] for name in WIRE_NAMES} == detail


def test_the_csv_export_has_a_column_per_declared_field(tenant, cliente):
    rows = list(csv.reader(io.StringIO(run_export(tenant, "csv"))))

    assert tuple(rows[0]) == WIRE_NAMES
    assert len(rows) == 2  # only this tenant's customer


def test_the_json_export_objects_are_the_api_rows(api, tenant, cliente):
    (exported,) = json.loads(run_export(tenant, "json"))

    assert exported == api.get(detail_url(cliente.pk)).json()


def test_the_admin_form_edits_the_writable_columns_and_shows_the_others():
    admin = site._registry[Cliente]
    columns = {f.wire: f.column for f in CLIENTE_FIELDS}

    assert admin.fields == ["tenant", *(columns[name] for name in WIRE_NAMES if name != "id")]
    assert admin.readonly_fields == [
        columns[name] for name in ("creadoEn", "actualizadoEn", "anonimizadoEn")
    ]


@pytest.mark.parametrize("microsecond", [0, 7, 123456])
def test_an_answer_built_without_a_serializer_is_the_serializers(tenant, microsecond):
    from datetime import UTC, datetime, timedelta, timezone

    from clientes.representation import as_api_answer
    from clientes.serializers import ClienteSerializer

    cliente = make_cliente(tenant, nombre="Ana", documento="123", notas="Línea\nDos")
    cliente.creado_en = datetime(2026, 1, 2, 3, 4, 5, microsecond, tzinfo=UTC)
    cliente.actualizado_en = cliente.creado_en.astimezone(timezone(timedelta(hours=-5)))
    cliente.anonimizado_en = None

    answer = as_api_answer(cliente)

    assert answer == ClienteSerializer(cliente).data
    assert list(answer) == list(ClienteSerializer(cliente).data)
