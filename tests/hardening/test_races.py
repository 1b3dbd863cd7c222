"""Races on PostgreSQL with real threads: the ``documento`` rule and partial updates.

Every request runs in its own thread with its own Django database connection (closed when the
thread ends), and all threads wait on a barrier so their requests reach the database at the
same moment. The contract: when many requests create or update customers with the same
``documento`` at once, exactly one succeeds and the others get 409 (never a 500, never two
rows); concurrent updates of different fields of one customer lose none of the fields sent.
"""

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.db import connection

from clientes.models import Cliente
from tests.clients import key_client
from tests.factories import make_cliente, make_tenant, make_token, make_user

pytestmark = pytest.mark.django_db(transaction=True)

DUPLICADO = {"error": "Ya existe un cliente con ese documento"}
EN_USO = {"error": "El documento ya está en uso"}

# One document written in every way the canonical form folds together.
VARIANTES = [
    "1.020.345-678",
    "1020345678",
    "1 020 345 678",
    "  1020.345.678 ",
    "1-020-345-678",
    "10.20.34.56.78",
]
CANONICO = "1020345678"
BARRIER_TIMEOUT = 30


def variante(i: int) -> str:
    """The ``i``-th spelling of the one document, round the list again past its end."""
    return VARIANTES[i % len(VARIANTES)]


class Outcome:
    """What one thread's request answered."""

    def __init__(self, status: int, body):
        self.status = status
        self.body = body

    def __repr__(self) -> str:
        return f"Outcome({self.status}, {self.body!r})"


def run_concurrently(calls: list[Callable[[], object]]) -> list:
    """Run every call in its own thread, released together by a barrier; results in order.

    Each thread opens its own database connection before the barrier (so connecting is not
    what serializes them) and closes it at the end. An exception in a thread is re-raised here.
    """
    barrier = threading.Barrier(len(calls), timeout=BARRIER_TIMEOUT)

    def worker(call):
        try:
            connection.ensure_connection()
            barrier.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(worker, call) for call in calls]
        return [future.result(timeout=120) for future in futures]


def request(key: str, method: str, path: str, body: dict | None = None) -> Outcome:
    response = getattr(key_client(key), method)(path, body, format="json")
    try:
        payload = response.json()
    except ValueError:
        payload = response.content
    return Outcome(response.status_code, payload)


def create(key: str, body: dict) -> Callable[[], Outcome]:
    """The request creating a customer with ``body``, to run later (in a thread)."""
    return partial(request, key, "post", "/api/clientes", body)


def update(key: str, method: str, cliente, body: dict) -> Callable[[], Outcome]:
    """The request updating ``cliente`` with ``body``, to run later (in a thread)."""
    return partial(request, key, method, f"/api/clientes/{cliente.id}", body)


def member_key(tenant) -> str:
    return make_token(make_user(tenant, password=None))  # token only: no password hashing


def statuses(outcomes: list[Outcome]) -> Counter:
    return Counter(outcome.status for outcome in outcomes)


def rows_with(tenant, canonico: str = CANONICO):
    return Cliente.objects.for_tenant(tenant.id).filter(documento_canonico=canonico)


# --- (a) concurrent creates with the same documento ------------------------------------------


def test_concurrent_creates_with_same_documento_one_wins_rest_409():
    tenant = make_tenant()
    keys = [member_key(tenant) for _ in range(4)]  # several users, as in a busy shop
    n = 24
    bodies = [{"nombre": f"Cliente {i}", "documento": variante(i)} for i in range(n)]
    outcomes = run_concurrently(
        [create(keys[i % len(keys)], body) for i, body in enumerate(bodies)]
    )

    assert statuses(outcomes) == {201: 1, 409: n - 1}, outcomes
    assert all(o.body == DUPLICADO for o in outcomes if o.status == 409), outcomes
    winner = next(o.body for o in outcomes if o.status == 201)
    rows = list(rows_with(tenant))
    assert [row.id for row in rows] == [winner["id"]]
    assert Cliente.objects.for_tenant(tenant.id).count() == 1
    # Stored as that client sent it (trimmed), not in the canonical form.
    sent = bodies[[o.status for o in outcomes].index(201)]["documento"]
    assert rows[0].documento == sent.strip() == winner["documento"]


def test_concurrent_creates_without_documento_all_succeed():
    """The rule is on documentos that exist: many customers may have none at the same time."""
    tenant = make_tenant()
    key = member_key(tenant)
    documentos = [None, "", "   "] * 4
    outcomes = run_concurrently(
        [
            create(key, {"nombre": f"Sin documento {i}", "documento": doc})
            for i, doc in enumerate(documentos)
        ]
    )

    assert statuses(outcomes) == {201: len(documentos)}, outcomes
    assert Cliente.objects.for_tenant(tenant.id).filter(documento__isnull=True).count() == len(
        documentos
    )


# --- (b) concurrent updates of different customers onto the same documento -------------------


def test_concurrent_updates_onto_same_documento_one_wins_rest_409():
    tenant = make_tenant()
    key = member_key(tenant)
    n = 20
    clientes = [make_cliente(tenant, documento=f"ORIG-{i}") for i in range(n)]
    outcomes = run_concurrently(
        [
            update(key, "put" if i % 2 else "patch", c, {"documento": variante(i)})
            for i, c in enumerate(clientes)
        ]
    )

    assert statuses(outcomes) == {200: 1, 409: n - 1}, outcomes
    assert all(o.body == EN_USO for o in outcomes if o.status == 409), outcomes
    winner_id = next(o.body["id"] for o in outcomes if o.status == 200)
    assert [row.id for row in rows_with(tenant)] == [winner_id]
    # The losers kept their own documento; nothing else changed.
    for cliente, outcome in zip(clientes, outcomes, strict=True):
        cliente.refresh_from_db()
        if outcome.status == 409:
            assert cliente.documento.startswith("ORIG-")
    assert Cliente.objects.for_tenant(tenant.id).count() == n


def test_concurrent_creates_and_updates_onto_same_documento_one_wins():
    """Creates and updates racing for one documento: a single winner, whichever kind it is."""
    tenant = make_tenant()
    key = member_key(tenant)
    existentes = [make_cliente(tenant) for _ in range(10)]
    calls = []
    for i in range(10):
        calls.append(create(key, {"nombre": f"Nuevo {i}", "documento": variante(i)}))
        calls.append(update(key, "patch", existentes[i], {"documento": variante(i + 1)}))
    outcomes = run_concurrently(calls)

    creates, updates = outcomes[0::2], outcomes[1::2]
    wins = [o for o in outcomes if o.status in (200, 201)]
    assert len(wins) == 1, outcomes
    assert set(statuses(creates)) <= {201, 409} and set(statuses(updates)) <= {200, 409}
    assert all(o.body == DUPLICADO for o in creates if o.status == 409), creates
    assert all(o.body == EN_USO for o in updates if o.status == 409), updates
    assert [row.id for row in rows_with(tenant)] == [wins[0].body["id"]]
    assert Cliente.objects.for_tenant(tenant.id).count() == 10 + statuses(creates)[201]


# --- (c) concurrent updates of different fields of one customer ------------------------------


def test_concurrent_updates_of_different_fields_lose_nothing():
    tenant = make_tenant()
    key = member_key(tenant)
    cliente = make_cliente(tenant, nombre="Original", documento="DOC-1")
    rounds = 8
    # Each thread owns one field and keeps rewriting it; PUT is a partial update too.
    owners = {
        "email": ("patch", lambda r: f"ronda{r}@example.test"),
        "telefono": ("put", lambda r: f"300 000 {r:04d}"),
        "direccion": ("patch", lambda r: f"Calle {r} # 10-20"),
        "notas": ("put", lambda r: f"nota de la ronda {r}"),
        "nombre": ("patch", lambda r: f"Nombre {r}"),
        "documento": ("put", lambda r: f"DOC-{r}-X"),
    }
    barrier = threading.Barrier(len(owners), timeout=BARRIER_TIMEOUT)
    path = f"/api/clientes/{cliente.id}"

    def owner(field, method, value_of):
        def run():
            results = []
            for r in range(rounds):
                barrier.wait()  # every round, all fields are written at the same moment
                outcome = request(key, method, path, {field: value_of(r)})
                results.append(outcome)
            return results

        return run

    per_thread = run_concurrently(
        [owner(field, method, value_of) for field, (method, value_of) in owners.items()]
    )

    for (field, (_, value_of)), results in zip(owners.items(), per_thread, strict=True):
        assert [o.status for o in results] == [200] * rounds, (field, results)
        assert all(o.body[field] == value_of(r) for r, o in enumerate(results)), (field, results)

    final = Cliente.objects.for_tenant(tenant.id).get(pk=cliente.pk)
    for field, (_, value_of) in owners.items():
        assert getattr(final, field) == value_of(rounds - 1), field
    answer = request(key, "get", path)
    assert answer.status == 200
    assert {field: answer.body[field] for field in owners} == {
        field: value_of(rounds - 1) for field, (_, value_of) in owners.items()
    }


# --- (d) the same documento in two tenants ----------------------------------------------------


def test_same_documento_concurrently_in_different_tenants_one_per_tenant():
    tenants = [make_tenant(), make_tenant(), make_tenant()]
    keys = {t.id: member_key(t) for t in tenants}
    per_tenant = 8
    plan = [(t, i) for i in range(per_tenant) for t in tenants]  # interleaved tenants
    outcomes = run_concurrently(
        [create(keys[t.id], {"nombre": f"{t.slug} {i}", "documento": variante(i)}) for t, i in plan]
    )

    for tenant in tenants:
        mine = [o for (t, _), o in zip(plan, outcomes, strict=True) if t.id == tenant.id]
        assert statuses(mine) == {201: 1, 409: per_tenant - 1}, (tenant.slug, mine)
        winner = next(o.body for o in mine if o.status == 201)
        assert [row.id for row in rows_with(tenant)] == [winner["id"]]
    assert Cliente.objects.unscoped().count() == len(tenants)


def test_same_documento_in_two_tenants_at_once_both_succeed():
    a, b = make_tenant(), make_tenant()
    key_a, key_b = member_key(a), member_key(b)
    outcomes = run_concurrently(
        [
            create(key_a, {"nombre": "En A", "documento": "1.020.345-678"}),
            create(key_b, {"nombre": "En B", "documento": "1020345678"}),
        ]
    )

    assert [o.status for o in outcomes] == [201, 201], outcomes
    assert rows_with(a).count() == 1 and rows_with(b).count() == 1
