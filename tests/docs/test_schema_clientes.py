"""The customer operations' shapes: camelCase fields, list parameters, Link header, examples."""

from tests import contract
from tests.docs.schema_helpers import IGNORED_METHODS, json_body, operations, resolve

CLIENTE_FIELDS = set(contract.CLIENTE_FIELDS)


# -- shapes: camelCase fields, list parameters, Link header -------------------------------


def test_cliente_schema_has_the_contract_camel_case_fields(schema):
    cliente = resolve(schema, {"$ref": "#/components/schemas/Cliente"})

    assert set(cliente["properties"]) == CLIENTE_FIELDS
    assert cliente["properties"]["creadoEn"]["format"] == "date-time"
    for field in ["documento", "email", "telefono", "direccion", "notas"]:
        assert cliente["properties"][field].get("nullable") is True, field
    assert not any("_" in name for name in cliente["properties"])


def test_cliente_responses_use_the_cliente_schema(schema):
    paths = schema["paths"]
    ok = {
        ("get", "/api/clientes/{id}"): "200",
        ("put", "/api/clientes/{id}"): "200",
        ("patch", "/api/clientes/{id}"): "200",
        ("post", "/api/clientes"): "201",
    }
    for (method, path), status in ok.items():
        body = json_body(schema, paths[path][method]["responses"][status])
        assert set(body["properties"]) == CLIENTE_FIELDS, (method, path)


def test_list_answers_a_plain_array_of_clientes(schema):
    body = json_body(schema, schema["paths"]["/api/clientes"]["get"]["responses"]["200"])

    assert body["type"] == "array"
    assert set(resolve(schema, body["items"])["properties"]) == CLIENTE_FIELDS


def test_create_body_names_only_writable_camel_case_fields(schema):
    request = schema["paths"]["/api/clientes"]["post"]["requestBody"]
    body = resolve(schema, request["content"]["application/json"]["schema"])

    assert set(body["properties"]) == CLIENTE_FIELDS - {
        "id",
        "creadoEn",
        "actualizadoEn",
        "anonimizadoEn",
    }
    assert body["required"] == ["nombre"]
    assert "application/json" in request["content"]


def test_historial_schema_has_the_contract_fields(schema):
    operation = schema["paths"]["/api/clientes/{id}/historial"]["get"]
    body = json_body(schema, operation["responses"]["200"])

    assert set(body["properties"]) >= CLIENTE_FIELDS | {
        "ventas",
        "cotizaciones",
        "_count",
        "resumen",
    }
    venta = resolve(schema, body["properties"]["ventas"]["items"])
    assert {"id", "total", "notas", "creadoEn", "canceladaEn"} <= set(venta["properties"])
    cotizacion = resolve(schema, body["properties"]["cotizaciones"]["items"])
    assert {"id", "total", "estado", "validaHasta", "creadoEn"} <= set(cotizacion["properties"])
    count = resolve(schema, body["properties"]["_count"])
    assert set(count["properties"]) == {"ventas", "cotizaciones"}
    resumen = resolve(schema, body["properties"]["resumen"])
    assert set(resumen["properties"]) == {"totalComprado", "ultimaCompra"}


def test_list_documents_busqueda_limite_and_cursor(schema):
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/clientes"]["get"].get("parameters", [])
    }

    assert {"busqueda", "limite", "cursor"} <= set(parameters)
    for name in ["busqueda", "limite", "cursor"]:
        assert parameters[name]["in"] == "query"
        assert not parameters[name].get("required", False)
        assert parameters[name].get("description"), name
    assert parameters["busqueda"]["schema"]["type"] == "string"
    assert parameters["limite"]["schema"]["type"] == "integer"
    assert parameters["limite"]["schema"].get("minimum") == 1
    assert parameters["cursor"]["schema"]["type"] == "integer"


def test_list_documents_the_link_header(schema):
    response = schema["paths"]["/api/clientes"]["get"]["responses"]["200"]

    headers = {name.lower(): header for name, header in response.get("headers", {}).items()}
    assert "link" in headers, "the 200 of GET /api/clientes must document the `Link` header"
    assert headers["link"].get("description")


def test_path_id_parameters_are_documented(schema):
    for path in ["/api/clientes/{id}", "/api/clientes/{id}/historial"]:
        for method, operation in schema["paths"][path].items():
            if method in IGNORED_METHODS or not isinstance(operation, dict):
                continue
            names = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
            assert "id" in names, (method, path)
            assert names["id"]["required"] is True


def test_clientes_operations_carry_examples(schema):
    """The issue asks for examples; at least the customer bodies show one."""
    found = False
    for _method, path, operation in operations(schema):
        if not path.startswith("/api/clientes"):
            continue
        bodies = [operation.get("requestBody", {}), *operation["responses"].values()]
        for body in bodies:
            for media in body.get("content", {}).values():
                found = found or "example" in media or "examples" in media
    cliente = resolve(schema, {"$ref": "#/components/schemas/Cliente"})
    found = found or "example" in cliente
    assert found, "no example in any /api/clientes request or response body"
