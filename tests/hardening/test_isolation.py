"""Tenant isolation as a property of the whole API, not a list of examples.

Every URL pattern under ``/api/`` is enumerated from Django's URL resolver (a new endpoint is
picked up automatically; see ``endpoints.py``), every HTTP method is called on it as a member
of tenant B with the ids of tenant A's objects in the path, and each call must:

- answer 404 on A's objects (exactly as it answers for an id that exists nowhere), an answer with
  only B's rows on lists, 405 for a method the endpoint does not have, never a 5xx;
- show nothing of A (no marker string of A's data in any body);
- change nothing of A (every row A owns, compared before and after each request).

B's writes carry an ``Idempotency-Key`` that A's member has used too: A's stored answers (which
show A's marker) are never replayed to B, and A's expired ones are not B's to purge.

What a path cannot carry (B's session, A's customer named in a body):
``test_isolation_session_and_body.py``. One layer down (querysets that refuse to run without a
tenant, composite foreign keys in PostgreSQL): ``test_isolation_database.py``.
"""

import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from clientes.models import Cliente
from cotizaciones.models import Cotizacion
from eventos.models import Evento
from tenants.models import IdempotentRequest
from tests.factories import PASSWORD
from tests.hardening.conftest import tenant_snapshot
from tests.hardening.endpoints import (
    ALL_METHODS,
    api_endpoints,
    body_for,
    body_json,
    ids_for,
    nowhere_id,
    path_for,
    schema_operations,
    send,
)
from tests.hardening.isolation_world import (
    KEYS,
    MARK,
    World,
    assert_nothing_of_a,
    build_world,
    client_b,
)
from ventas.models import Venta

# Collection routes whose POST takes a multipart upload, not JSON.
UPLOADS = {"api/clientes/importar"}

# The enumeration must at least find these (route, method) pairs; it may find more.
REQUIRED_PAIRS = {
    ("api/clientes", "GET"),
    ("api/clientes", "POST"),
    ("api/clientes/<pk>", "GET"),
    ("api/clientes/<pk>", "PUT"),
    ("api/clientes/<pk>", "PATCH"),
    ("api/clientes/<pk>/historial", "GET"),
    ("api/ventas", "GET"),
    ("api/ventas", "POST"),
    ("api/ventas/<pk>", "GET"),
    ("api/ventas/<pk>/cancelar", "POST"),
    ("api/cotizaciones", "GET"),
    ("api/cotizaciones", "POST"),
    ("api/cotizaciones/<pk>", "GET"),
    ("api/cotizaciones/<pk>/cancelar", "POST"),
    ("api/cotizaciones/<pk>/convertir", "POST"),
    ("api/auth/login", "POST"),
    ("api/auth/logout", "POST"),
    ("api/auth/me", "GET"),
    ("api/auth/csrf", "GET"),
}
MIN_ENDPOINTS = 18
MIN_TENANT_SCOPED_PAIRS = 32


def body_of_b(world: World, schema: dict, operations: dict, endpoint, method: str, n: int):
    """A valid body for the operation, as B would send it (B's customer, one validity)."""
    body = body_for(schema, operations.get((endpoint.callback, method)), n)
    if endpoint.route == "api/auth/login":
        body = {"email": world.user_b.email, "password": PASSWORD}
    if "documento" in body and method == "POST":  # same documento, other tenant: fine
        body["documento"] = world.objects_a[Cliente].documento
    if "clienteId" in body:  # A's customer: test_b_cannot_sell_or_quote_to_a_customer_of_a
        body["clienteId"] = world.objects_b[Cliente].pk
    if "diasValidez" in body:
        body.pop("validaHasta", None)  # one or the other
    if "archivado" in body:  # B's customer stays active: later probes sell to it
        body["archivado"] = False
    if "duplicadoId" in body:  # a duplicate of B's to absorb (A's ids are 404 in the path)
        body["duplicadoId"] = world.fresh_b[Cliente]().pk
    if "url" in body:  # a webhook's: a public address, checked without a name to resolve
        body |= {"url": f"https://93.184.216.34/hook-{n}", "tipos": ["*"]}
    if method in {"POST", "PUT", "PATCH"}:
        # Fields naming a tenant or an id must be ignored, never obeyed.
        body |= {"tenant": world.a.pk, "tenant_id": world.a.pk, "empresa": world.a.pk}
        body |= {"id": world.objects_a[Cliente].pk}
    return body


# --- the property ---------------------------------------------------------------------------
def test_enumeration_finds_every_endpoint():
    endpoints = api_endpoints()
    pairs = {(e.route, m) for e in endpoints for m in e.methods}
    assert len(endpoints) >= MIN_ENDPOINTS, [str(e) for e in endpoints]
    assert pairs >= REQUIRED_PAIRS, REQUIRED_PAIRS - pairs
    scoped = [(e.route, m) for e in endpoints if e.tenant_scoped for m in e.methods]
    assert len(scoped) >= MIN_TENANT_SCOPED_PAIRS, scoped


@pytest.mark.django_db
def test_every_endpoint_and_method_is_confined_to_the_callers_tenant(capsys):
    world = build_world()
    schema = json.loads(APIClient().get("/api/schema/").content)
    operations = schema_operations(schema)
    endpoints = api_endpoints()
    by_callback = {e.callback: e for e in endpoints}

    # Every operation the schema documents is one the enumeration found (and will probe).
    for callback, method in operations:
        assert callback in by_callback, f"schema operation {method} not enumerated"
        assert method in by_callback[callback].methods

    pairs = [(e, m) for e in endpoints for m in ALL_METHODS]
    assert len(pairs) <= KEYS, "raise KEYS: every probe needs a key A has used"
    a_before = tenant_snapshot(world.a)
    exposed_pairs = 0
    failures = []
    for n, (endpoint, method) in enumerate(pairs):
        exposed = method in endpoint.methods
        exposed_pairs += exposed
        what = f"{method} {endpoint}"
        body = body_of_b(world, schema, operations, endpoint, method, n)
        key = f"iso-{n}"  # A's member holds an answer under this key too

        path = path_for(endpoint, ids_for(endpoint, world.objects_a))
        response = send(client_b(world), method, path, body, key=key)
        try:
            assert response.status_code < 500, (
                f"{what}: {response.status_code} {response.content[:100]!r}"
            )
            assert_nothing_of_a(world, response, what)
            assert response.get("Idempotent-Replayed") is None, f"{what}: replayed to B"
            check_answer(world, endpoint, method, exposed, path, body, response)
            if endpoint.params:
                # Indistinguishable from an id that exists nowhere: no existence oracle.
                nowhere = path_for(endpoint, nowhere_id(endpoint))
                other = send(client_b(world), method, nowhere, body, key=f"{key}-nowhere")
                assert (other.status_code, other.content) == (
                    response.status_code,
                    response.content,
                ), f"{what}: A's id answers differently from a missing id"
            if endpoint.tenant_scoped and endpoint.params and exposed and method != "OPTIONS":
                # Positive control: the same request on B's own object works (a transition
                # on a new object of B's, so that each one finds it open).
                model = endpoint.view_class.model
                objects_b = world.objects_b
                if method in {"POST", "DELETE"} and model in world.fresh_b:
                    objects_b = {model: world.fresh_b[model]()}
                own = path_for(endpoint, ids_for(endpoint, objects_b))
                control = send(client_b(world), method, own, body, key=f"{key}-own")
                assert 200 <= control.status_code < 300, (
                    f"{what} on B's own object: {control.status_code} {control.content[:300]}"
                )
            assert tenant_snapshot(world.a) == a_before, f"{what} changed tenant A's data"
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
            a_before = tenant_snapshot(world.a)

    with capsys.disabled():
        print(
            f"\n[isolation] {len(endpoints)} endpoints; {exposed_pairs} exposed endpoint×method "
            f"pairs, {len(pairs)} endpoint×method pairs probed (incl. 405s)"
        )
    assert not failures, "\n".join(failures)
    assert exposed_pairs >= len(REQUIRED_PAIRS)
    # B's keyed writes ran and were kept as B's; A's answers are all still there.
    assert IdempotentRequest.objects.for_tenant(world.b).exists()
    assert IdempotentRequest.objects.for_tenant(world.a).count() == KEYS


def check_answer(world, endpoint, method, exposed, path, body, response) -> None:
    what = f"{method} {endpoint}"
    status = response.status_code
    data = body_json(response)
    if endpoint.is_catch_all:
        assert status == 404, f"{what}: {status}"
        return
    if not exposed:
        assert status == 405, f"{what} is not exposed: expected 405, got {status}"
        if method != "HEAD":
            assert isinstance(data, dict) and "error" in data, (
                f"{what}: 405 without the JSON error body "
                f"({response.get('Content-Type')}: {response.content[:60]!r})"
            )
        return
    if method == "OPTIONS":
        assert status in {200, 404}, f"{what}: {status}"
        return
    if endpoint.tenant_scoped and endpoint.params:
        assert status == 404, f"{what} on tenant A's object: expected 404, got {status}"
        if method != "HEAD":
            assert isinstance(data, dict) and isinstance(data.get("error"), str), what
        return
    if endpoint.tenant_scoped:  # a collection
        model = endpoint.view_class.model
        ids_a = set(model.objects.unscoped().filter(tenant=world.a).values_list("pk", flat=True))
        ids_b = set(model.objects.unscoped().filter(tenant=world.b).values_list("pk", flat=True))
        if method in {"GET", "HEAD"}:
            assert status == 200, f"{what}: {status}"
            if method == "GET":
                check_list(world, endpoint, rows_of(response), ids_a, ids_b, what)
        elif method == "POST" and endpoint.route in UPLOADS:
            # It takes a file, not JSON: tests/lifecycle/test_import_http.py imports into B.
            assert status == 415, f"{what}: {status} {response.content[:300]}"
        elif method == "POST":
            assert status == 201, f"{what}: {status} {response.content[:300]}"
            created = model.objects.unscoped().get(pk=data["id"])
            assert created.tenant_id == world.b.pk, f"{what}: created in tenant {created.tenant_id}"
        else:
            assert status < 500, f"{what}: {status}"
        return
    # Endpoints that are not tenant data (auth, schema, docs): they answer, and only about B.
    assert status < 500, f"{what}: {status}"
    if endpoint.route == "api/auth/me" and method == "GET":
        assert data["empresa"]["id"] == world.b.pk, f"{what}: {data}"
    if endpoint.route == "api/auth/login":
        assert status == 200 and data["empresa"]["id"] == world.b.pk, f"{what}: {data}"


def pk_of(row: dict) -> int | None:
    """A row's primary key: its ``id``, or the row an event's public ``evt_…`` id names."""
    ident = row["id"]
    if isinstance(ident, str) and ident.startswith("evt_"):
        eventos = Evento.objects.unscoped().filter(uid=ident.removeprefix("evt_"))
        return eventos.values_list("pk", flat=True).first()
    return ident


def rows_of(response) -> list[dict]:
    """A list's JSON rows, or an exported CSV's (ids as numbers)."""
    if response.get("Content-Type", "").startswith("text/csv"):
        reader = csv.DictReader(io.StringIO(response.content.decode()))
        return [{**row, "id": int(row["id"])} for row in reader]
    return body_json(response)


def check_list(world, endpoint, data, ids_a, ids_b, what) -> None:
    assert isinstance(data, list), f"{what}: {data!r:.200}"
    got = {pk_of(row) for row in data}
    assert got <= ids_b and not got & ids_a, f"{what}: rows of another tenant {got - ids_b}"
    assert got, f"{what}: B's own rows are missing"
    # With each query parameter aimed at A's data: A's name, an id above A's rows.
    path = path_for(endpoint, {})
    cliente_a = world.objects_a[Cliente]
    queries = [
        {"busqueda": MARK},
        {"busqueda": cliente_a.documento},
        {"busqueda": "3001234567"},
        {"cursor": str(max(ids_a) + 1)},
        {"limite": "500"},
    ]
    if endpoint.view_class.model in {Venta, Cotizacion}:  # their filters, aimed at A's rows
        queries += [{"cliente": cliente_a.pk}, {"vendedor": world.user_a.pk}]
    for query in queries:
        response = send(client_b(world), "GET", path, **query)
        assert response.status_code == 200, f"{what} {query}: {response.status_code}"
        rows = {pk_of(row) for row in rows_of(response)}
        assert rows <= ids_b and not rows & ids_a, f"{what} {query}: rows of A {rows & ids_a}"
