"""The floor's sales and quotations: list both, create a sale, convert a quotation, with
statements of its own naming the tenant; exact ``Decimal``s, half up; answers built from what
it wrote or read."""

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import orjson

CENTAVO, MILESIMA = Decimal("0.01"), Decimal("0.001")
ITEM_KEYS = ("id", "descripcion", "cantidad", "precioUnitario", "subtotal")
PEOPLE = {"cliente", "vendedor", "canceladaPor", "usuario"}
DOCUMENTO_KEYS = ("id", "numero", "cliente", "vendedor", "total", "notas", "creadoEn")
DOCUMENTO_KEYS += ("canceladaEn", "canceladaPor", "motivoCancelacion")
EVENTO_KEYS = ("tipo", "usuario", "en", "motivo")
CONFLICTS = {  # the service's messages
    "CONVERTIDA": "La cotización ya está convertida",
    "CANCELADA": "La cotización está cancelada",
    "VENCIDA": "La cotización está vencida. Cancélala y crea una nueva.",
}


# A list row: the fields every document shares (read by ``_list_row``), its item count, then
# the kind's own columns; ``d`` is the document.
LIST = """
SELECT d.id, d.numero, d.cliente_id, c.nombre, d.vendedor_id, u.nombre, d.total, d.notas,
       d.creado_en, d.cancelada_en, d.cancelada_por_id, p.nombre, d.motivo_cancelacion,
       (SELECT count(*) FROM {items} i WHERE i.tenant_id = d.tenant_id AND i.{parent} = d.id),
       {own}
FROM {table} d
LEFT JOIN clientes_cliente c ON c.tenant_id = d.tenant_id AND c.id = d.cliente_id
LEFT JOIN tenants_user u ON u.id = d.vendedor_id
LEFT JOIN tenants_user p ON p.id = d.cancelada_por_id{joins}
WHERE d.tenant_id = %s
"""
LIST_VENTAS = LIST.format(
    table="ventas_venta",
    items="ventas_ventaitem",
    parent="venta_id",
    own="q.id",
    joins="\nLEFT JOIN cotizaciones_cotizacion q "
    "ON q.tenant_id = d.tenant_id AND q.venta_id = d.id",
)
LIST_COTIZACIONES = LIST.format(
    table="cotizaciones_cotizacion",
    items="cotizaciones_cotizacionitem",
    parent="cotizacion_id",
    own="d.estado, d.valida_hasta, d.convertida_en, d.venta_id",
    joins="",
)
CLIENTE = "SELECT id, nombre FROM clientes_cliente WHERE tenant_id = %s AND id = %s"
NEXT_NUMERO = (
    "INSERT INTO documentos_numeracion (tenant_id, tipo, ultimo) VALUES (%s, 'ventas.venta', 1) "
    "ON CONFLICT (tenant_id, tipo) DO UPDATE SET ultimo = documentos_numeracion.ultimo + 1 "
    "RETURNING ultimo"
)
INSERT_VENTA = (
    "INSERT INTO ventas_venta (tenant_id, numero, cliente_id, vendedor_id, total, notas) "
    "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id, creado_en"
)
INSERT_ITEMS = (
    "INSERT INTO ventas_ventaitem (tenant_id, venta_id, descripcion, cantidad, precio_unitario, "
    "subtotal) SELECT %s, %s, * FROM UNNEST((%s)::varchar[], (%s)::numeric[], (%s)::numeric[], "
    "(%s)::numeric[]) RETURNING id"
)
INSERT_VENTA_EVENTO = (
    "INSERT INTO ventas_ventaevento (tenant_id, venta_id, tipo, usuario_id, en) "
    "VALUES (%s, %s, 'CREADA', %s, %s)"
)
LOCK_COTIZACION = """
SELECT q.id, q.numero, q.cliente_id, c.nombre, q.vendedor_id, v.nombre, q.total, q.notas,
       q.creado_en, q.cancelada_en, q.cancelada_por_id, p.nombre, q.motivo_cancelacion,
       q.estado, q.valida_hasta
FROM cotizaciones_cotizacion q
LEFT JOIN clientes_cliente c ON c.tenant_id = q.tenant_id AND c.id = q.cliente_id
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
    "INSERT INTO cotizaciones_cotizacionevento (tenant_id, cotizacion_id, tipo, usuario_id, en) "
    "VALUES (%s, %s, 'CONVERTIDA', %s, %s)"
)
COTIZACION_EVENTOS = """
SELECT e.tipo, e.usuario_id, u.nombre, e.en, e.motivo
FROM cotizaciones_cotizacionevento e LEFT JOIN tenants_user u ON u.id = e.usuario_id
WHERE e.tenant_id = %s AND e.cotizacion_id = %s ORDER BY e.en, e.id
"""


def list_ventas(request, *, limit: int, cursor: int | None):
    """GET /api/ventas: the sales the caller sees (a USUARIO: their own), newest first,
    ``limit`` + 1 of them (the floor cuts the page), before ``cursor``."""
    return _list(request, LIST_VENTAS, limit, cursor, lambda r: _list_row(r, cotizacionId=r[14]))


def list_cotizaciones(request, *, limit: int, cursor: int | None):
    """GET /api/cotizaciones: the quotations the caller sees, as ``list_ventas`` the sales;
    ``vencida`` (PENDIENTE and no longer valid) at the moment of the read, as the service."""
    now = datetime.now(UTC)

    def row(r) -> dict:
        estado, valida_hasta = r[14], r[15]
        vencida = estado == "PENDIENTE" and valida_hasta <= now
        return _list_row(
            r,
            estado=estado,
            vencida=vencida,
            validaHasta=valida_hasta,
            convertidaEn=r[16],
            ventaId=r[17],
        )

    return _list(request, LIST_COTIZACIONES, limit, cursor, row)


def _list(request, sql: str, limit: int, cursor: int | None, row) -> tuple:
    """(status, body, headers) of a list: the rows of ``sql`` (a ``LIST``) the caller sees,
    newest first, ``limit`` + 1 of them, before ``cursor``, each made a dict by ``row``."""
    unknown = set(request.query) - {"limite", "cursor"}
    if unknown:  # the filters: not in the bench, not in the floor
        return "501 Not Implemented", {"error": f"floor: {sorted(unknown)}"}, []
    params = [request.caller.tenant_id]
    if request.caller.rol != "ADMIN":
        sql += " AND d.vendedor_id = %s"
        params.append(request.caller.user_id)
    if cursor is not None:
        sql += " AND d.id < %s"
        params.append(cursor)
    rows = request.conn.execute(sql + " ORDER BY d.id DESC LIMIT %s", [*params, limit + 1])
    return "200 OK", [row(r) for r in rows], []


def _list_row(r, **own) -> dict:
    """A list row's shared fields and ``cantidadItems`` (``LIST``'s first 14 columns), then
    the kind's ``own``, in the service's order (``comercial.selectors.page_rows``).

    A dict literal (the floor's hottest loop; not the generic ``_record``). The list writes
    the total as PostgreSQL writes the numeric ("1018000.00"), where a detail writes a float
    ("1018000.0"): as the service's list does."""
    return {
        "id": r[0],
        "numero": r[1],
        "cliente": _person(r[2], r[3]),
        "vendedor": _person(r[4], r[5]),
        "total": orjson.Fragment(str(r[6])),
        "notas": r[7],
        "creadoEn": r[8],
        "canceladaEn": r[9],
        "canceladaPor": _person(r[10], r[11]),
        "motivoCancelacion": r[12],
        "cantidadItems": r[13],
        **own,
    }


def _record(keys, row) -> dict:
    """``row``'s values under ``keys``; a person (id, nombre: two columns) under one key."""
    out, values = {}, iter(row)
    for key in keys:
        value = next(values)
        out[key] = _person(value, next(values)) if key in PEOPLE else value
    return out


def _person(ident, nombre) -> dict | None:
    return None if ident is None else {"id": ident, "nombre": nombre}


def _line(descripcion: str, cantidad: Decimal, precio: Decimal) -> tuple:
    """(descripcion, cantidad, precio, subtotal): ``cantidad × precio`` half up to centavos."""
    subtotal = (cantidad * precio).quantize(CENTAVO, rounding=ROUND_HALF_UP)
    return descripcion, cantidad, precio, subtotal


def _insert_venta(request, cur, cliente, vendedor, lines, notas, cotizacion_id) -> dict:
    """Counter, sale, lines and CREADA event (by the caller); the sale as its detail shows it."""
    tenant, caller = request.caller.tenant_id, request.caller
    total = sum((line[3] for line in lines), Decimal(0))
    numero = cur.execute(NEXT_NUMERO, [tenant]).fetchone()[0]
    cliente_id, vendedor_id = (cliente or {}).get("id"), (vendedor or {}).get("id")
    row = cur.execute(INSERT_VENTA, [tenant, numero, cliente_id, vendedor_id, total, notas])
    venta_id, creado_en = row.fetchone()
    columns = [list(column) for column in zip(*lines, strict=True)]
    item_ids = [r[0] for r in cur.execute(INSERT_ITEMS, [tenant, venta_id, *columns])]
    cur.execute(INSERT_VENTA_EVENTO, [tenant, venta_id, caller.user_id, creado_en])
    values = (venta_id, numero, cliente, vendedor, total, notas, creado_en, None, None, None)
    creada = ("CREADA", caller.user_id, caller.nombre, creado_en, None)
    return dict(zip(DOCUMENTO_KEYS, values, strict=True)) | {
        "cotizacionId": cotizacion_id,
        "items": _items(item_ids, lines),
        "eventos": [_record(EVENTO_KEYS, creada)],
    }


def _items(item_ids, lines) -> list[dict]:
    return [
        {"id": i, "descripcion": d, "cantidad": c, "precioUnitario": p, "subtotal": s}
        for i, (d, c, p, s) in zip(item_ids, lines, strict=True)
    ]


def create_venta(request):
    """POST /api/ventas: (status, body, headers)."""
    body = json.loads(request.body() or b"{}", parse_float=Decimal)
    lines = [
        _line(
            item["descripcion"].strip(),
            Decimal(item["cantidad"]).quantize(MILESIMA),
            Decimal(item["precioUnitario"]).quantize(CENTAVO),
        )
        for item in body.get("items") or []
    ]
    if not lines:
        return "400 Bad Request", {"error": "Se necesita al menos un ítem"}, []
    notas = body.get("notas")
    notas = notas.strip() or None if isinstance(notas, str) else None
    caller = request.caller
    with request.conn.transaction(), request.conn.cursor() as cur:
        cliente = None
        if (cliente_id := body.get("clienteId")) is not None:
            found = cur.execute(CLIENTE, [caller.tenant_id, cliente_id]).fetchone()
            if found is None:
                return "400 Bad Request", {"error": "El cliente no existe en la empresa"}, []
            cliente = _person(*found)
        vendedor = _person(caller.user_id, caller.nombre)
        venta = _insert_venta(request, cur, cliente, vendedor, lines, notas, None)
        request.publish(cur, "venta.creada", venta)
    return "201 Created", venta, [("Location", f"/api/ventas/{venta['id']}")]


def convertir(request):
    """POST /api/cotizaciones/{id}/convertir: (status, body, headers)."""
    tenant, caller, ident = request.caller.tenant_id, request.caller, request.ident
    with request.conn.transaction(), request.conn.cursor() as cur:
        q = cur.execute(LOCK_COTIZACION, [tenant, ident]).fetchone()
        if q is None or (caller.rol != "ADMIN" and q[4] != caller.user_id):
            return "404 Not Found", {"error": "Cotización no encontrada"}, []
        estado, valida_hasta = q[13], q[14]
        if estado != "PENDIENTE" or valida_hasta <= datetime.now(UTC):
            return "409 Conflict", {"error": CONFLICTS.get(estado, CONFLICTS["VENCIDA"])}, []
        items = cur.execute(COTIZACION_ITEMS, [tenant, ident]).fetchall()
        notas = f"Venta convertida desde cotización #{q[1]}" + (f" — {q[7]}" if q[7] else "")
        cliente, vendedor = _person(q[2], q[3]), _person(q[4], q[5])
        lines = [_line(*item[1:4]) for item in items]
        venta = _insert_venta(request, cur, cliente, vendedor, lines, notas, ident)
        convertida_en = venta["creadoEn"]
        cur.execute(CONVERT_COTIZACION, [convertida_en, venta["id"], tenant, ident])
        request.publish(cur, "venta.creada", venta)  # now that the quotation names the sale
        cur.execute(INSERT_COTIZACION_EVENTO, [tenant, ident, caller.user_id, convertida_en])
        eventos = cur.execute(COTIZACION_EVENTOS, [tenant, ident]).fetchall()
        cotizacion = _record(DOCUMENTO_KEYS, q[:13]) | {
            "estado": "CONVERTIDA",
            "vencida": False,
            "validaHasta": valida_hasta,
            "convertidaEn": convertida_en,
            "ventaId": venta["id"],
            "items": [dict(zip(ITEM_KEYS, item, strict=True)) for item in items],
            "eventos": [_record(EVENTO_KEYS, evento) for evento in eventos],
        }
        request.publish(cur, "cotizacion.convertida", cotizacion)
    body = {"venta": venta, "cotizacion": cotizacion}
    return "201 Created", body, [("Location", f"/api/ventas/{venta['id']}")]
