"""The four rules the schema cannot state are documented where they apply: each 400 or 422 a
schema-valid request can get has an example on its operation, the example is the API's very
answer to such a request, and ``schemathesis.toml`` tells the fuzzer to expect those statuses
there (so its default run reports no "valid data rejected")."""

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from tests.docs.schema_helpers import SCHEMA_URL
from tests.factories import make_cliente, make_venta

pytestmark = pytest.mark.django_db

LINE = {"descripcion": "Cemento", "cantidad": 1, "precioUnitario": 100}
HUGE = {"descripcion": "Lote", "cantidad": 999_999_999.999, "precioUnitario": 99_999.99}
OTHER_SHOPS = "ClienteIdDeOtraEmpresaOInexistente"
OVER_THE_MAXIMUM = "TotalPorEncimaDelMáximo"
PAST_VALIDITY = "ValidaHastaYaPasada"
KEY_REUSED = "Idempotency-KeyYaUsadaConOtraSolicitud"
CREATES = ["/api/ventas", "/api/cotizaciones"]
TRANSITIONS = [
    "/api/ventas/{id}/cancelar",
    "/api/cotizaciones/{id}/cancelar",
    "/api/cotizaciones/{id}/convertir",
]


def examples(schema, path: str, status: int) -> dict:
    content = schema["paths"][path]["post"]["responses"][str(status)]["content"]
    return {name: value["value"] for name, value in content["application/json"]["examples"].items()}


def test_every_create_documents_its_unstated_400s_and_422(schema):
    for path in CREATES:
        assert {OTHER_SHOPS, OVER_THE_MAXIMUM} <= set(examples(schema, path, 400)), path
        assert KEY_REUSED in examples(schema, path, 422), path
    assert PAST_VALIDITY in examples(schema, "/api/cotizaciones", 400)
    for path in TRANSITIONS:
        assert KEY_REUSED in examples(schema, path, 422), path


@pytest.mark.parametrize("path", CREATES)
def test_another_shops_customer_is_answered_as_documented(schema, api, other_tenant, path):
    ajeno = make_cliente(other_tenant).pk

    response = api.post(path, {"clienteId": ajeno, "items": [LINE]}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        examples(schema, path, 400)[OTHER_SHOPS],
    )


@pytest.mark.parametrize("path", CREATES)
def test_a_total_over_the_maximum_is_answered_as_documented(schema, api, path):
    response = api.post(path, {"items": [HUGE, HUGE]}, format="json")

    expected = examples(schema, path, 400)[OVER_THE_MAXIMUM]
    assert (response.status_code, response.json()) == (400, expected)


def test_a_past_validity_is_answered_as_documented(schema, api):
    body = {"items": [LINE], "validaHasta": "2020-01-01T00:00:00Z"}

    response = api.post("/api/cotizaciones", body, format="json")

    expected = examples(schema, "/api/cotizaciones", 400)[PAST_VALIDITY]
    assert (response.status_code, response.json()) == (400, expected)


def test_a_reused_idempotency_key_is_answered_as_documented(schema, api, tenant):
    first, second = make_venta(tenant), make_venta(tenant)
    api.post("/api/ventas", {"items": [LINE]}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = api.post(
        f"/api/ventas/{first.pk}/cancelar",
        {"motivo": "x"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    expected = examples(schema, "/api/ventas/{id}/cancelar", 422)[KEY_REUSED]
    assert (response.status_code, response.json()) == (422, expected)
    assert second.pk  # another sale of the shop, untouched


def test_the_fuzzers_config_expects_those_answers_where_they_apply():
    config = SchemathesisConfig.discover()  # the repository's schemathesis.toml
    fuzzed = schemathesis.openapi.from_wsgi(SCHEMA_URL, application, config=config)
    for path in [*CREATES, *TRANSITIONS]:
        operation = fuzzed[path]["POST"]
        checks = fuzzed.config.checks_config_for(operation=operation)
        expected = checks.positive_data_acceptance.expected_statuses
        assert "422" in expected, path
        assert ("400" in expected) == (path in CREATES), path
    elsewhere = fuzzed.config.checks_config_for(operation=fuzzed["/api/clientes"]["POST"])
    assert "400" not in elsewhere.positive_data_acceptance.expected_statuses


def test_the_fuzzer_expects_a_400_for_a_file_that_is_no_customers_csv(schema):
    config = SchemathesisConfig.discover()
    fuzzed = schemathesis.openapi.from_wsgi(SCHEMA_URL, application, config=config)
    operation = fuzzed["/api/clientes/importar"]["POST"]

    expected = fuzzed.config.checks_config_for(operation=operation)
    assert "400" in expected.positive_data_acceptance.expected_statuses
    rejected = schema["paths"]["/api/clientes/importar"]["post"]["responses"]["400"]
    assert rejected["content"]["application/json"]["examples"]
