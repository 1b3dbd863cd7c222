"""The OpenAPI document a client generator can trust (issue 11, item 9).

Ids typed as integers, ``Retry-After`` documented where the API sends it, the failures any
request can meet (411, 413, 415, 500, 503) listed where they can happen, a ``servers`` entry,
components described for API users (never with an engineer's docstring), and the text rules
of the request fields (control characters, trimming, ``""`` as null) written as patterns that
accept exactly what the API accepts.
"""

import inspect
import re
import unicodedata

import pytest
from rest_framework import serializers
from rest_framework.views import APIView

from config.api.schema.text import CONTROL, WHITESPACE
from tests.docs.schema_helpers import operations, resolve

WRITES = {"post", "put", "patch"}
SCHEMA_MODULES = ("clientes", "config", "cotizaciones", "documentos", "tenants", "ventas")


def _property(schema, component: str, name: str) -> dict:
    return schema["components"]["schemas"][component]["properties"][name]


def _project_docstrings(*bases) -> set[str]:
    """The docstrings of every project class derived from ``bases`` (default: serializers),
    cleaned as drf-spectacular cleans them."""
    found, pending = set(), list(bases or [serializers.BaseSerializer])
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in SCHEMA_MODULES and cls.__doc__:
            found.add(inspect.getdoc(cls).strip())
    return found


def _accepts(pattern: str, value: str) -> bool:
    return re.search(pattern, value) is not None


def test_every_id_path_parameter_is_a_positive_integer(schema):
    found = 0
    for _method, path, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                found += 1
                assert "{" + parameter["name"] + "}" in path
                assert parameter["schema"]["type"] == "integer", (path, parameter)
                assert parameter["schema"]["minimum"] == 1, (path, parameter)
    assert found >= 8


def test_every_429_documents_a_required_retry_after(schema):
    for method, path, operation in operations(schema):
        header = operation["responses"]["429"]["headers"]["Retry-After"]
        assert header["required"] is True, (method, path)
        assert header["schema"]["type"] == "integer", (method, path)


def test_every_503_documents_a_required_retry_after(schema):
    for method, path, operation in operations(schema):
        header = operation["responses"]["503"]["headers"]["Retry-After"]
        assert header["required"] is True, (method, path)


def test_the_409_of_a_write_documents_an_optional_retry_after(schema):
    for method, path, operation in operations(schema):
        if method in WRITES:
            header = operation["responses"]["409"]["headers"]["Retry-After"]
            assert header["required"] is False, (method, path)


@pytest.mark.parametrize("status", ["500", "503"])
def test_every_operation_lists_server_failures_with_the_error_body(schema, status):
    for method, path, operation in operations(schema):
        response = operation["responses"][status]
        body = resolve(schema, response["content"]["application/json"]["schema"])
        assert set(body["properties"]) == {"error"}, (method, path)
        assert response["description"], (method, path)


@pytest.mark.parametrize("status", ["411", "413"])
def test_every_write_lists_the_body_size_answers(schema, status):
    for method, path, operation in operations(schema):
        if method in WRITES:
            assert status in operation["responses"], (method, path)


def test_every_operation_with_a_body_lists_415(schema):
    with_body = [(m, p) for m, p, op in operations(schema) if "requestBody" in op]
    assert len(with_body) >= 8
    for method, path, operation in operations(schema):
        if "requestBody" in operation:
            assert "415" in operation["responses"], (method, path)


def test_the_document_names_a_server(schema):
    assert schema["servers"]
    assert all(server["url"] for server in schema["servers"])


def test_no_component_description_is_an_engineer_docstring(schema):
    docstrings = _project_docstrings()
    assert "A Cotizacion as its detail shows it." in docstrings  # the walk found the serializers
    for name, component in schema["components"]["schemas"].items():
        assert component.get("description", "").strip() not in docstrings, name


def test_no_operation_description_is_an_engineer_docstring(schema):
    docstrings = _project_docstrings(APIView)
    assert "Sales of the caller's tenant (a USUARIO: only their own)." in docstrings
    for method, path, operation in operations(schema):
        assert operation.get("description", "").strip() not in docstrings, (method, path)


def test_object_components_are_described_in_spanish(schema):
    for name, component in schema["components"]["schemas"].items():
        if component.get("type") == "object" and component.get("description"):
            assert not re.search(r"\b(the|of|and|is)\b", component["description"]), name


def test_required_text_refuses_control_characters_and_blanks(schema):
    pattern = _property(schema, "ClienteInputRequest", "nombre")["pattern"]

    assert _accepts(pattern, "José Álvarez")
    assert _accepts(pattern, "  José  ")  # trimmed
    for value in ["", "   ", "\t\n", "Jo\x00sé", "Jo\x07sé", "José\x1b[0m"]:
        assert not _accepts(pattern, value), value


def test_the_patterns_whitespace_is_what_str_strip_removes():
    assert {chr(cp) for cp in range(0x110000) if chr(cp).isspace()} == set(map(chr, WHITESPACE))


def test_the_patterns_control_characters_are_what_the_fields_refuse():
    every_cc = {cp for cp in range(0x110000) if unicodedata.category(chr(cp)) == "Cc"}

    assert every_cc == CONTROL


def test_optional_text_takes_blank_as_null(schema):
    prop = _property(schema, "ClienteInputRequest", "telefono")

    assert prop["nullable"] is True
    for value in ["", "   ", "\x1c"]:  # only whitespace: stored as null
        assert _accepts(prop["pattern"], value), repr(value)
    assert not _accepts(prop["pattern"], "300\x00123")


def test_text_length_counts_after_trimming(schema):
    prop = _property(schema, "ClienteInputRequest", "nombre")

    assert "maxLength" not in prop  # the raw length may be longer
    assert _accepts(prop["pattern"], "  " + "a" * 200 + "  ")
    assert not _accepts(prop["pattern"], "a" * 201)


def test_multiline_text_allows_tabs_and_line_breaks_only(schema):
    pattern = _property(schema, "MotivoInputRequest", "motivo")["pattern"]

    assert _accepts(pattern, "Error de caja\n\tcliente devolvió")
    assert not _accepts(pattern, "Error\x0bde caja")


def test_documento_must_say_something_besides_separators(schema):
    prop = _property(schema, "ClienteInputRequest", "documento")
    code = prop["allOf"][0]["pattern"]

    assert _accepts(prop["pattern"], "1.020.345-678") and _accepts(code, "1.020.345-678")
    assert _accepts(code, "")  # blank: null
    assert not _accepts(code, " .-. ")


def test_query_text_and_ids_carry_their_filters_rules(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/ventas"]["get"]["parameters"]}
    busqueda = next(
        p for p in schema["paths"]["/api/clientes"]["get"]["parameters"] if p["name"] == "busqueda"
    )

    assert not _accepts(busqueda["schema"]["pattern"], "jos\x00")
    assert parameters["cliente"]["schema"]["oneOf"][0]["minimum"] == 1


def test_quotation_body_refuses_both_validities(schema):
    body = schema["components"]["schemas"]["CotizacionInputRequest"]

    assert body["not"] == {"required": ["diasValidez", "validaHasta"]}


def test_money_fields_state_their_decimals(schema):
    item = schema["components"]["schemas"]["ItemInputRequest"]["properties"]

    assert item["cantidad"]["multipleOf"] == 0.001
    assert item["precioUnitario"]["multipleOf"] == 0.01


def test_creates_link_their_answer_id_to_the_resource_routes(schema):
    links = schema["paths"]["/api/ventas"]["post"]["responses"]["201"]["links"]
    convert = schema["paths"]["/api/cotizaciones/{id}/convertir"]["post"]["responses"]["201"]

    assert links["ventas_retrieve"]["parameters"] == {"path.id": "$response.body#/id"}
    assert convert["links"]["ventas_cancelar_create"]["parameters"] == {
        "path.id": "$response.body#/venta/id"
    }
