"""Fuzz the whole OpenAPI schema with schemathesis against the WSGI application.

The schema is loaded from the running application (``GET /api/schema/``), so every documented
operation is fuzzed, positive and negative inputs, with a bounded number of examples per
operation. A token-authenticated member of a tenant that has customers, sales and quotations
makes every call; path ids are often real ids of that tenant (so the 200 paths are exercised)
or of another tenant (whose data must never show).

Required: zero server errors, and every answer conforms to the schema (documented status code,
content type, headers and body).
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.factories import (
    make_cliente,
    make_cotizacion,
    make_tenant,
    make_token,
    make_user,
    make_venta,
)

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
OTHER_MARK = "zqxajenab"  # only the other tenant's data contains this

STATS = {"cases": 0, "server_errors": 0, "by_status": {}}


@pytest.fixture
def fuzz_world(db):
    """A shop with customers (with sales and quotations) and a neighbour shop."""
    tenant = make_tenant(nombre="Tienda fuzz")
    user = make_user(tenant)
    ids = []
    for n in range(3):
        cliente = make_cliente(
            tenant,
            nombre=f"José Álvarez {n}",
            documento=f"1.020.345-67{n}",
            email=f"jose{n}@example.com",
            telefono="300 123 4567",
        )
        make_venta(tenant, cliente, total="150000.00", notas="venta")
        make_venta(tenant, cliente, total="99.99")
        make_cotizacion(tenant, cliente, total="99000.50")
        ids.append(cliente.pk)
    neighbour = make_tenant(nombre=f"Vecina {OTHER_MARK}")
    foreign = make_cliente(neighbour, nombre=f"Ajeno {OTHER_MARK}", documento="1.020.345-670")
    make_venta(neighbour, foreign, notas=OTHER_MARK)
    return {"token": make_token(user), "own_ids": ids, "foreign_id": foreign.pk}


# The schema as the application serves it, loaded once at collection (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.update(continue_on_failure=True)
schema.config.generation.update(max_examples=MAX_EXAMPLES)
REAL_IDS: list[int] = []  # filled by the fixture of the running test


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, point ``{id}`` at a real customer (own, or the neighbour's)."""
    if not isinstance(path_parameters, dict) or "id" not in path_parameters or not REAL_IDS:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(list(REAL_IDS)).map(lambda i: {**path_parameters, "id": i}),
    )


@pytest.fixture
def wsgi_keeps_test_transaction():
    """Django's test client keeps the test's transaction open by not closing connections when
    a request finishes; calling the WSGI application directly must do the same, or the first
    request would close the connection that holds the test data."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
def test_api_conforms_to_its_schema(case, fuzz_world, wsgi_keeps_test_transaction):
    REAL_IDS[:] = [*fuzz_world["own_ids"], fuzz_world["foreign_id"]]
    headers = {"Authorization": f"Token {fuzz_world['token']}"}
    response = case.call(headers=headers)
    STATS["cases"] += 1
    STATS["server_errors"] += response.status_code >= 500
    key = f"{case.method} {case.path} {response.status_code}"
    STATS["by_status"][key] = STATS["by_status"].get(key, 0) + 1
    # The neighbour's data never shows, whatever the input.
    assert OTHER_MARK not in response.text, (case.method, case.path, response.text)
    if case.path.startswith("/api/clientes") and response.status_code == 200:
        body = json.loads(response.content)
        rows = body if isinstance(body, list) else [body]
        ids = {row.get("id") for row in rows if isinstance(row, dict)}
        assert fuzz_world["foreign_id"] not in ids, (case.method, case.path, ids)
    case.validate_response(response, checks=CHECKS, headers=headers)


def test_report_fuzzing_figures(capsys):
    """Prints the figures of the fuzzing run above (runs after it in file order)."""
    with capsys.disabled():
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(STATS["by_status"].items()))
        print(
            f"\n[schemathesis] {STATS['cases']} cases, {STATS['server_errors']} server errors"
            f" ({statuses})"
        )
    assert STATS["server_errors"] == 0
