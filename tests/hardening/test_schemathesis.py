"""Fuzz the whole OpenAPI schema with schemathesis against the WSGI application.

The schema is loaded from the running application (``GET /api/schema/``), so every documented
operation is fuzzed (customers, sales, quotations and their transitions), positive and
negative inputs, with a bounded number of examples per operation. A token-authenticated ADMIN
of a tenant that has customers, sales and quotations in every state makes every call; path ids
are often real ids of that tenant's rows of the operation's resource (so the 200 paths are
exercised) or of another tenant (whose data must never show).

Required: zero server errors, and every answer conforms to the schema (documented status code,
content type, headers and body).
"""

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
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
from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_cancel, cotizacion_convert
from tenants.models import User
from tests.factories import (
    make_cliente,
    make_cotizacion,
    make_tenant,
    make_token,
    make_user,
    make_venta,
)
from ventas.services import venta_cancel

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
OTHER_MARK = "zqxajenab"  # only the other tenant's data contains this

STATS = {"cases": 0, "server_errors": 0, "by_status": {}, "own_ids": set()}
# The sales and quotations operations; each must be fuzzed with real ids of the shop too.
DOCUMENT_OPERATIONS = {
    "GET /api/ventas/{id}",
    "POST /api/ventas/{id}/cancelar",
    "GET /api/cotizaciones/{id}",
    "POST /api/cotizaciones/{id}/cancelar",
    "POST /api/cotizaciones/{id}/convertir",
}


@pytest.fixture
def fuzz_world(db):
    """A shop with customers, sales and quotations (open, cancelled, converted, expired) and
    a neighbour shop with its own; ``REAL_IDS`` gets their ids before any example is drawn.

    The caller is an ADMIN, so every sale and quotation of the shop is theirs to read, cancel
    and convert: the 200/201 paths of every operation are reachable.
    """
    tenant = make_tenant(nombre="Tienda fuzz")
    user = make_user(tenant, rol=User.Rol.ADMIN)
    seller = make_user(tenant)
    own = {"clientes": [], "ventas": [], "cotizaciones": []}
    for n in range(3):
        cliente = make_cliente(
            tenant,
            nombre=f"José Álvarez {n}",
            documento=f"1.020.345-67{n}",
            email=f"jose{n}@example.com",
            telefono="300 123 4567",
        )
        own["clientes"].append(cliente.pk)
        ventas = [
            make_venta(tenant, cliente, total="150000.00", notas="venta", vendedor=seller),
            make_venta(tenant, cliente, total="99.99", vendedor=user),
        ]
        cotizaciones = [
            make_cotizacion(tenant, cliente, total="99000.50", vendedor=seller),
            make_cotizacion(tenant, None, total="10.00", vendedor=user, notas="obra"),
        ]
        if n == 1:  # the other states a document can be in
            venta_cancel(venta=ventas[0], por=user, motivo="Error de caja")
            cotizacion_cancel(cotizacion=cotizaciones[0], por=user, motivo="No compró")
            ventas.append(cotizacion_convert(cotizacion=cotizaciones[1], por=user)[0])
        if n == 2:
            Cotizacion.objects.for_tenant(tenant).filter(pk=cotizaciones[0].pk).update(
                valida_hasta=timezone.now() - timedelta(days=1)
            )
        own["ventas"] += [v.pk for v in ventas]
        own["cotizaciones"] += [c.pk for c in cotizaciones]
    neighbour = make_tenant(nombre=f"Vecina {OTHER_MARK}")
    foreign_cliente = make_cliente(
        neighbour, nombre=f"Ajeno {OTHER_MARK}", documento="1.020.345-670"
    )
    foreign = {
        "clientes": foreign_cliente.pk,
        "ventas": make_venta(neighbour, foreign_cliente, notas=OTHER_MARK).pk,
        "cotizaciones": make_cotizacion(neighbour, foreign_cliente, notas=OTHER_MARK).pk,
    }
    REAL_IDS.clear()
    REAL_IDS.update({kind: [*ids, foreign[kind]] for kind, ids in own.items()})
    return {"token": make_token(user), "own": own, "foreign": foreign}


# The schema as the application serves it, loaded once at collection (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.update(continue_on_failure=True)
schema.config.generation.update(max_examples=MAX_EXAMPLES)
# Resource (``clientes``, ``ventas``, ``cotizaciones``) -> real ids, own and the neighbour's;
# filled by the fixture of the running test, read when an example is drawn.
REAL_IDS: dict[str, list[int]] = {}


def resource_of(path: str) -> str:
    """``/api/ventas/{id}/cancelar`` -> ``ventas``."""
    return path.split("/")[2]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, point ``{id}`` at a real row of the operation's resource (a customer,
    sale or quotation: own, or the neighbour's)."""
    if not isinstance(path_parameters, dict) or "id" not in path_parameters:
        return st.just(path_parameters)
    resource = resource_of(context.operation.path)

    def real(index: int) -> dict:
        ids = REAL_IDS.get(resource) or [path_parameters["id"]]
        return {**path_parameters, "id": ids[index % len(ids)]}

    return st.one_of(st.just(path_parameters), st.integers(0, 10**6).map(real))


@schema.hook
def flatmap_body(context, body):
    """Half the time a sale's or quotation's body names a real customer (own, or the
    neighbour's: a 400) and a quotation keeps only ``diasValidez`` of its two validities
    (together they are a 400 the schema cannot express): the 201 paths get exercised."""
    if context.operation.path not in {"/api/ventas", "/api/cotizaciones"} or not isinstance(
        body, dict
    ):
        return st.just(body)

    def adjusted(index: int) -> dict:
        out = dict(body)
        if isinstance(out.get("clienteId"), int) and REAL_IDS.get("clientes"):
            out["clienteId"] = REAL_IDS["clientes"][index % len(REAL_IDS["clientes"])]
        if "diasValidez" in out:
            out.pop("validaHasta", None)
        return out

    return st.one_of(st.just(body), st.integers(0, 10**6).map(adjusted))


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
    headers = {"Authorization": f"Token {fuzz_world['token']}"}
    response = case.call(headers=headers)
    STATS["cases"] += 1
    STATS["server_errors"] += response.status_code >= 500
    key = f"{case.method} {case.path} {response.status_code}"
    STATS["by_status"][key] = STATS["by_status"].get(key, 0) + 1
    # The neighbour's data never shows, whatever the input.
    assert OTHER_MARK not in response.text, (case.method, case.path, response.text)
    resource = resource_of(case.path)
    if resource in fuzz_world["foreign"] and response.status_code in (200, 201):
        body = json.loads(response.content)
        rows = body if isinstance(body, list) else [body]
        ids = {row.get("id") for row in rows if isinstance(row, dict)}
        assert fuzz_world["foreign"][resource] not in ids, (case.method, case.path, ids)
    if (case.path_parameters or {}).get("id") in fuzz_world["own"].get(resource, ()):
        STATS["own_ids"].add(f"{case.method} {case.path}")
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
    fuzzed = {key.rsplit(" ", 1)[0] for key in STATS["by_status"]}
    collections = {"GET /api/ventas", "POST /api/ventas", "GET /api/cotizaciones"}
    assert fuzzed >= {*collections, "POST /api/cotizaciones", *DOCUMENT_OPERATIONS}, fuzzed
    assert STATS["own_ids"] >= DOCUMENT_OPERATIONS, STATS["own_ids"]
