"""The floor's WSGI app: per request the token checked and the request counted in one
statement, the route's handler on one psycopg connection per worker, orjson answers
(bench/README.md, "What is compared")."""

import hashlib
import itertools
import json
import os
import re
import threading
import time
from typing import NamedTuple
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg
from psycopg.types.json import Jsonb, set_json_dumps, set_json_loads

from bench.floor import customers, sales

JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC  # the service's renderer options
MAX_LIMIT, DEFAULT_LIMIT = 500, 200
PRUNE_EVERY = 1000  # as tenants.api.ratelimit: expired counters deleted now and then
ID = r"([0-9]{1,18})"  # a bigint (a longer id names nothing: 404)
MAX_BIGINT = 2**63 - 1
CHALLENGE = ("WWW-Authenticate", "Token")
UNAVAILABLE = "Servicio no disponible"
NOT_JSON = "El cuerpo de la solicitud no es JSON válido"

# The token, its user and tenant, and the request counted in the user's window (the table, key
# and upsert of tenants.api.throttling and tenants.api.ratelimit).
TOKEN = """
WITH found AS (
    SELECT u.id, u.nombre, u.rol, u.tenant_id,
           u.is_active AND u.estado = 'ACTIVO' AS activo,
           t.estado = 'ACTIVA' AS empresa_activa,
           k.expira_en IS NOT NULL AND k.expira_en <= now() AS expirado
    FROM tenants_apitoken k
    JOIN tenants_user u ON u.id = k.user_id
    LEFT JOIN tenants_tenant t ON t.id = u.tenant_id
    WHERE k.digest = %s
), counted AS (
    INSERT INTO tenants_ratelimit AS c (key, bucket, hits, expires_at)
    SELECT %s::text || id, %s, 1, %s FROM found
    ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN c.bucket >= EXCLUDED.bucket THEN c.hits + 1 ELSE 1 END,
        bucket = GREATEST(c.bucket, EXCLUDED.bucket),
        expires_at = GREATEST(c.expires_at, EXCLUDED.expires_at)
    RETURNING hits
)
SELECT found.*, (SELECT hits FROM counted) FROM found
"""
PRUNE = "DELETE FROM tenants_ratelimit WHERE expires_at < %s"
PUBLISH = (
    "INSERT INTO eventos_evento (tenant_id, uid, tipo, usuario_id, datos) "
    "VALUES (%s, gen_random_uuid(), %s, %s, %s)"
)

_local = threading.local()  # one connection per worker process (and thread, with gthread)
_requests = itertools.count(1)


class Caller(NamedTuple):
    """The authenticated user, what the handlers need of them."""

    user_id: int
    nombre: str
    rol: str
    tenant_id: int


class Request(NamedTuple):
    """What a handler gets: the connection, the caller, the path's id, the query, the body."""

    conn: psycopg.Connection
    caller: Caller
    ident: int | None
    query: dict[str, str]
    environ: dict

    def body(self) -> bytes:
        """The request's body, as sent."""
        return self.environ["wsgi.input"].read(int(self.environ.get("CONTENT_LENGTH") or 0))

    def publish(self, cur, tipo: str, datos: dict) -> None:
        """The change's event in the tenant's feed, by the caller, in the change's transaction
        (as eventos.services.publish: numbered later by the sequencer)."""
        cur.execute(PUBLISH, [self.caller.tenant_id, tipo, self.caller.user_id, Jsonb(datos)])


class Refusal(Exception):
    """An answer other than the handler's own (401, 400, 404, 409 ...), raised anywhere."""

    def __init__(self, status: str, message: str, headers=(), **extra):
        super().__init__(status, message)
        self.answer = status, {"error": message, **extra}, list(headers)


def _user_rate() -> tuple[int, int]:
    """(requests, seconds) of ``API_RATE_USER``, as DRF parses a rate ("3000/min")."""
    number, period = os.environ.get("API_RATE_USER", "3000/min").split("/")
    return int(number), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


RATE = _user_rate()

# (method, path pattern) -> (handler, whether it answers a page: limite/cursor and Link)
ROUTES = [
    ("GET", re.compile(r"/api/clientes"), customers.list_clientes, True),
    ("POST", re.compile(r"/api/clientes"), customers.create, False),
    ("GET", re.compile(rf"/api/clientes/{ID}/historial"), customers.historial, False),
    ("PUT", re.compile(rf"/api/clientes/{ID}"), customers.update, False),
    ("PATCH", re.compile(rf"/api/clientes/{ID}"), customers.update, False),
    ("GET", re.compile(r"/api/ventas"), sales.list_ventas, True),
    ("POST", re.compile(r"/api/ventas"), sales.create_venta, False),
    ("GET", re.compile(r"/api/cotizaciones"), sales.list_cotizaciones, True),
    ("POST", re.compile(rf"/api/cotizaciones/{ID}/convertir"), sales.convertir, False),
]


def connect(url: str, **kwargs) -> psycopg.Connection:
    """Autocommit, UTC, orjson both ways; a statement run more than 5 times prepared (psycopg's
    default), but a search (``customers.list_clientes``), as the service's are."""
    conn = psycopg.connect(url, autocommit=True, options="-c TimeZone=UTC", **kwargs)
    set_json_loads(orjson.loads, conn)
    set_json_dumps(dumps, conn)
    return conn


def dumps(payload) -> bytes:
    """JSON as the service writes it: UTC times with ``Z``, decimals as numbers."""
    return orjson.dumps(payload, default=float, option=JSON_OPTIONS)


def _connection() -> psycopg.Connection:
    """One connection per worker, opened on its first request (after the fork), opened
    again when the last one broke."""
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed or conn.broken:
        conn = _local.conn = connect(os.environ["DATABASE_URL"])
    return conn


def authenticate(conn, environ) -> Caller:
    """The caller of ``Authorization: Token <key>``, with the request counted in their rate
    window; ``Refusal`` as the service answers (401, 403, 429)."""
    words = environ.get("HTTP_AUTHORIZATION", "").split()
    if not words or words[0].lower() != "token":
        raise Refusal("401 Unauthorized", "Se requiere autenticación", [CHALLENGE])
    if len(words) != 2:
        raise Refusal("401 Unauthorized", "Token inválido o expirado", [CHALLENGE])
    digest = hashlib.sha256(words[1].encode()).hexdigest()
    allowed, seconds = RATE
    now = time.time()
    window = int(now // seconds)
    ends_at = (window + 1) * seconds
    row = conn.execute(TOKEN, [digest, "throttle_user_", window, ends_at]).fetchone()
    if next(_requests) % PRUNE_EVERY == 0:
        conn.execute(PRUNE, [now])
    user_id, nombre, rol, tenant_id, activo, empresa_activa, expirado, hits = row or [None] * 8
    if row is None or expirado:
        raise Refusal("401 Unauthorized", "Token inválido o expirado", [CHALLENGE])
    if not activo:
        raise Refusal("401 Unauthorized", "Usuario inactivo o suspendido", [CHALLENGE])
    if tenant_id is None or not empresa_activa:
        message = "Usuario sin empresa asignada" if tenant_id is None else "Empresa suspendida"
        raise Refusal("403 Forbidden", message)
    if hits > allowed:
        retry = str(int(max(ends_at - now, 1)) + 1)
        message = "Demasiadas solicitudes; intente de nuevo más tarde"
        raise Refusal("429 Too Many Requests", message, [("Retry-After", retry)])
    return Caller(user_id, nombre, rol, tenant_id)


def application(environ, start_response):
    """The WSGI entry point."""
    try:
        status, payload, headers = _handle(environ)
    except Refusal as refusal:
        status, payload, headers = refusal.answer
    except psycopg.OperationalError:  # the database out of reach (the connection is replaced)
        status, payload, headers = "503 Service Unavailable", {"error": UNAVAILABLE}, []
    body = dumps(payload)
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers],
    )
    return [body]


def _route(method: str, path: str) -> tuple:
    """(handler, whether it answers a page, the path's id or None); 404 for anything else."""
    for route_method, pattern, handler, paged in ROUTES:
        if method == route_method and (found := pattern.fullmatch(path)):
            return handler, paged, int(found.group(1)) if found.groups() else None
    raise Refusal("404 Not Found", "Recurso no encontrado")


def _handle(environ) -> tuple:
    """(status, payload, headers) of the request."""
    if environ.get("PATH_INFO") == "/healthz":
        return "200 OK", {"status": "ok"}, []
    handler, paged, ident = _route(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""))
    conn = _connection()
    caller = authenticate(conn, environ)
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    query = {name: values[-1] for name, values in query.items()}  # as Django's QueryDict.get
    request = Request(conn, caller, ident, query, environ)
    if not paged:
        try:
            return handler(request)
        except json.JSONDecodeError:  # orjson's errors are json's too
            raise Refusal("400 Bad Request", NOT_JSON) from None
    limit, cursor = _page(query)
    status, rows, headers = handler(request, limit=limit, cursor=cursor)
    if status == "200 OK" and len(rows) > limit:  # the handler read one more: a next page
        rows = rows[:limit]
        headers = [("Link", f'<{_next_url(environ, rows[-1]["id"])}>; rel="next"')]
    return status, rows, headers


def _page(query: dict) -> tuple[int, int | None]:
    """(limit, cursor or None) of the query, as config.api.pagination reads them."""
    limit, cursor = DEFAULT_LIMIT, None
    if (raw := query.get("limite")) is not None:
        digits = raw.lstrip("0")
        if not raw.isascii() or not raw.isdigit() or not digits:
            _invalid("limite", "Debe ser un número entero mayor o igual a 1.")
        limit = MAX_LIMIT if len(digits) > 4 else min(int(digits), MAX_LIMIT)
    if (raw := query.get("cursor")) is not None:
        digits = raw.lstrip("0")
        valid = raw.isascii() and raw.isdigit() and 0 < len(digits) < 20
        if not valid or int(digits) > MAX_BIGINT:
            _invalid("cursor", f"Debe ser un número entero entre 1 y {MAX_BIGINT}.")
        cursor = int(digits)
    return limit, cursor


def _invalid(name: str, message: str):
    detalles = {name: [message]}
    raise Refusal("400 Bad Request", f"El parámetro «{name}» no es válido", detalles=detalles)


def _next_url(environ, cursor: int) -> str:
    """As DRF's ``replace_query_param`` on ``request.build_absolute_uri()``."""
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    query["cursor"] = [str(cursor)]
    host = environ.get("HTTP_HOST") or environ["SERVER_NAME"]
    return f"http://{host}{environ['PATH_INFO']}?{urlencode(sorted(query.items()), doseq=True)}"
