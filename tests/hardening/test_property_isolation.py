"""Property-based isolation: members of three tenants interleave creates, updates, searches,
paged listings and historial reads through the API (token auth), while a model in Python keeps
which customer belongs to which tenant and what each holds.

Every answer must contain only the caller's tenant's rows; writes aimed at another tenant's ids
answer 404 and change nothing; search results must equal the reference implementation of the
contract's matching rule in ``tests.hardening.clientes_reference``.

Each example runs inside a savepoint that is rolled back at its end, so every example starts
with three empty shops.
"""

import json
import re
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from clientes.models import Cliente
from tests.clients import key_client
from tests.factories import make_tenant, make_token, make_user, make_venta
from tests.hardening.clientes_reference import (
    FIELDS,
    OPTIONAL,
    canonical_documento,
    create_bodies,
    matches,
    search_terms,
    stored,
    update_bodies,
)

MAX_EXAMPLES = 40
STEPS = 40
SHOPS = 3
# Every step is several API requests on PostgreSQL, drawn from rich customers' bodies.
TOLERATED = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


# --- the state machine --------------------------------------------------------------------
class TenantsMachine(RuleBasedStateMachine):
    """Three shops' members using the API; the model says what each shop holds."""

    shops: list = []  # [(tenant, token key)], set by the test
    examples = 0
    steps = 0
    requests = 0
    stats: dict[str, int] = {}

    def __init__(self):
        super().__init__()
        type(self).examples += 1
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.rows: list[dict[int, dict]] = [{} for _ in range(SHOPS)]  # shop -> id -> fields
        self.sales: dict[int, list[tuple[int, Decimal]]] = {}  # cliente id -> [(venta, total)]
        self.clients = [key_client(key, raise_request_exception=False) for _, key in self.shops]

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # -- helpers --
    def call(self, shop: int, method: str, path: str, body=None, **query):
        type(self).requests += 1
        client = self.clients[shop]
        if body is not None:
            response = getattr(client, method)(
                path, data=json.dumps(body), content_type="application/json"
            )
        else:
            response = getattr(client, method)(path, data=query or None)
        assert response.status_code < 500, (method, path, body, query, response.content)
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        return response, json.loads(response.content) if response.content else None

    def count(self, what: str) -> None:
        self.stats[what] = self.stats.get(what, 0) + 1

    def owner_of(self, cliente_id: int) -> int | None:
        return next((s for s in range(SHOPS) if cliente_id in self.rows[s]), None)

    def all_ids(self) -> list[int]:
        return sorted(i for rows in self.rows for i in rows)

    def draw_target(self, data, shop: int) -> int:
        """Mostly one of the caller's own ids, else another shop's, or one that exists nowhere."""
        known = self.all_ids()
        own = sorted(self.rows[shop])
        others = sorted(set(known) - set(own))
        choices = [st.just((max(known) if known else 0) + 10_000)]
        if others:
            choices = [st.sampled_from(others), *choices]
        if own:
            choices = [st.sampled_from(own)] * 3 + choices
        return data.draw(st.one_of(choices), label="id")

    def foreign_and_answered_404(self, shop: int, target: int, response, answer, what: str) -> bool:
        """Whether ``target`` is another shop's or no row, and so answered as a missing one."""
        if self.owner_of(target) == shop:
            return False
        assert response.status_code == 404, (response.status_code, answer)
        assert answer == {"error": "Cliente no encontrado"}
        self.count(f"{what} 404 (another shop's or no id)")
        return True

    def assert_only_own_rows(self, shop: int, rows: list[dict], what: str) -> None:
        foreign = {row["id"] for row in rows} - set(self.rows[shop])
        assert not foreign, f"{what}: shop {shop} got rows it does not own: {foreign}"

    def assert_row(self, shop: int, row: dict) -> None:
        expected = self.rows[shop][row["id"]]
        assert {f: row[f] for f in FIELDS} == expected, (row, expected)

    def documento_taken(self, shop: int, documento: str | None, but: int | None = None) -> bool:
        canon = canonical_documento(documento)
        return canon is not None and any(
            canonical_documento(r["documento"]) == canon
            for i, r in self.rows[shop].items()
            if i != but
        )

    # -- rules --
    @initialize(bodies=st.lists(create_bodies(), min_size=SHOPS, max_size=3 * SHOPS))
    def some_customers(self, bodies):
        """Each shop starts with a few customers, created through the API."""
        for n, body in enumerate(bodies):
            self.create_as(n % SHOPS, body)

    @rule(shop=st.integers(0, SHOPS - 1), body=create_bodies(), data=st.data())
    def create(self, shop, body, data):
        if data.draw(st.booleans()):  # fields naming a tenant or an id are ignored
            other = self.shops[(shop + 1) % SHOPS][0].pk
            body = {**body, "tenant": other, "empresa": other, "id": 1, "creadoEn": "2000-01-01"}
        self.create_as(shop, self.maybe_reuse_documento(data, body))

    def maybe_reuse_documento(self, data, body: dict) -> dict:
        """Sometimes the documento of a stored customer of any shop, spelled differently."""
        known = sorted({r["documento"] for rows in self.rows for r in rows.values()} - {None})
        if not known or not data.draw(st.booleans()):
            return body
        canon = canonical_documento(data.draw(st.sampled_from(known)))
        spelled = "".join(
            data.draw(st.sampled_from([ch, ch.swapcase(), f"{ch}.", f"{ch}-", f"{ch} "]))
            for ch in canon
        )
        return {**body, "documento": spelled}

    def create_as(self, shop: int, body: dict) -> None:
        expected = {"nombre": body["nombre"].strip()} | {f: stored(body.get(f)) for f in OPTIONAL}
        response, answer = self.call(shop, "post", "/api/clientes", body)
        if self.documento_taken(shop, expected["documento"]):
            assert response.status_code == 409, (response.status_code, answer, body)
            assert answer == {"error": "Ya existe un cliente con ese documento"}
            self.count("create 409")
            return
        assert response.status_code == 201, (response.status_code, answer, body)
        assert self.owner_of(answer["id"]) is None
        self.rows[shop][answer["id"]] = expected
        self.assert_row(shop, answer)
        self.count("create 201")

    @rule(
        shop=st.integers(0, SHOPS - 1),
        body=update_bodies(),
        method=st.sampled_from(["put", "patch"]),
        data=st.data(),
    )
    def update(self, shop, body, method, data):
        body = self.maybe_reuse_documento(data, body) if "documento" in body else body
        target = self.draw_target(data, shop)
        response, answer = self.call(shop, method, f"/api/clientes/{target}", body)
        if self.foreign_and_answered_404(shop, target, response, answer, "update"):
            return
        changes = {f: (v.strip() if f == "nombre" else stored(v)) for f, v in body.items()}
        if "documento" in changes and self.documento_taken(shop, changes["documento"], target):
            assert response.status_code == 409, (response.status_code, answer, body)
            assert answer == {"error": "El documento ya está en uso"}
            self.count("update 409")
            return
        assert response.status_code == 200, (response.status_code, answer, body)
        self.rows[shop][target].update(changes)
        self.assert_row(shop, answer)
        self.count("update 200")

    @rule(shop=st.integers(0, SHOPS - 1), data=st.data())
    def search(self, shop, data):
        term = data.draw(search_terms(self.rows), label="busqueda")
        response, answer = self.call(shop, "get", "/api/clientes", busqueda=term, limite="500")
        assert response.status_code == 200, (term, answer)
        self.assert_only_own_rows(shop, answer, f"busqueda={term!r}")
        if term.strip():
            expected = [i for i, row in self.rows[shop].items() if matches(row, term.strip())]
        else:
            expected = list(self.rows[shop])
        got = [row["id"] for row in answer]
        assert got == sorted(expected, reverse=True), (
            f"busqueda={term!r}: got {got}, the contract's rule gives "
            f"{sorted(expected, reverse=True)}; rows: {self.rows[shop]}"
        )
        for row in answer:
            self.assert_row(shop, row)
        self.count("search with hits" if got else "search without hits")
        foreign = [r for s, rows in enumerate(self.rows) if s != shop for r in rows.values()]
        if term.strip() and any(matches(r, term.strip()) for r in foreign):
            self.count("search whose term matches another shop's rows")

    @rule(shop=st.integers(0, SHOPS - 1), limite=st.integers(1, 4))
    def walk_pages(self, shop, limite):
        """The cursor walk sees exactly the shop's rows, newest first, and nothing else."""
        seen, path, query = [], "/api/clientes", {"limite": str(limite)}
        for _ in range(100):
            response, answer = self.call(shop, "get", path, **query)
            assert response.status_code == 200 and len(answer) <= limite
            self.assert_only_own_rows(shop, answer, f"page {query}")
            seen += [row["id"] for row in answer]
            link = response.get("Link")
            if not link:
                break
            next_url = re.match(r'<([^>]+)>; rel="next"', link).group(1)
            path, _, qs = next_url.removeprefix("http://testserver").partition("?")
            query = dict(part.split("=", 1) for part in qs.split("&"))
        assert seen == sorted(self.rows[shop], reverse=True), (seen, sorted(self.rows[shop]))

    @rule(shop=st.integers(0, SHOPS - 1), data=st.data())
    def historial(self, shop, data):
        target = self.draw_target(data, shop)
        response, answer = self.call(shop, "get", f"/api/clientes/{target}/historial")
        if self.foreign_and_answered_404(shop, target, response, answer, "historial"):
            return
        assert response.status_code == 200, answer
        self.count("historial 200")
        assert answer["id"] == target
        self.assert_row(shop, answer)
        sales = self.sales.get(target, [])
        newest = sorted((venta for venta, _ in sales), reverse=True)[:20]
        assert [v["id"] for v in answer["ventas"]] == newest
        assert answer["_count"] == {"ventas": len(sales), "cotizaciones": 0}
        assert answer["cotizaciones"] == []
        total = sum((t for _, t in sales), Decimal(0))
        assert Decimal(str(answer["resumen"]["totalComprado"])) == total
        assert (answer["resumen"]["ultimaCompra"] is None) == (not sales)

    @rule(shop=st.integers(0, SHOPS - 1), data=st.data(), cents=st.integers(0, 10**8))
    def sell(self, shop, data, cents):
        """A sale recorded by the shop (there is no sales API; the service layer records it)."""
        if not self.rows[shop]:
            return
        cliente_id = data.draw(st.sampled_from(sorted(self.rows[shop])))
        tenant = self.shops[shop][0]
        cliente = Cliente.objects.for_tenant(tenant).get(pk=cliente_id)
        total = Decimal(cents) / 100
        venta = make_venta(tenant, cliente, total=str(total))
        self.sales.setdefault(cliente_id, []).append((venta.pk, total))

    @invariant()
    def database_matches_the_model(self):
        """What each shop holds in PostgreSQL is exactly what its own members made."""
        type(self).steps += 1
        for shop, (tenant, _) in enumerate(self.shops):
            stored_rows = {
                row["id"]: {f: row[f] for f in FIELDS}
                for row in Cliente.objects.for_tenant(tenant).values("id", *FIELDS)
            }
            assert stored_rows == self.rows[shop], (shop, stored_rows, self.rows[shop])


@pytest.mark.django_db
def test_tenants_only_ever_see_their_own_rows(capsys):
    tenants = [make_tenant(nombre=f"Tienda propiedad {n}") for n in range(SHOPS)]
    TenantsMachine.shops = [(tenant, make_token(make_user(tenant))) for tenant in tenants]
    TenantsMachine.examples = TenantsMachine.steps = TenantsMachine.requests = 0
    TenantsMachine.stats = {}
    run_state_machine_as_test(
        TenantsMachine,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=TOLERATED,
        ),
    )
    with capsys.disabled():
        print(
            f"\n[property-isolation] {TenantsMachine.examples} examples, "
            f"{TenantsMachine.steps} state checks, {TenantsMachine.requests} API requests; "
            + ", ".join(f"{k}: {v}" for k, v in sorted(TenantsMachine.stats.items()))
        )
    assert TenantsMachine.examples >= MAX_EXAMPLES
