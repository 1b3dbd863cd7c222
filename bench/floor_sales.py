"""The floor (c) of the sales writes: the service's rows, written in bare psycopg.

For ``POST /api/ventas`` and ``POST /api/cotizaciones/{id}/convertir`` the floor first replays
the token and rate-limit statements the service ran for that route (captured by
``bench/capture_sales.py``, with the token's digest substituted, as for every route of the
floor), then writes the same rows as the service in one transaction, with statements of its
own that need no re-reads:

- create: the customer (id, nombre, in the caller's tenant), the sale counter (the service's
  ``INSERT … ON CONFLICT … RETURNING``), the sale, its 5 lines (one ``INSERT … SELECT FROM
  UNNEST``, as Django's ``bulk_create``), its CREADA event;
- convert: the quotation locked (``FOR NO KEY UPDATE``, with its people), its lines, the
  counter, the sale, its lines, its CREADA event, the quotation updated, its CONVERTIDA event,
  then its events (for the answer).

Line lookups name the tenant, so they use the tenant-first indexes. The answers are the
service's JSON (same fields, order and numbers); subtotals and totals are computed exactly with
``Decimal``, half up, as the service does. The route (token) gives the tenant and the caller,
like the constants of every captured route.
"""

import json
import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

CENTAVO = Decimal("0.01")
CONFLICTS = {  # the service's messages
    "CONVERTIDA": "La cotización ya está convertida",
    "CANCELADA": "La cotización está cancelada",
    "VENCIDA": "La cotización está vencida. Cancélala y crea una nueva.",
}
KINDS = ("create_venta", "convertir")
CONVERT_PATH = re.compile(r"^/api/cotizaciones/([0-9]+)/convertir$")

NEXT_NUMERO = (
    "INSERT INTO documentos_numeracion (tenant_id, tipo, ultimo) VALUES (%s, %s, 1) "
    "ON CONFLICT (tenant_id, tipo) DO UPDATE SET ultimo = documentos_numeracion.ultimo + 1 "
    "RETURNING ultimo"
)
INSERT_VENTA = (
    "INSERT INTO ventas_venta (tenant_id, numero, cliente_id, vendedor_id, total, notas) "
    "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id, creado_en"
)
INSERT_ITEMS = (
    "INSERT INTO ventas_ventaitem (tenant_id, descripcion, cantidad, precio_unitario, subtotal, "
    "venta_id) SELECT * FROM UNNEST((%s)::bigint[], (%s)::varchar[], (%s)::numeric[], "
    "(%s)::numeric[], (%s)::numeric[], (%s)::bigint[]) RETURNING id"
)
INSERT_VENTA_EVENTO = (
    "INSERT INTO ventas_ventaevento (tenant_id, tipo, usuario_id, en, motivo, venta_id) "
    "VALUES (%s, 'CREADA', %s, %s, NULL, %s)"
)
CLIENTE = "SELECT id, nombre FROM clientes_cliente WHERE tenant_id = %s AND id = %s"
LOCK_COTIZACION = """
SELECT q.id, q.numero, q.cliente_id, c.nombre, q.vendedor_id, v.nombre, q.total, q.notas,
       q.creado_en, q.cancelada_en, q.cancelada_por_id, p.nombre, q.motivo_cancelacion,
       q.estado, q.valida_hasta
FROM cotizaciones_cotizacion q
LEFT JOIN clientes_cliente c ON c.id = q.cliente_id
LEFT JOIN tenants_user v ON v.id = q.vendedor_id
LEFT JOIN tenants_user p ON p.id = q.cancelada_por_id
WHERE q.tenant_id = %s AND q.id = %s
FOR NO KEY UPDATE OF q
"""
COTIZACION_ITEMS = (
    "SELECT id, descripcion, cantidad, precio_unitario, subtotal FROM cotizaciones_cotizacionitem "
    "WHERE tenant_id = %s AND cotizacion_id = %s ORDER BY id"
)
CONVERT_COTIZACION = (
    "UPDATE cotizaciones_cotizacion SET estado = 'CONVERTIDA', convertida_en = %s, venta_id = %s "
    "WHERE tenant_id = %s AND id = %s"
)
INSERT_COTIZACION_EVENTO = (
    "INSERT INTO cotizaciones_cotizacionevento (tenant_id, tipo, usuario_id, en, motivo, "
    "cotizacion_id) VALUES (%s, 'CONVERTIDA', %s, %s, NULL, %s)"
)
COTIZACION_EVENTOS = """
SELECT e.tipo, e.usuario_id, u.nombre, e.en, e.motivo
FROM cotizaciones_cotizacionevento e LEFT JOIN tenants_user u ON u.id = e.usuario_id
WHERE e.tenant_id = %s AND e.cotizacion_id = %s ORDER BY e.en, e.id
"""


def match(method: str, path: str) -> tuple[str, int | None] | None:
    """``(kind, quotation id)`` of a sales write route, or None."""
    if method != "POST":
        return None
    if path == "/api/ventas":
        return "create_venta", None
    if found := CONVERT_PATH.match(path):
        return "convertir", int(found.group(1))
    return None


def _person(ident, nombre) -> dict | None:
    return None if ident is None else {"id": ident, "nombre": nombre}


def _text(value) -> str | None:
    """As the service's optional text fields: trimmed, and empty is null."""
    if isinstance(value, str):
        value = value.strip()
    return value or None


def _venta(route, *, row, numero, cliente, vendedor, total, notas, items, cotizacion_id):
    seller = _person(route["user_id"], route["user_nombre"])
    venta_id, creado_en = row
    return {
        "id": venta_id,
        "numero": numero,
        "cliente": cliente,
        "vendedor": vendedor,
        "total": total,
        "notas": notas,
        "creadoEn": creado_en,
        "canceladaEn": None,
        "canceladaPor": None,
        "motivoCancelacion": None,
        "cotizacionId": cotizacion_id,
        "items": items,
        "eventos": [{"tipo": "CREADA", "usuario": seller, "en": creado_en, "motivo": None}],
    }


def _insert_venta(cur, route, *, cliente_id, vendedor_id, lines, notas, total):
    """Counter, sale, lines and CREADA event; returns (numero, (id, creado_en), item ids)."""
    tenant = route["tenant_id"]
    numero = cur.execute(NEXT_NUMERO, [tenant, "ventas.venta"]).fetchone()[0]
    row = cur.execute(INSERT_VENTA, [tenant, numero, cliente_id, vendedor_id, total, notas])
    row = row.fetchone()
    columns = [list(c) for c in zip(*lines, strict=True)]  # descripcion, cantidad, …
    cur.execute(INSERT_ITEMS, [[tenant] * len(lines), *columns, [row[0]] * len(lines)])
    item_ids = [r[0] for r in cur.fetchall()]
    cur.execute(INSERT_VENTA_EVENTO, [tenant, route["user_id"], row[1], row[0]])
    return numero, row, item_ids


def _items(item_ids, lines) -> list[dict]:
    return [
        {"id": i, "descripcion": d, "cantidad": c, "precioUnitario": p, "subtotal": s}
        for i, (d, c, p, s) in zip(item_ids, lines, strict=True)
    ]


def create_venta(conn, route, body: dict):
    """POST /api/ventas: (status, body, headers)."""
    lines = []
    for item in body.get("items") or []:
        cantidad = Decimal(item["cantidad"]).quantize(Decimal("0.001"))
        precio = Decimal(item["precioUnitario"]).quantize(CENTAVO)
        subtotal = (cantidad * precio).quantize(CENTAVO, rounding=ROUND_HALF_UP)
        lines.append((item["descripcion"].strip(), cantidad, precio, subtotal))
    if not lines:
        return "400 Bad Request", {"error": "Se necesita al menos un ítem"}, []
    total = sum((line[3] for line in lines), Decimal(0))
    notas = _text(body.get("notas"))
    with conn.transaction(), conn.cursor() as cur:
        cliente = None
        if (cliente_id := body.get("clienteId")) is not None:
            found = cur.execute(CLIENTE, [route["tenant_id"], cliente_id]).fetchone()
            if found is None:
                return "400 Bad Request", {"error": "El cliente no existe en la empresa"}, []
            cliente = _person(*found)
        numero, row, item_ids = _insert_venta(
            cur,
            route,
            cliente_id=cliente_id,
            vendedor_id=route["user_id"],
            lines=lines,
            notas=notas,
            total=total,
        )
    payload = _venta(
        route,
        row=row,
        numero=numero,
        cliente=cliente,
        vendedor=_person(route["user_id"], route["user_nombre"]),
        total=total,
        notas=notas,
        items=_items(item_ids, lines),
        cotizacion_id=None,
    )
    return "201 Created", payload, [("Location", f"/api/ventas/{row[0]}")]


def convertir(conn, route, cotizacion_id: int):
    """POST /api/cotizaciones/{id}/convertir: (status, body, headers)."""
    tenant, user = route["tenant_id"], route["user_id"]
    with conn.transaction(), conn.cursor() as cur:
        q = cur.execute(LOCK_COTIZACION, [tenant, cotizacion_id]).fetchone()
        if q is None or (route["rol"] != "ADMIN" and q[4] != user):
            return "404 Not Found", {"error": "Cotización no encontrada"}, []
        estado, valida_hasta = q[13], q[14]
        if estado != "PENDIENTE" or valida_hasta <= datetime.now(UTC):
            return "409 Conflict", {"error": CONFLICTS.get(estado, CONFLICTS["VENCIDA"])}, []
        rows = cur.execute(COTIZACION_ITEMS, [tenant, cotizacion_id]).fetchall()
        lines = [row[1:] for row in rows]
        notas = f"Venta convertida desde cotización #{q[1]}" + (f" — {q[7]}" if q[7] else "")
        total = q[6]
        numero, row, item_ids = _insert_venta(
            cur, route, cliente_id=q[2], vendedor_id=q[4], lines=lines, notas=notas, total=total
        )
        cur.execute(CONVERT_COTIZACION, [row[1], row[0], tenant, cotizacion_id])
        cur.execute(INSERT_COTIZACION_EVENTO, [tenant, user, row[1], cotizacion_id])
        eventos = cur.execute(COTIZACION_EVENTOS, [tenant, cotizacion_id]).fetchall()
    cliente, vendedor = _person(q[2], q[3]), _person(q[4], q[5])
    venta = _venta(
        route,
        row=row,
        numero=numero,
        cliente=cliente,
        vendedor=vendedor,
        total=total,
        notas=notas,
        items=_items(item_ids, lines),
        cotizacion_id=cotizacion_id,
    )
    cotizacion = {
        "id": q[0],
        "numero": q[1],
        "cliente": cliente,
        "vendedor": vendedor,
        "total": total,
        "notas": q[7],
        "creadoEn": q[8],
        "canceladaEn": q[9],
        "canceladaPor": _person(q[10], q[11]),
        "motivoCancelacion": q[12],
        "estado": "CONVERTIDA",
        "vencida": False,
        "validaHasta": valida_hasta,
        "convertidaEn": row[1],
        "ventaId": row[0],
        "items": [
            {
                "id": r[0],
                "descripcion": r[1],
                "cantidad": r[2],
                "precioUnitario": r[3],
                "subtotal": r[4],
            }
            for r in rows
        ],
        "eventos": [
            {"tipo": t, "usuario": _person(u, n), "en": en, "motivo": m}
            for t, u, n, en, m in eventos
        ],
    }
    body = {"venta": venta, "cotizacion": cotizacion}
    return "201 Created", body, [("Location", f"/api/ventas/{row[0]}")]


def handle(conn, route, environ, quotation_id, run_prefix):
    """A sales write: the captured token and rate-limit statements (``run_prefix``, which
    returns their results), then the write; (status, body, headers)."""
    prefix = run_prefix()
    if not prefix[0][1]:  # the token query found nothing
        return "401 Unauthorized", {"error": "Token inválido o expirado"}, []
    if route["kind"] == "convertir":
        return convertir(conn, route, quotation_id)
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = json.loads(environ["wsgi.input"].read(length) or b"{}", parse_float=Decimal)
    return create_venta(conn, route, body)
