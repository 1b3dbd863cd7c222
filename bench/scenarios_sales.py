"""The sales scenarios: create a sale of 5 lines, list sales, convert a quotation into a sale.

``create_venta`` posts a sale of ``LINES`` lines for a random customer of the write tenant;
``list_ventas`` lists the big tenant's 200 newest sales as its ADMIN; ``convertir`` converts a
PENDIENTE quotation of ``LINES`` lines per request. Every conversion consumes its quotation, so
``prepare`` makes a pool of fresh ones (valid 30 days, numbered after the tenant's last) and
every run of a write scenario is followed by ``restore``: the sales the run made are deleted,
the quotations it converted are PENDIENTE again and the sale counter is back where it was, so
a, b and c each start from the same rows. The writes are made by a bench seller of the write
tenant (a USUARIO) and only rows of that seller are touched.

Needs Django set up (``config.settings`` on the bench database), except ``restore``. Their
wrk scripts are in ``loadgen_sales``.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench import bulk, names
from bench import dataset_sales as docs
from bench.scenarios import Scenario

KINDS = ("create_venta", "convertir")  # the write kinds with their own body, Lua and floor
LINES = 5
POOL_PER_SECOND = 2_500  # quotations for one convertir run: this many req/s over its duration
CHECKS = 40  # more quotations, for the checks before the load
SELLER_EMAIL = "bench-ventas@{slug}.test"
COTIZACION = "cotizaciones.cotizacion"


@dataclass
class SalesScenario(Scenario):
    """A sales scenario; ``convertir``'s path names a quotation (``{id}``)."""

    tenant_id: int = 0
    seller_id: int = 0
    cliente_ids: list[int] = field(default_factory=list)
    pool: list[int] = field(default_factory=list)
    checks: list[int] = field(default_factory=list)

    def example_path(self) -> str:
        """For convertir, a quotation not converted yet, another one at each call."""
        return (
            self.path.replace("{id}", str(self.checks.pop())) if "{id}" in self.path else self.path
        )


@dataclass
class SalesFixtures:
    tokens: dict[str, str]  # "list": ADMIN of the big tenant; "write": seller of the write one
    tenant_id: int  # the write tenant
    seller_id: int  # its bench seller, who makes every sale and quotation of these scenarios
    cliente_ids: list[int]  # customers of the write tenant that create_venta's bodies name
    pool: list[int]  # PENDIENTE quotations for convertir's runs
    checks: list[int] = field(default_factory=list)  # one per request of the checks


def _user_with_token(tenant, rol: str) -> tuple[int, str]:
    from tenants.models import ApiToken, User

    email = SELLER_EMAIL.format(slug=tenant.slug)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, nombre="Vendedor Bench", tenant=tenant)
    if user.rol != rol:
        user.rol = rol
        user.save(update_fields=["rol"])
    user.tokens.all().delete()
    key = ApiToken.generate_key()
    ApiToken.objects.create(
        user=user, prefijo=key[: ApiToken.PREFIX_LENGTH], digest=ApiToken.digest_of(key)
    )
    return user.pk, key


def prepare(dataset, scale) -> SalesFixtures:
    """Bench users with fresh tokens, leftovers of earlier runs removed, a new pool."""
    from clientes.models import Cliente
    from tenants.models import Tenant, User

    tokens = {}
    big = Tenant.objects.get(pk=dataset.big_tenant_id)
    _, tokens["list"] = _user_with_token(big, User.Rol.ADMIN)
    write = Tenant.objects.get(pk=dataset.write_tenant_id)
    seller_id, tokens["write"] = _user_with_token(write, User.Rol.USUARIO)
    teardown(write.pk, seller_id)
    ids = list(
        Cliente.objects.for_tenant(write.pk).order_by("id").values_list("id", flat=True)[:5000]
    )
    cliente_ids = random.Random(11).sample(ids, min(1000, len(ids)))
    quotations = make_pool(write.pk, seller_id, cliente_ids, POOL_PER_SECOND * scale.duration)
    return SalesFixtures(
        tokens=tokens,
        tenant_id=write.pk,
        seller_id=seller_id,
        cliente_ids=cliente_ids,
        pool=quotations[CHECKS:],
        checks=quotations[:CHECKS],
    )


def make_pool(tenant_id: int, seller_id: int, cliente_ids: list[int], count: int) -> list[int]:
    """``count + CHECKS`` PENDIENTE quotations of ``LINES`` lines each, as the API writes them
    (numbered after the tenant's last quotation, with their CREADA event), by COPY."""
    from django.db import connection, transaction

    count += CHECKS
    rng = random.Random(23)
    lines = docs.SalesGenerator()
    lines.rng = rng
    now = datetime.now(UTC)
    at, until = docs.ts(now.timestamp()), docs.ts((now + timedelta(days=30)).timestamp())
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO documentos_numeracion (tenant_id, tipo, ultimo) VALUES (%s, %s, %s) "
            "ON CONFLICT (tenant_id, tipo) DO UPDATE SET "
            "ultimo = documentos_numeracion.ultimo + EXCLUDED.ultimo RETURNING ultimo",
            [tenant_id, COTIZACION, count],
        )
        first = cur.fetchone()[0] - count + 1
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence('cotizaciones_cotizacion', 'id')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        ids = [row[0] for row in cur.fetchall()]
        rows = {name: [] for name in ("quotations", "items", "events")}
        for n, ident in enumerate(ids):
            text, total = lines._lines(LINES)
            rows["items"] += [f"{tenant_id}\t{ident}\t{line}" for line in text]
            rows["events"].append(f"{tenant_id}\t{ident}\tCREADA\t{seller_id}\t{at}\t\\N\n")
            notas = "Precios sujetos a disponibilidad" if n % 4 == 0 else "\\N"
            rows["quotations"].append(
                f"{ident}\t{tenant_id}\t{first + n}\t{rng.choice(cliente_ids)}\t{seller_id}\t"
                f"{docs.fixed(total, 2)}\t{notas}\tPENDIENTE\t{until}\t{at}\t\\N\t\\N\t\\N\t\\N\n"
            )
        for (table, columns), key in zip(docs.QUOTATIONS, rows, strict=True):
            with cur.copy(bulk.copy_statement(table, columns)) as copy:
                copy.write("".join(rows[key]))
    return ids


def _restore_statements(tenant_id: int, seller_id: int, *, final: bool) -> list:
    """What undoes the bench seller's writes: converted quotations PENDIENTE again (``final``:
    deleted), the seller's sales deleted, the counters back to the last remaining number."""
    args = {"t": tenant_id, "s": seller_id}
    mine = "tenant_id = %(t)s AND vendedor_id = %(s)s"
    of_sales = f"tenant_id = %(t)s AND venta_id IN (SELECT id FROM ventas_venta WHERE {mine})"
    of_quotations = (
        "tenant_id = %(t)s AND cotizacion_id IN "
        f"(SELECT id FROM cotizaciones_cotizacion WHERE {mine})"
    )
    statements = [
        "UPDATE cotizaciones_cotizacion SET estado = 'PENDIENTE', convertida_en = NULL, "
        f"venta_id = NULL WHERE {mine} AND estado <> 'PENDIENTE'",
        f"DELETE FROM cotizaciones_cotizacionevento WHERE {of_quotations} AND tipo <> 'CREADA'",
        f"DELETE FROM ventas_ventaitem WHERE {of_sales}",
        f"DELETE FROM ventas_ventaevento WHERE {of_sales}",
        f"DELETE FROM ventas_venta WHERE {mine}",
    ]
    if final:
        statements += [
            f"DELETE FROM cotizaciones_cotizacionitem WHERE {of_quotations}",
            f"DELETE FROM cotizaciones_cotizacionevento WHERE {of_quotations}",
            f"DELETE FROM cotizaciones_cotizacion WHERE {mine}",
        ]
    for table, tipo in (("ventas_venta", "ventas.venta"), ("cotizaciones_cotizacion", COTIZACION)):
        statements.append(
            f"UPDATE documentos_numeracion SET ultimo = (SELECT coalesce(max(numero), 0) "
            f"FROM {table} WHERE tenant_id = %(t)s) WHERE tenant_id = %(t)s AND tipo = '{tipo}'"
        )
    return [(statement, args) for statement in statements]


def restore(conn, scenario) -> int:
    """After a run of ``scenario`` (any kind; only sales writes leave something): undoes it
    on ``conn`` (psycopg, autocommit), in one transaction. Returns 0 (no customers)."""
    if scenario.kind not in KINDS:
        return 0
    with conn.transaction():
        for statement, args in _restore_statements(
            scenario.tenant_id, scenario.seller_id, final=False
        ):
            conn.execute(statement, args)
    return 0


def teardown(tenant_id: int, seller_id: int, *, final: bool = True) -> None:
    """Through Django: removes every sale and (``final``) quotation of the bench seller."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        for statement, args in _restore_statements(tenant_id, seller_id, final=final):
            cur.execute(statement, args)


def build(fixtures: SalesFixtures) -> list[Scenario]:
    """The three sales scenarios, after the customers' ones."""
    common = {
        "tenant_id": fixtures.tenant_id,
        "seller_id": fixtures.seller_id,
        "group": "sales",
    }
    write = fixtures.tokens["write"]
    return [
        SalesScenario(
            "create_venta",
            f"create sale, {LINES} lines",
            "create_venta",
            "POST",
            "/api/ventas",
            write,
            cliente_ids=fixtures.cliente_ids,
            **common,
        ),
        SalesScenario(
            "list_ventas",
            "list 200 newest sales, big tenant",
            "list",
            "GET",
            "/api/ventas",
            fixtures.tokens["list"],
            **common,
        ),
        SalesScenario(
            "convertir",
            f"convert a quotation of {LINES} lines",
            "convertir",
            "POST",
            "/api/cotizaciones/{id}/convertir",
            write,
            pool=fixtures.pool,
            checks=fixtures.checks,
            **common,
        ),
    ]


def sample_body(scenario: Scenario) -> dict | None:
    """A create_venta body like the Lua script's (for the checks)."""
    if scenario.kind != "create_venta":
        return None
    rng = random.Random()
    items = [
        {
            "descripcion": rng.choice(names.PRODUCTOS),
            "cantidad": float(f"{rng.randrange(1, 20)}.{rng.randrange(0, 1000):03d}"),
            "precioUnitario": float(f"{rng.randrange(500, 400_000)}.{rng.randrange(100):02d}"),
        }
        for _ in range(LINES)
    ]
    return {
        "clienteId": rng.choice(scenario.cliente_ids),
        "notas": "Venta de prueba",
        "items": items,
    }
