"""The OpenAPI document of the sales and quotations routes (sales-contract.md): every route,
its error statuses, the contract's camelCase bodies, the list filters and the
``Idempotency-Key`` / ``Idempotent-Replayed`` / ``Location`` headers."""

import pytest

from tests import contract
from tests.docs.schema_helpers import json_body, resolve

WRITE_ERRORS = {400, 401, 403, 409, 413, 415, 422, 429}
TRANSITION_ERRORS = WRITE_ERRORS | {404}

EXPECTED_ERRORS = {
    ("get", "/api/ventas"): {400, 401, 403, 429},
    ("post", "/api/ventas"): WRITE_ERRORS,
    ("get", "/api/ventas/{id}"): {401, 403, 404, 429},
    ("post", "/api/ventas/{id}/cancelar"): TRANSITION_ERRORS,
    ("get", "/api/cotizaciones"): {400, 401, 403, 429},
    ("post", "/api/cotizaciones"): WRITE_ERRORS,
    ("get", "/api/cotizaciones/{id}"): {401, 403, 404, 429},
    ("post", "/api/cotizaciones/{id}/cancelar"): TRANSITION_ERRORS,
    ("post", "/api/cotizaciones/{id}/convertir"): TRANSITION_ERRORS,
}
WRITES = {(method, path) for method, path in EXPECTED_ERRORS if method == "post"}
CREATES = {("post", "/api/ventas"), ("post", "/api/cotizaciones")}

VENTA_FIELDS = contract.VENTA_FIELDS
COTIZACION_FIELDS = contract.COTIZACION_FIELDS
ITEM_FIELDS = contract.ITEM_FIELDS
EVENTO_FIELDS = contract.EVENTO_FIELDS


def operation(schema, method: str, path: str) -> dict:
    return schema["paths"][path][method]


def response_body(schema, method: str, path: str, status: str) -> dict:
    return json_body(schema, operation(schema, method, path)["responses"][status])


def parameter_names(schema, method: str, path: str) -> set[str]:
    return {p["name"] for p in operation(schema, method, path).get("parameters", [])}


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED_ERRORS))
def test_sales_operation_documents_its_error_statuses(schema, method, path):
    responses = operation(schema, method, path)["responses"]

    documented = {int(status) for status in responses if status[0] in "45"}

    assert not EXPECTED_ERRORS[(method, path)] - documented


@pytest.mark.parametrize("path", ["/api/ventas/{id}", "/api/cotizaciones/{id}"])
def test_documents_have_no_put_patch_or_delete_and_say_405(schema, path):
    item = schema["paths"][path]

    assert not {"put", "patch", "delete"} & set(item)
    assert "405" in item["get"]["description"]


@pytest.mark.parametrize(("method", "path"), sorted(WRITES))
def test_write_routes_document_the_idempotency_key_header(schema, method, path):
    parameter = next(
        p for p in operation(schema, method, path)["parameters"] if p["name"] == "Idempotency-Key"
    )

    assert parameter["in"] == "header"
    assert parameter.get("required", False) is False
    assert "422" in parameter["description"] and "409" in parameter["description"]


@pytest.mark.parametrize(("method", "path"), sorted(WRITES))
def test_write_routes_document_the_replayed_header(schema, method, path):
    responses = operation(schema, method, path)["responses"]
    success = responses["201"] if "201" in responses else responses["200"]

    assert "Idempotent-Replayed" in success["headers"]


@pytest.mark.parametrize(
    ("method", "path"), sorted(CREATES | {("post", "/api/cotizaciones/{id}/convertir")})
)
def test_creating_routes_document_the_location_header(schema, method, path):
    assert "Location" in operation(schema, method, path)["responses"]["201"]["headers"]


def test_venta_detail_has_the_contract_fields(schema):
    body = response_body(schema, "get", "/api/ventas/{id}", "200")

    assert set(body["properties"]) == VENTA_FIELDS
    assert set(resolve(schema, body["properties"]["items"]["items"])["properties"]) == ITEM_FIELDS
    evento = resolve(schema, body["properties"]["eventos"]["items"])
    assert set(evento["properties"]) == EVENTO_FIELDS


def test_cotizacion_detail_has_the_contract_fields(schema):
    body = response_body(schema, "get", "/api/cotizaciones/{id}", "200")

    assert set(body["properties"]) == COTIZACION_FIELDS
    estado = resolve(schema, body["properties"]["estado"])
    assert set(estado["enum"]) == {"PENDIENTE", "CONVERTIDA", "CANCELADA"}


@pytest.mark.parametrize(
    ("path", "fields"), [("/api/ventas", VENTA_FIELDS), ("/api/cotizaciones", COTIZACION_FIELDS)]
)
def test_list_rows_are_the_detail_without_items_and_events_plus_cantidad_items(
    schema, path, fields
):
    body = response_body(schema, "get", path, "200")

    assert body["type"] == "array"
    row = resolve(schema, body["items"])
    assert set(row["properties"]) == contract.list_row_fields(fields)


def test_money_and_quantities_are_json_numbers(schema):
    body = response_body(schema, "get", "/api/ventas/{id}", "200")
    item = resolve(schema, body["properties"]["items"]["items"])

    for field in ("cantidad", "precioUnitario", "subtotal"):
        assert item["properties"][field]["type"] == "number", field
    assert body["properties"]["total"]["type"] == "number"


def test_create_body_takes_numbers_for_cantidad_and_precio_unitario(schema):
    request = operation(schema, "post", "/api/ventas")["requestBody"]
    body = resolve(schema, request["content"]["application/json"]["schema"])
    item = resolve(schema, body["properties"]["items"]["items"])

    assert set(body["properties"]) == {"clienteId", "notas", "items"}
    assert body["properties"]["items"]["minItems"] == 1
    assert body["properties"]["items"]["maxItems"] == 200
    assert item["properties"]["cantidad"]["type"] == "number"
    assert item["properties"]["cantidad"]["exclusiveMinimum"] is True
    assert item["properties"]["precioUnitario"]["minimum"] == 0


def test_cotizacion_create_body_adds_its_validity(schema):
    request = operation(schema, "post", "/api/cotizaciones")["requestBody"]
    body = resolve(schema, request["content"]["application/json"]["schema"])

    assert set(body["properties"]) == {"clienteId", "notas", "items", "diasValidez", "validaHasta"}
    assert body["properties"]["diasValidez"]["minimum"] == 1
    assert body["properties"]["diasValidez"]["maximum"] == 365


def test_ventas_list_documents_its_filters_and_paging(schema):
    assert parameter_names(schema, "get", "/api/ventas") >= {
        "cliente",
        "vendedor",
        "desde",
        "hasta",
        "cancelada",
        "limite",
        "cursor",
    }


def test_cotizaciones_list_documents_its_filters_and_paging(schema):
    assert parameter_names(schema, "get", "/api/cotizaciones") >= {
        "estado",
        "vencida",
        "cliente",
        "vendedor",
        "limite",
        "cursor",
    }


def test_convertir_answers_the_sale_and_the_quotation(schema):
    body = response_body(schema, "post", "/api/cotizaciones/{id}/convertir", "201")

    assert set(resolve(schema, body["properties"]["venta"])["properties"]) == VENTA_FIELDS
    cotizacion = resolve(schema, body["properties"]["cotizacion"])
    assert set(cotizacion["properties"]) == COTIZACION_FIELDS


@pytest.mark.parametrize(("method", "path"), sorted(CREATES))
def test_create_routes_carry_examples(schema, method, path):
    request = operation(schema, method, path)["requestBody"]["content"]["application/json"]

    assert "examples" in request or "example" in request
