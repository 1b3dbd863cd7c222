"""The sales scenarios: create a sale of 5 lines, list sales and quotations, convert a
quotation into a sale.

Writes are a bench seller's (a USUARIO of the write tenant); each run is undone by ``restore``
(its sales deleted, its quotations PENDIENTE again, the counters back), and ``convertir``
consumes a pool of fresh quotations made by ``prepare``."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.data import names
from bench.data import rows as docs
from bench.data.dataset import copy_statement
from bench.scenarios.base import Scenario, bench_user, django_connection

LINES = 5
POOL_PER_SECOND = 2_500  # quotations for one convertir run: this many req/s over its duration
CHECKS = 40  # more quotations, for the checks before the load
VENTAS, COTIZACIONES = "/api/ventas", "/api/cotizaciones"
CONVERTIR = COTIZACIONES + "/{id}/convertir"
PRODUCTOS = "{" + ", ".join(f'"{p}"' for p in names.PRODUCTOS) + "}"

CREATE_LUA = """
local clientes = {{{clientes}}}
local productos = {productos}
function request()
  counter = counter + 1
  local items = {{}}
  for i = 1, {lines} do
    items[i] = string.format(
      '{{"descripcion": "%s", "cantidad": %d.%03d, "precioUnitario": %d.%02d}}',
      productos[math.random(1, #productos)], math.random(1, 19), math.random(0, 999),
      math.random(500, 399999), math.random(0, 99))
  end
  local body = string.format(
    '{{"clienteId": %d, "notas": "Venta de carga %d-%d", "items": [%s]}}',
    clientes[math.random(1, #clientes)], tid or 0, counter, table.concat(items, ", "))
  return wrk.format("POST", "{path}", nil, body)
end
"""
# Thread t of n takes quotations t, t + n, t + 2n …: none is converted twice. Past the end of
# the pool it starts again, and the 409s show as errors.
CONVERT_LUA = """
local ids = {{{ids}}}
local stride = {threads}
function request()
  counter = counter + 1
  local index = ((counter - 1) * stride + (tid or 1) - 1) % #ids + 1
  return wrk.format("POST", "{prefix}" .. ids[index] .. "{suffix}", nil, "")
end
"""


@dataclass
class Fixtures:
    tokens: dict[str, str]  # "list": ADMIN of the big tenant; "write": seller of the write one
    tenant_id: int  # the write tenant
    seller_id: int  # its bench seller, who makes every sale and quotation of these scenarios
    cliente_ids: list[int]  # customers of the write tenant that create_venta's bodies name
    pool: list[int]  # PENDIENTE quotations for convertir's runs
    checks: list[int] = field(default_factory=list)  # one per request of the checks


def prepare(dataset, scale) -> Fixtures:
    """Bench users with fresh tokens, leftovers of earlier runs removed, a new pool."""
    from clientes.models import Cliente
    from tenants.models import Tenant, User

    big = Tenant.objects.get(pk=dataset.big_tenant_id)
    write = Tenant.objects.get(pk=dataset.write_tenant_id)
    seller = "bench-ventas@{}.test"
    tokens = {"list": bench_user(big, seller.format(big.slug), "Vendedor Bench", User.Rol.ADMIN)[1]}
    seller_id, tokens["write"] = bench_user(
        write, seller.format(write.slug), "Vendedor Bench", User.Rol.USUARIO
    )
    conn = django_connection()
    restore(conn, write.pk, seller_id, final=True)
    ids = Cliente.objects.for_tenant(write.pk).order_by("id").values_list("id", flat=True)
    ids = list(ids[:5000])
    cliente_ids = random.Random(11).sample(ids, min(1000, len(ids)))
    quotations = make_pool(conn, write.pk, seller_id, cliente_ids, POOL_PER_SECOND * scale.duration)
    return Fixtures(
        tokens, write.pk, seller_id, cliente_ids, quotations[CHECKS:], quotations[:CHECKS]
    )


def make_pool(conn, tenant_id: int, seller_id: int, cliente_ids: list[int], count: int) -> list:
    """``count + CHECKS`` PENDIENTE quotations of ``LINES`` lines, as the API writes them
    (numbered after the tenant's last, with their CREADA event), by COPY; their ids."""
    count += CHECKS
    rng = random.Random(23)
    now = datetime.now(UTC)
    at, until = docs.ts(now.timestamp()), docs.ts((now + timedelta(days=30)).timestamp())
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "INSERT INTO documentos_numeracion (tenant_id, tipo, ultimo) VALUES (%s, %s, %s) "
            "ON CONFLICT (tenant_id, tipo) DO UPDATE SET "
            "ultimo = documentos_numeracion.ultimo + EXCLUDED.ultimo RETURNING ultimo",
            [tenant_id, docs.COTIZACION, count],
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
            text, total = docs.lines(rng, LINES)
            rows["items"] += [f"{tenant_id}\t{ident}\t{line}" for line in text]
            rows["events"].append(f"{tenant_id}\t{ident}\tCREADA\t{seller_id}\t{at}\t\\N\n")
            notas = "Precios sujetos a disponibilidad" if n % 4 == 0 else "\\N"
            rows["quotations"].append(
                f"{ident}\t{tenant_id}\t{first + n}\t{rng.choice(cliente_ids)}\t{seller_id}\t"
                f"{docs.fixed(total, 2)}\t{notas}\tPENDIENTE\t{until}\t{at}\t\\N\t\\N\t\\N\t\\N\n"
            )
        for (table, columns), key in zip(docs.QUOTATIONS, rows, strict=True):
            with cur.copy(copy_statement(table, columns)) as copy:
                copy.write("".join(rows[key]))
    return ids


def restore(conn, tenant_id: int, seller_id: int, *, final: bool = False) -> int:
    """Undoes the bench seller's writes in one transaction: converted quotations PENDIENTE
    again (``final``: deleted), their sales deleted, the counters back to the last number."""
    args = {"t": tenant_id, "s": seller_id}
    mine = "tenant_id = %(t)s AND vendedor_id = %(s)s"
    of_sales = f"tenant_id = %(t)s AND venta_id IN (SELECT id FROM ventas_venta WHERE {mine})"
    quotations = f"SELECT id FROM cotizaciones_cotizacion WHERE {mine}"
    of_quotations = f"tenant_id = %(t)s AND cotizacion_id IN ({quotations})"
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
    for table, tipo in (("ventas_venta", docs.VENTA), ("cotizaciones_cotizacion", docs.COTIZACION)):
        statements.append(
            f"UPDATE documentos_numeracion SET ultimo = (SELECT coalesce(max(numero), 0) "
            f"FROM {table} WHERE tenant_id = %(t)s) WHERE tenant_id = %(t)s AND tipo = '{tipo}'"
        )
    with conn.transaction():
        for statement in statements:
            conn.execute(statement, args)
    return 0


def finish(conn, dataset, fx: Fixtures) -> int:
    """After the last run: every sale and quotation of the bench seller removed."""
    return restore(conn, fx.tenant_id, fx.seller_id, final=True)


def build(dataset, fx: Fixtures) -> list[Scenario]:
    """The family's scenarios: the sale's create, the lists, the conversion."""

    def undo(conn) -> int:
        return restore(conn, fx.tenant_id, fx.seller_id)

    def scenario(name, title, method, path, token, **more):
        return Scenario(name, "sales", title, method, path, token, citus=True, **more)

    clientes, ids = (", ".join(map(str, ids)) for ids in (fx.cliente_ids, fx.pool))
    prefix, suffix = CONVERTIR.split("{id}")
    create = CREATE_LUA.format(clientes=clientes, productos=PRODUCTOS, lines=LINES, path=VENTAS)
    write = fx.tokens["write"]
    return [
        scenario(
            "create_venta",
            f"create sale, {LINES} lines",
            "POST",
            VENTAS,
            write,
            undo=undo,
            lua=lambda threads: create,
            body=lambda: sale_body(fx.cliente_ids),
        ),
        scenario(
            "list_ventas", "list 200 newest sales, big tenant", "GET", VENTAS, fx.tokens["list"]
        ),
        scenario(
            "list_cotizaciones",
            "list 200 newest quotations, big tenant",
            "GET",
            COTIZACIONES,
            fx.tokens["list"],
        ),
        scenario(
            "convertir",
            f"convert a quotation of {LINES} lines",
            "POST",
            CONVERTIR,
            write,
            examples=iter(reversed(fx.checks)),
            undo=undo,
            lua=lambda threads: CONVERT_LUA.format(
                ids=ids, threads=threads, prefix=prefix, suffix=suffix
            ),
        ),
    ]


def sale_body(cliente_ids: list[int]) -> dict:
    """A create_venta body like the Lua script's."""
    rng = random.Random()
    items = [
        {
            "descripcion": rng.choice(names.PRODUCTOS),
            "cantidad": float(f"{rng.randrange(1, 20)}.{rng.randrange(0, 1000):03d}"),
            "precioUnitario": float(f"{rng.randrange(500, 400_000)}.{rng.randrange(100):02d}"),
        }
        for _ in range(LINES)
    ]
    return {"clienteId": rng.choice(cliente_ids), "notas": "Venta de prueba", "items": items}
