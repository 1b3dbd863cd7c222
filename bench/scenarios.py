"""The scenarios: one request shape each, sent identically to (a), (b) and (c).

Needs Django set up (``config.settings`` on the bench database): the bench users and their API
tokens are made through the models, as the service's own commands would.
"""

import random
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.dataset import Dataset
from bench.scales import Scale

PAGE = 200
BENCH_DOC_PREFIX = "BENCH-"


@dataclass
class Scenario:
    name: str
    title: str
    kind: str  # list | historial | create | update | create_venta | convertir
    method: str
    path: str  # with the query string; for update, "{id}" stands for the customer id
    token: str
    group: str  # list | search | cursor | historial | write | sales (targets and chart)
    update_ids: list[int] = field(default_factory=list)

    def example_path(self) -> str:
        return self.path.replace("{id}", str(self.update_ids[0])) if self.update_ids else self.path


@dataclass
class Fixtures:
    tokens: dict[str, str]  # tenant role -> API key
    cursor_first: int
    cursor_deep: int
    cursor_deep_rows: int
    update_ids: list[int]
    sales: object = None  # bench.scenarios_sales.SalesFixtures


def _query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def prepare(dataset: Dataset, scale: Scale) -> Fixtures:
    """Bench users with fresh tokens; the ids the cursor and update scenarios use."""
    from clientes.models import Cliente
    from tenants.models import ApiToken, Tenant, User

    tokens = {}
    for role, tenant_id in (
        ("big", dataset.big_tenant_id),
        ("list", dataset.list_tenant_id),
        ("write", dataset.write_tenant_id),
    ):
        tenant = Tenant.objects.get(pk=tenant_id)
        user = User.objects.filter(email=f"bench@{tenant.slug}.test").first()
        if user is None:
            user = User.objects.create_user(
                email=f"bench@{tenant.slug}.test", nombre="Bench", tenant=tenant
            )
        user.tokens.all().delete()
        key = ApiToken.generate_key()
        ApiToken.objects.create(
            user=user, prefijo=key[: ApiToken.PREFIX_LENGTH], digest=ApiToken.digest_of(key)
        )
        tokens[role] = key

    cleanup(dataset)
    big = Cliente.objects.for_tenant(dataset.big_tenant_id)
    newest = big.order_by("-id").values_list("id", flat=True).first()
    total = big.count()
    depth = min(scale.cursor_depth_pages * PAGE, int(total * 0.8))
    deep = big.order_by("-id").values_list("id", flat=True)[depth]
    write_ids = list(
        Cliente.objects.for_tenant(dataset.write_tenant_id)
        .exclude(documento__startswith=BENCH_DOC_PREFIX)
        .order_by("id")
        .values_list("id", flat=True)
    )
    update_ids = random.Random(7).sample(write_ids, min(1000, len(write_ids)))
    from bench import scenarios_sales

    return Fixtures(
        tokens=tokens,
        cursor_first=newest + 1,
        cursor_deep=deep,
        cursor_deep_rows=depth,
        update_ids=update_ids,
        sales=scenarios_sales.prepare(dataset, scale),
    )


def cleanup(dataset: Dataset, fixtures: Fixtures | None = None, *, final: bool = False) -> int:
    """Deletes the customers earlier bench runs created (their documento starts BENCH-) and,
    given ``fixtures``, the sales scenarios' sales (``final``: their quotations too)."""
    from clientes.models import Cliente

    if fixtures is not None and fixtures.sales is not None:
        from bench.scenarios_sales import teardown

        teardown(fixtures.sales.tenant_id, fixtures.sales.seller_id, final=final)
    deleted, _ = (
        Cliente.objects.for_tenant(dataset.write_tenant_id)
        .filter(documento__startswith=BENCH_DOC_PREFIX)
        .delete()
    )
    return deleted


def drop_created(conn, dataset: Dataset) -> int:
    """Deletes the customers a create run made, with their history (on ``conn``, psycopg in
    autocommit).

    They hold the highest ids of the table; left in place, every later backward scan of the
    primary key (the plan PostgreSQL picks for the big tenant's list) would step over them,
    so later rounds would measure a different table than the first. One such scan right after
    the delete marks their index entries dead, so later scans skip them at no cost.
    """
    created = "SELECT id FROM clientes_cliente WHERE tenant_id = %s AND documento LIKE %s"
    args = [dataset.write_tenant_id, BENCH_DOC_PREFIX + "%"]
    with conn.transaction():
        # Their history first (the service and the floor write a CREADO event with each).
        history = "DELETE FROM clientes_clienteevento WHERE tenant_id = %s AND cliente_id IN "
        conn.execute(f"{history}({created})", [dataset.write_tenant_id, *args])
        ids = [
            row[0]
            for row in conn.execute(
                "DELETE FROM clientes_cliente WHERE tenant_id = %s AND documento LIKE %s "
                "RETURNING id",
                args,
            ).fetchall()
        ]
    if ids:
        conn.execute(
            "SELECT count(nombre) FROM clientes_cliente WHERE id BETWEEN %s AND %s",
            [min(ids), max(ids)],
        )
    return len(ids)


def after_run(scenario: Scenario, conn, dataset: Dataset) -> int:
    """Undoes what a run of ``scenario`` wrote; returns how many customers it deleted."""
    from bench import scenarios_sales

    if scenario.kind == "create":
        return drop_created(conn, dataset)
    return scenarios_sales.restore(conn, scenario)


def build(dataset: Dataset, fixtures: Fixtures) -> list[Scenario]:
    from bench import scenarios_sales

    big, small, write = (fixtures.tokens[r] for r in ("big", "list", "write"))
    base = "/api/clientes"
    return [
        Scenario("list_big", "list 200 newest, big tenant", "list", "GET", base, big, "list"),
        Scenario("list_small", "list 200 newest, small tenant", "list", "GET", base, small, "list"),
        Scenario(
            "search_rare",
            f"busqueda rare «{dataset.rare_term}»",
            "list",
            "GET",
            _query(base, busqueda=dataset.rare_term),
            big,
            "search",
        ),
        Scenario(
            "search_common",
            "busqueda common «mar»",
            "list",
            "GET",
            _query(base, busqueda="mar"),
            big,
            "search",
        ),
        Scenario(
            "search_accent",
            "busqueda accented «Núñez»",
            "list",
            "GET",
            _query(base, busqueda="Núñez"),
            big,
            "search",
        ),
        Scenario(
            "search_phone",
            f"busqueda phone digits «{dataset.phone_digits}»",
            "list",
            "GET",
            _query(base, busqueda=dataset.phone_digits),
            big,
            "search",
        ),
        Scenario(
            "cursor_first",
            "cursor page 1",
            "list",
            "GET",
            _query(base, cursor=fixtures.cursor_first, limite=PAGE),
            big,
            "cursor",
        ),
        Scenario(
            "cursor_deep",
            f"cursor page {fixtures.cursor_deep_rows // PAGE:,} "
            f"({fixtures.cursor_deep_rows:,} rows deep)",
            "list",
            "GET",
            _query(base, cursor=fixtures.cursor_deep, limite=PAGE),
            big,
            "cursor",
        ),
        Scenario(
            "historial",
            "historial, customer with many sales",
            "historial",
            "GET",
            f"{base}/{dataset.hot_cliente_id}/historial",
            big,
            "historial",
        ),
        Scenario("create", "create customer", "create", "POST", base, write, "write"),
        Scenario(
            "update",
            "update customer",
            "update",
            "PUT",
            base + "/{id}",
            write,
            "write",
            update_ids=fixtures.update_ids,
        ),
        *(scenarios_sales.build(fixtures.sales) if fixtures.sales else []),
    ]


def sample_body(scenario: Scenario) -> dict | None:
    """One request body like the ones the Lua scripts send (for the checks)."""
    from bench import scenarios_sales

    if scenario.kind in scenarios_sales.KINDS:
        return scenarios_sales.sample_body(scenario)
    tag = secrets.token_hex(4)
    if scenario.kind == "create":
        return {
            "nombre": f"Cliente Prueba {tag}",
            "documento": f"{BENCH_DOC_PREFIX}CHK-{tag}",
            "email": f"prueba.{tag}@example.com",
            "telefono": "300 123-4567",
        }
    if scenario.kind == "update":
        return {
            "nombre": f"Cliente Actualizado {tag}",
            "telefono": "310 555-0101",
            "notas": f"nota {tag}",
        }
    return None
