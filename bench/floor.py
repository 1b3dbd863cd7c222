"""The floor (c): a bare WSGI app that runs the service's own SQL and writes the bytes.

No framework: per request it reads the route, replays the statements the service (a) ran for
that scenario (captured by bench/capture.py into the JSON file named by ``BENCH_FLOOR_PLAN``)
with psycopg's client-side binding, as Django does, on one connection per worker process, and
serializes with orjson the same JSON (a) answers. What is left between (a) and (c) is the cost
of Django, DRF and the service's own Python.

Served by gunicorn with the service's config file: ``gunicorn --config config/gunicorn.conf.py
bench.floor:application``.
"""

import functools
import hashlib
import os
import re
import threading
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg

from bench import floor_sales

CLIENTE_FIELDS = ("id", "nombre", "documento", "email", "telefono", "direccion", "notas")
OPTIONAL_FIELDS = ("documento", "email", "telefono", "direccion", "notas")
JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC
UPDATE_PATH = re.compile(r"^/api/clientes/([0-9]+)$")

_plan = None
_local = threading.local()  # one connection per worker process (and thread, with gthread)


def _default(obj):
    if isinstance(obj, Decimal):
        return float(obj)
    raise TypeError


def _load_plan():
    global _plan
    if _plan is None:
        with open(os.environ["BENCH_FLOOR_PLAN"], "rb") as f:
            plan = orjson.loads(f.read())
        exact, writes, sales = {}, {}, {}
        for route in plan["routes"]:
            for query in route["queries"]:
                query["params"] = [_decode(p) for p in query["params"]]
            # Scenarios with the same URL differ by token (tenant): the route is bound to it.
            if route["method"] == "GET":
                exact[(route["path"], route["query"], route["digest"])] = route
            elif route["kind"] in floor_sales.KINDS:
                sales[(route["kind"], route["digest"])] = route
            else:
                writes[(route["method"], route["digest"])] = route
        _plan = (exact, writes, sales)
    return _plan


def _decode(param):
    if "v" in param:
        return ("v", param["v"])
    if "decimal" in param:
        return ("v", Decimal(param["decimal"]))
    if "datetime" in param:
        return ("v", datetime.fromisoformat(param["datetime"]))
    if "date" in param:
        return ("v", date.fromisoformat(param["date"]))
    if "body" in param:
        return ("body", param["body"])
    if "path_id" in param:
        return ("path_id", None)
    return ("auth_digest", None)


def _connection() -> psycopg.Connection:
    """One connection per worker, opened on its first request (after the fork)."""
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed or conn.broken:
        conn = _local.conn = psycopg.connect(
            os.environ["DATABASE_URL"],
            autocommit=True,
            cursor_factory=psycopg.ClientCursor,
            options="-c TimeZone=UTC",
        )
    return conn


def _respond(start_response, status: str, payload, headers=()):
    body = orjson.dumps(payload, default=_default, option=JSON_OPTIONS)
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers],
    )
    return [body]


def _run(conn, route, *, digest: str, body: dict, path_id: int | None) -> list:
    """Runs the route's statements in order; returns, per statement, (column names, rows)."""
    results = []
    with conn.cursor() as cur:
        for query in route["queries"]:
            params = []
            for kind, value in query["params"]:
                if kind == "v":
                    params.append(value)
                elif kind == "body":
                    params.append(body.get(value))
                elif kind == "path_id":
                    params.append(path_id)
                else:
                    params.append(digest)
            cur.execute(query["sql"], params)
            if cur.description is None:
                results.append(((), []))
            else:
                results.append(([c.name for c in cur.description], cur.fetchall()))
    return results


def _rows(columns, rows) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _result_with(results, column: str) -> list[dict]:
    """Rows of the first statement (after the token's) that returned ``column``."""
    for columns, rows in results[1:]:
        if column in columns:
            return _rows(columns, rows)
    return []


def _cliente(row: dict) -> dict:
    out = {name: row[name] for name in CLIENTE_FIELDS}
    out["creadoEn"] = row.get("creado_en", row.get("creadoEn"))
    return out


def _clean_body(raw: bytes) -> dict:
    data = orjson.loads(raw or b"{}")
    clean = {}
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
            if value == "" and name in OPTIONAL_FIELDS:
                value = None
        clean[name] = value
    return clean


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    method = environ["REQUEST_METHOD"]
    if path == "/healthz":
        return _respond(start_response, "200 OK", {"status": "ok"})
    exact, writes, sales = _load_plan()
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if not auth.startswith("Token "):
        return _respond(start_response, "401 Unauthorized", {"error": "Se requiere autenticación"})
    digest = hashlib.sha256(auth[6:].strip().encode()).hexdigest()
    query_string = environ.get("QUERY_STRING", "")
    path_id = None
    if sale := floor_sales.match(method, path):
        if (route := sales.get((sale[0], digest))) is None:
            return _respond(start_response, "404 Not Found", {"error": "Recurso no encontrado"})
        conn = _connection()
        prefix = functools.partial(_run, conn, route, digest=digest, body={}, path_id=None)
        return _respond(start_response, *floor_sales.handle(conn, route, environ, sale[1], prefix))
    if method == "GET":
        route = exact.get((path, query_string, digest))
    elif method == "POST" and path == "/api/clientes":
        route = writes.get(("POST", digest))
    elif method in ("PUT", "PATCH") and (match := UPDATE_PATH.match(path)):
        route = writes.get(("PUT", digest))
        path_id = int(match.group(1))
    else:
        route = None
    if route is None:
        return _respond(start_response, "404 Not Found", {"error": "Recurso no encontrado"})
    body = {}
    if method != "GET":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = _clean_body(environ["wsgi.input"].read(length))

    conn = _connection()
    if route["kind"] in ("create", "update"):
        with conn.transaction():
            results = _run(conn, route, digest=digest, body=body, path_id=path_id)
    else:
        results = _run(conn, route, digest=digest, body=body, path_id=path_id)
    if not results[0][1]:  # the token query found nothing
        return _respond(start_response, "401 Unauthorized", {"error": "Token inválido o expirado"})

    kind = route["kind"]
    if kind == "list":
        limit = _limit(query_string)
        columns, raw = results[-1]  # the sales' rows come built by PostgreSQL (one JSON each)
        rows = [r[0] for r in raw] if len(columns) == 1 else _rows(columns, raw)
        headers = []
        if len(rows) > limit:
            rows = rows[:limit]
            headers.append(("Link", f'<{_next_url(environ, rows[-1]["id"])}>; rel="next"'))
        return _respond(start_response, "200 OK", rows, headers)
    if kind == "historial":
        clientes = _result_with(results, "documento")
        if not clientes:
            return _respond(start_response, "404 Not Found", {"error": "Cliente no encontrado"})
        cliente = clientes[0]
        ventas_resumen = cliente["ventas_resumen"] or {"cuantas": 0, "total": None}
        payload = {
            **_cliente(cliente),
            "ventas": _result_with(results, "canceladaEn"),
            "cotizaciones": _result_with(results, "validaHasta"),
            "_count": {
                "ventas": ventas_resumen["cuantas"],
                "cotizaciones": cliente["cotizaciones_count"],
            },
            "resumen": {
                "totalComprado": ventas_resumen["total"] or 0,
                "ultimaCompra": cliente["ultima_compra"],
            },
        }
        return _respond(start_response, "200 OK", payload)
    if kind == "create":
        columns, rows = next(r for r in reversed(results) if r[1])
        returned = dict(zip(columns, rows[0], strict=True))
        payload = {name: body.get(name) for name in CLIENTE_FIELDS}
        payload["id"] = returned["id"]
        payload["creadoEn"] = returned["creado_en"]
        return _respond(start_response, "201 Created", payload)
    # update: the customer as read, with the changed fields
    clientes = _result_with(results, "documento")
    if not clientes:
        return _respond(start_response, "404 Not Found", {"error": "Cliente no encontrado"})
    payload = _cliente(clientes[0])
    payload.update({k: v for k, v in body.items() if k in CLIENTE_FIELDS and k != "id"})
    return _respond(start_response, "200 OK", payload)


def _limit(query_string: str) -> int:
    raw = parse_qs(query_string).get("limite", ["200"])[0]
    return min(int(raw), 500)


def _next_url(environ, cursor: int) -> str:
    """As DRF's ``replace_query_param`` on ``request.build_absolute_uri()``."""
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    query["cursor"] = [str(cursor)]
    host = environ.get("HTTP_HOST") or environ["SERVER_NAME"]
    return f"http://{host}{environ['PATH_INFO']}?{urlencode(sorted(query.items()), doseq=True)}"
