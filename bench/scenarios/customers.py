"""The customers' scenarios: lists, searches, cursors, historial, create and update."""

import random
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from bench.scenarios.base import Scenario, bench_user, django_connection

PAGE = 200
PREFIX = "BENCH-"  # the documento of every customer the bench creates
CLIENTES = "/api/clientes"

# The wrk scripts' request() (after the thread ids): a unique documento per request (run
# nonce, thread, counter, random number); a random customer of the write tenant per update.
CREATE_LUA = """
function request()
  counter = counter + 1
  local r = math.random(1, 999999999)
  local body = string.format(
    '{{"nombre": "Cliente Carga %d-%d", "documento": "{prefix}%s-%d-%d-%d", ' ..
    '"email": "carga.%d.%d@example.com", "telefono": "300 %03d-%04d"}}',
    tid or 0, counter, "{nonce}", tid or 0, counter, r, tid or 0, counter,
    math.random(0, 999), math.random(0, 9999))
  return wrk.format("POST", "{path}", nil, body)
end
"""
UPDATE_LUA = """
local ids = {{{ids}}}
function request()
  counter = counter + 1
  local id = ids[math.random(1, #ids)]
  local body = string.format(
    '{{"nombre": "Cliente Actualizado %d-%d", "telefono": "310 %03d-%04d", "notas": "carga %d"}}',
    tid or 0, counter, math.random(0, 999), math.random(0, 9999), counter)
  return wrk.format("PUT", "{path_prefix}" .. id, nil, body)
end
"""


@dataclass
class Fixtures:
    tokens: dict[str, str]  # "big", "list", "write" (their tenants) -> API key
    cursor_first: int
    cursor_deep: int
    cursor_deep_rows: int
    update_ids: list[int]


def prepare(dataset, scale) -> Fixtures:
    """Bench users with fresh tokens, earlier runs' customers removed, the ids to name."""
    from clientes.models import Cliente
    from tenants.models import Tenant

    tokens = {}
    for role in ("big", "list", "write"):
        tenant = Tenant.objects.get(pk=getattr(dataset, f"{role}_tenant_id"))
        tokens[role] = bench_user(tenant, f"bench@{tenant.slug}.test", "Bench")[1]
    drop_created(django_connection(), dataset.write_tenant_id)
    big = Cliente.objects.for_tenant(dataset.big_tenant_id).order_by("-id")
    depth = min(scale.cursor_depth_pages * PAGE, int(big.count() * 0.8))
    write_ids = list(
        Cliente.objects.for_tenant(dataset.write_tenant_id)
        .exclude(documento__startswith=PREFIX)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return Fixtures(
        tokens=tokens,
        cursor_first=big.values_list("id", flat=True).first() + 1,
        cursor_deep=big.values_list("id", flat=True)[depth],
        cursor_deep_rows=depth,
        update_ids=random.Random(7).sample(write_ids, min(1000, len(write_ids))),
    )


def drop_created(conn, tenant_id: int) -> int:
    """Deletes the customers the bench created, with their history; how many.

    They hold the highest ids of the table: left in place, every later backward scan of the
    primary key (the big tenant's list) would step over them. One scan right after the
    delete marks their index entries dead, so later scans skip them at no cost."""
    created = "SELECT id FROM clientes_cliente WHERE tenant_id = %s AND documento LIKE %s"
    args = [tenant_id, PREFIX + "%"]
    with conn.transaction():
        history = "DELETE FROM clientes_clienteevento WHERE tenant_id = %s AND cliente_id IN "
        conn.execute(f"{history}({created})", [tenant_id, *args])
        deleted = "DELETE FROM clientes_cliente WHERE tenant_id = %s AND documento LIKE %s"
        ids = [row[0] for row in conn.execute(deleted + " RETURNING id", args).fetchall()]
    if ids:
        conn.execute(
            "SELECT count(nombre) FROM clientes_cliente WHERE id BETWEEN %s AND %s",
            [min(ids), max(ids)],
        )
    return len(ids)


def finish(conn, dataset, fixtures: Fixtures) -> int:
    """After the last run: what the bench made removed; the customers deleted."""
    return drop_created(conn, dataset.write_tenant_id)


def build(dataset, fx: Fixtures) -> list[Scenario]:
    """The family's scenarios, in order: the reads, then the writes with their wrk script,
    the checks' body and the undo."""
    big, small, write = (fx.tokens[role] for role in ("big", "list", "write"))
    rare, phone, deep = dataset.rare_term, dataset.phone_digits, fx.cursor_deep_rows

    def get(name, group, title, path, token=big, citus=False):
        return Scenario(name, group, title, "GET", path, token, citus)

    def q(**query):
        return f"{CLIENTES}?{urlencode(query)}"

    historial = f"{CLIENTES}/{dataset.hot_cliente_id}/historial"
    deep_title = f"cursor page {deep // PAGE:,} ({deep:,} rows deep)"
    ids = ", ".join(map(str, fx.update_ids))
    return [
        get("list_big", "list", "list 200 newest, big tenant", CLIENTES, citus=True),
        get("list_small", "list", "list 200 newest, small tenant", CLIENTES, small, True),
        get("search_rare", "search", f"busqueda rare «{rare}»", q(busqueda=rare), citus=True),
        get("search_common", "search", "busqueda common «mar»", q(busqueda="mar"), citus=True),
        get("search_accent", "search", "busqueda accented «Núñez»", q(busqueda="Núñez")),
        get("search_phone", "search", f"busqueda phone digits «{phone}»", q(busqueda=phone)),
        get("cursor_first", "cursor", "cursor page 1", q(cursor=fx.cursor_first, limite=PAGE)),
        get("cursor_deep", "cursor", deep_title, q(cursor=fx.cursor_deep, limite=PAGE)),
        get("historial", "historial", "historial, customer with many sales", historial, citus=True),
        Scenario(
            "create",
            "write",
            "create customer",
            "POST",
            CLIENTES,
            write,
            citus=True,
            lua=lambda threads: CREATE_LUA.format(
                prefix=PREFIX, nonce=secrets.token_hex(4), path=CLIENTES
            ),
            body=lambda: _body(nombre="Cliente Prueba", documento=True, telefono="300 123-4567"),
            undo=lambda conn: drop_created(conn, dataset.write_tenant_id),
        ),
        Scenario(
            "update",
            "write",
            "update customer",
            "PUT",
            CLIENTES + "/{id}",
            write,
            examples=iter(fx.update_ids),
            lua=lambda threads: UPDATE_LUA.format(ids=ids, path_prefix=CLIENTES + "/"),
            body=lambda: _body(nombre="Cliente Actualizado", telefono="310 555-0101", notas=True),
        ),
    ]


def _body(nombre: str, telefono: str, documento=False, notas=False) -> dict:
    """A body like the Lua script's, for the checks: a new tag in its texts."""
    tag = secrets.token_hex(4)
    body = {"nombre": f"{nombre} {tag}"}
    if documento:
        body |= {"documento": f"{PREFIX}CHK-{tag}", "email": f"prueba.{tag}@example.com"}
    return body | {"telefono": telefono} | ({"notas": f"nota {tag}"} if notas else {})
