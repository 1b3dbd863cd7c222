"""Soak: several hundred concurrent clients of mixed reads and writes against gunicorn.

    .venv/bin/python -m bench.soak --clients 300 --seconds 60 [--database-url URL]

Starts gunicorn with the production config (``config/gunicorn.conf.py``; ``WEB_CONCURRENCY``
etc. from the environment) against ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/clientes_soak``; the database is created if missing and
migrated with ``manage.py migrate``), creates fresh tenants with one member and API token per
client, seeds customers, sales and quotations, then runs ``--clients`` asyncio clients that
share a bounded pool of keep-alive HTTP connections to 127.0.0.1 for ``--seconds``:

- reads: list, search (``busqueda``), retrieve, historial;
- writes: create (random ``documento``s, some of them deliberately colliding, in punctuation
  variants), partial update (sometimes moving a ``documento`` onto a taken one).

It stops by itself and reports the requests, the rate, the answers by status and operation,
the latencies and the errors. Then it checks the database: the customers of the soak's tenants
are exactly the seeded ones plus one per 201 answer (nothing lost, nothing doubled), no
``documento`` is stored twice in a tenant, and no 5xx happened. Exit status 1 if a check fails.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clientes_soak"

# Operation mix (weights): reads and writes of a busy shop's frontend.
MIX = {
    "list": 18,
    "search": 18,
    "retrieve": 16,
    "historial": 10,
    "create": 22,
    "update": 16,
}
EXPECTED = {
    "list": {200},
    "search": {200},
    "retrieve": {200},
    "historial": {200},
    "create": {201, 409},
    "update": {200, 409},
}
IDLE_SECONDS = 2  # pooled connections idle longer are not reused
HOT_DOCUMENTOS = 40  # per tenant: creates and updates fight over these
NOMBRES = ["José", "María", "Ángela", "Tomás", "Lucía", "Andrés", "Sofía", "Iñaki", "Zoë", "Raúl"]
APELLIDOS = ["Álvarez", "Pérez", "Gómez", "Muñoz", "Rodríguez", "Díaz", "Peña", "Castaño"]
BUSQUEDAS = ["jose", "ALVAREZ", "maría", "300", "1020", "peña", "cliente", "%", "_", "x@", "zz"]


# --- set-up ---------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=int, default=300, help="concurrent clients (300)")
    parser.add_argument("--seconds", type=float, default=60, help="duration of the load (60)")
    parser.add_argument(
        "--connections",
        type=int,
        default=None,
        help="size of the shared keep-alive connection pool (default: one per client)",
    )
    parser.add_argument("--tenants", type=int, default=3, help="tenants (3)")
    parser.add_argument("--seed-clientes", type=int, default=150, help="customers per tenant")
    parser.add_argument("--database-url", default=os.environ.get("SOAK_DATABASE_URL"))
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (a free one)")
    parser.add_argument("--timeout", type=float, default=30, help="per-request timeout (s)")
    parser.add_argument("--seed", type=int, default=None, help="random seed")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    args.database_url = args.database_url or DEFAULT_DATABASE_URL
    args.connections = args.connections or args.clients
    args.seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    """CREATE DATABASE when it does not exist (connecting to the server's ``postgres`` db)."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    params = {
        "dbname": "postgres",
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "host": cfg.get("HOST") or cfg.get("OPTIONS", {}).get("host") or None,
        "port": cfg.get("PORT") or None,
        "connect_timeout": 5,
    }
    params = {k: v for k, v in params.items() if v is not None}
    with psycopg.connect(**params, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
            print(f"created database {cfg['NAME']}")


def service_env(args) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DJANGO_EMBEDDED_DB", None)
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DJANGO_EMBEDDED_DB", None)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


@dataclass
class TenantState:
    id: int
    slug: str
    tokens: list[str]
    ids: list[int]  # customer ids the clients may read and update (grows with each 201)
    seeded: set[int]
    hot: list[str]


def seed(args, rng: random.Random) -> list[TenantState]:
    """Fresh tenants (unique slugs), one member + token per client, customers and history."""
    from django.db import transaction

    from clientes.services import cliente_create
    from cotizaciones.services import cotizacion_create
    from documentos.services import Linea
    from tenants.services import tenant_create, token_issue, user_create
    from ventas.services import venta_create

    run = uuid.uuid4().hex[:8]
    states = []
    per_tenant = -(-args.clients // args.tenants)
    for t in range(args.tenants):
        with transaction.atomic():
            tenant = tenant_create(slug=f"soak-{run}-{t}", nombre=f"Soak {run} {t}")
            tokens = []
            for u in range(per_tenant):
                user = user_create(
                    tenant=tenant,
                    email=f"soak-{run}-{t}-{u}@soak.test",
                    nombre=f"Cliente de carga {u}",
                    password=None,  # token only: no password hashing
                )
                tokens.append(token_issue(user=user)[1])
            hot = [f"{rng.randrange(10**9, 10**10)}" for _ in range(HOT_DOCUMENTOS)]
            ids = []
            for c in range(args.seed_clientes):
                documento = hot[c] if c < HOT_DOCUMENTOS // 2 else f"S{run}{t}-{c}"
                cliente = cliente_create(tenant=tenant, data=random_cliente(rng, documento))
                ids.append(cliente.id)
                if c % 5 == 0:
                    for v in range(3):
                        venta_create(
                            tenant=tenant,
                            cliente=cliente,
                            lineas=[Linea("Producto", Decimal(1 + v), Decimal("1500.50"))],
                        )
                    cotizacion_create(
                        tenant=tenant,
                        cliente=cliente,
                        lineas=[Linea("Servicio", Decimal(1), Decimal("99000.00"))],
                    )
        states.append(TenantState(tenant.id, tenant.slug, tokens, ids, set(ids), hot))
    return states


def random_cliente(rng: random.Random, documento: str | None) -> dict:
    nombre = f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.randrange(1000)}"
    data = {"nombre": nombre, "documento": documento}
    if rng.random() < 0.6:
        data["email"] = f"{uuid.uuid4().hex[:10]}@example.test"
    if rng.random() < 0.6:
        data["telefono"] = f"300 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    return data


def variant(rng: random.Random, digits: str) -> str:
    """The same document as a client might type it: dots, dashes, spaces or nothing."""
    style = rng.randrange(4)
    if style == 0:
        return digits
    if style == 1:
        return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}-{digits[7:]}"
    if style == 2:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"  {digits[:5]}-{digits[5:]} "


def start_gunicorn(args, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{args.port}"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
    log = log_path.open("wb")
    process = subprocess.Popen(
        [*command, "--config", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {log_path}")
        try:
            with socket.create_connection(("127.0.0.1", args.port), timeout=1) as sock:
                sock.sendall(
                    b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not become ready; see {log_path}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- HTTP client: a bounded pool of keep-alive connections --------------------------------------


class HttpError(Exception):
    pass


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        self.reusable = True
        self.last_used = time.monotonic()

    def close(self) -> None:
        self.writer.close()


class Pool:
    """At most ``size`` connections in use at once; idle keep-alive ones are reused."""

    def __init__(self, port: int, size: int):
        self.port = port
        self.slots = asyncio.Semaphore(size)
        self.idle: list[Connection] = []
        self.opened = 0
        self.reused = 0

    async def request(self, method: str, path: str, token: str, body: dict | None):
        async with self.slots:
            conn = self.idle.pop() if self.idle else None
            if conn is not None and time.monotonic() - conn.last_used > IDLE_SECONDS:
                conn.close()  # the server may be closing it (gunicorn keepalive is 5 s)
                conn = None
            if conn is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                conn = Connection(reader, writer)
                self.opened += 1
            else:
                self.reused += 1
            try:
                status, data = await self._exchange(conn, method, path, token, body)
            except BaseException:
                conn.close()
                raise
            if conn.reusable:
                conn.last_used = time.monotonic()
                self.idle.append(conn)
            else:
                conn.close()
            return status, data

    async def _exchange(self, conn: Connection, method, path, token, body):
        payload = json.dumps(body).encode() if body is not None else b""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            f"Authorization: Token {token}",
            "Accept: application/json",
            "Connection: keep-alive",
        ]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        conn.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        await conn.writer.drain()

        raw_head = await conn.reader.readuntil(b"\r\n\r\n")
        lines = raw_head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise HttpError(f"bad status line {lines[0]!r}")
        status = int(parts[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if headers.get("connection", "").lower() == "close" or parts[0] == "HTTP/1.0":
            conn.reusable = False
        if "content-length" in headers:
            data = await conn.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int((await conn.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await conn.reader.readexactly(size + 2)
                if size == 0:
                    break
                data += chunk[:-2]
        else:
            data = await conn.reader.read()
            conn.reusable = False
        return status, data


# --- the clients ----------------------------------------------------------------------------


@dataclass
class Stats:
    by_op_status: Counter = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    client_errors: Counter = field(default_factory=Counter)
    created: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    unexpected: list[str] = field(default_factory=list)
    messages_409: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_op_status.values()) + sum(self.client_errors.values())


def next_operation(rng: random.Random, state: TenantState) -> tuple[str, str, str, dict | None]:
    op = rng.choices(list(MIX), weights=list(MIX.values()))[0]
    if op == "list":
        return op, "GET", f"/api/clientes?limite={rng.choice([20, 50, 200])}", None
    if op == "search":
        term = rng.choice([*BUSQUEDAS, rng.choice(state.hot)[:6]])
        return op, "GET", f"/api/clientes?busqueda={quote(term)}&limite=50", None
    cliente_id = rng.choice(state.ids)
    if op == "retrieve":
        return op, "GET", f"/api/clientes/{cliente_id}", None
    if op == "historial":
        return op, "GET", f"/api/clientes/{cliente_id}/historial", None
    if op == "create":
        roll = rng.random()
        if roll < 0.15:
            documento = None
        elif roll < 0.5:
            documento = variant(rng, rng.choice(state.hot))  # may collide
        else:
            documento = f"N{uuid.uuid4().hex[:12]}"
        return op, "POST", "/api/clientes", random_cliente(rng, documento)
    body = {}
    for name in rng.sample(["email", "telefono", "direccion", "notas", "nombre"], k=2):
        body[name] = {
            "email": f"{uuid.uuid4().hex[:8]}@example.test",
            "telefono": f"301 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            "direccion": f"Calle {rng.randrange(1, 200)} # {rng.randrange(1, 99)}-10",
            "notas": f"actualizado {time.time():.3f}",
            "nombre": f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)}",
        }[name]
    if rng.random() < 0.25:
        body["documento"] = variant(rng, rng.choice(state.hot))  # often taken: 409
    return op, rng.choice(["PUT", "PATCH"]), f"/api/clientes/{cliente_id}", body


async def client(
    n: int, args, pool: Pool, states: list[TenantState], stats: Stats, deadline: float
):
    rng = random.Random(args.seed * 1_000_003 + n)
    state = states[n % len(states)]
    token = state.tokens[(n // len(states)) % len(state.tokens)]
    loop = asyncio.get_running_loop()
    await asyncio.sleep(rng.random() * 0.5)  # ramp up over half a second
    while loop.time() < deadline:
        op, method, path, body = next_operation(rng, state)
        started = time.perf_counter()
        try:
            status, data = await asyncio.wait_for(
                pool.request(method, path, token, body), timeout=args.timeout
            )
        except (TimeoutError, OSError, asyncio.IncompleteReadError, HttpError) as exc:
            stats.client_errors[f"{op}: {type(exc).__name__}"] += 1
            continue
        stats.latencies[op].append(time.perf_counter() - started)
        stats.by_op_status[(op, status)] += 1
        if status not in EXPECTED[op]:
            if len(stats.unexpected) < 20:
                stats.unexpected.append(f"{method} {path} -> {status} {data[:200]!r}")
            continue
        if status == 409:
            stats.messages_409[(op, json.loads(data).get("error"))] += 1
        if op == "create" and status == 201:
            created = json.loads(data)["id"]
            stats.created[state.id].add(created)
            state.ids.append(created)


async def run_load(args, states: list[TenantState]) -> tuple[Stats, float, Pool]:
    stats = Stats()
    pool = Pool(args.port, args.connections)
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + args.seconds
    tasks = [
        asyncio.create_task(client(n, args, pool, states, stats, deadline))
        for n in range(args.clients)
    ]
    await asyncio.gather(*tasks)
    elapsed = loop.time() - started
    for conn in pool.idle:
        conn.close()
    return stats, elapsed, pool


# --- checks and report ----------------------------------------------------------------------


def database_checks(states: list[TenantState], stats: Stats) -> dict:
    """Customers of the soak's tenants == seeded + one per 201; no documento stored twice."""
    from django.db import connection

    from clientes.models import Cliente

    result = {"tenants": []}
    for state in states:
        stored = set(Cliente.objects.for_tenant(state.id).values_list("id", flat=True))
        new = stored - state.seeded
        answered = stats.created[state.id]
        result["tenants"].append(
            {
                "slug": state.slug,
                "seeded": len(state.seeded),
                "created_201": len(answered),
                "new_rows": len(new),
                "lost": sorted(answered - stored)[:10],  # 201 answered, row missing
                "unanswered_rows": sorted(new - answered)[:10],  # row without a 201
                "seeded_missing": len(state.seeded - stored),
            }
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM clientes_cliente WHERE tenant_id = ANY(%s) "
            "AND documento_canonico IS NOT NULL GROUP BY tenant_id, documento_canonico "
            "HAVING count(*) > 1) AS dup",
            [[s.id for s in states]],
        )
        result["duplicate_documentos"] = cursor.fetchone()[0]
    return result


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(args, stats: Stats, elapsed: float, pool: Pool, checks: dict, log_path: Path) -> bool:
    statuses = Counter()
    for (_, status), count in stats.by_op_status.items():
        statuses[status] += count
    server_errors = sum(c for s, c in statuses.items() if s >= 500)
    unexpected = sum(c for (op, s), c in stats.by_op_status.items() if s not in EXPECTED[op]) + sum(
        stats.client_errors.values()
    )
    log = log_path.read_text(errors="replace")
    log_problems = {
        "tracebacks": log.count("Traceback"),
        "worker_timeouts": log.count("WORKER TIMEOUT"),
        "errors_logged": log.count(" ERROR "),
    }

    print()
    print(
        f"soak: {args.clients} clients, pool of {args.connections} connections, "
        f"{elapsed:.1f} s, {args.tenants} tenants, seed {args.seed}"
    )
    print(
        f"requests: {stats.total}   rate: {stats.total / elapsed:.1f} req/s   "
        f"connections opened: {pool.opened}, reused: {pool.reused}"
    )
    print("answers by status: " + ", ".join(f"{s}: {c}" for s, c in sorted(statuses.items())))
    if stats.client_errors:
        print(
            "client-side errors: " + ", ".join(f"{k}: {v}" for k, v in stats.client_errors.items())
        )
    print(
        f"{'operation':<10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8}  statuses"
    )
    for op in MIX:
        lat = stats.latencies.get(op, [])
        per_status = {s: c for (o, s), c in sorted(stats.by_op_status.items()) if o == op}
        print(
            f"{op:<10} {len(lat):>7} {percentile(lat, 50) * 1000:>8.1f} "
            f"{percentile(lat, 95) * 1000:>8.1f} {percentile(lat, 99) * 1000:>8.1f} "
            f"{(max(lat) if lat else 0) * 1000:>8.1f}  {per_status}"
        )
    for (op, message), count in sorted(stats.messages_409.items()):
        print(f"409 on {op}: {count} x {message!r}")
    for line in stats.unexpected:
        print(f"UNEXPECTED: {line}")
    print(f"server log ({log_path}): {log_problems}")

    ok = True
    for t in checks["tenants"]:
        consistent = (
            not t["lost"]
            and not t["unanswered_rows"]
            and not t["seeded_missing"]
            and t["new_rows"] == t["created_201"]
        )
        ok &= consistent
        print(
            f"check {t['slug']}: {t['seeded']} seeded + {t['created_201']} answered 201 -> "
            f"{t['new_rows']} new rows: {'OK' if consistent else 'MISMATCH'}"
            + ("" if consistent else f" lost={t['lost']} unanswered={t['unanswered_rows']}")
        )
    dup_ok = checks["duplicate_documentos"] == 0
    print(
        f"check duplicate documentos in a tenant: {checks['duplicate_documentos']} "
        f"{'OK' if dup_ok else 'FAIL'}"
    )
    print(f"check no 5xx: {server_errors} {'OK' if server_errors == 0 else 'FAIL'}")
    print(
        f"check no unexpected answers or client errors: {unexpected} "
        f"{'OK' if unexpected == 0 else 'FAIL'}"
    )
    ok = ok and dup_ok and server_errors == 0 and unexpected == 0
    print("RESULT:", "PASS" if ok else "FAIL")

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "clients": args.clients,
                    "connections": args.connections,
                    "seconds": elapsed,
                    "requests": stats.total,
                    "requests_per_second": stats.total / elapsed,
                    "statuses": {str(s): c for s, c in sorted(statuses.items())},
                    "client_errors": dict(stats.client_errors),
                    "latency_ms": {
                        op: {
                            "p50": percentile(v, 50) * 1000,
                            "p95": percentile(v, 95) * 1000,
                            "p99": percentile(v, 99) * 1000,
                            "max": max(v) * 1000,
                        }
                        for op, v in stats.latencies.items()
                        if v
                    },
                    "checks": checks,
                    "server_log": log_problems,
                    "pass": ok,
                },
                indent=2,
                default=str,
            )
        )
    return ok


def main(argv=None) -> int:
    args = parse_args(argv)
    args.port = args.port or free_port()
    rng = random.Random(args.seed)
    env = service_env(args)

    ensure_database(args.database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    setup_django(env)
    t0 = time.monotonic()
    states = seed(args, rng)
    print(
        f"seeded {args.tenants} tenants, {sum(len(s.tokens) for s in states)} users/tokens, "
        f"{sum(len(s.ids) for s in states)} customers in {time.monotonic() - t0:.1f} s"
    )

    log_path = Path(tempfile.gettempdir()) / f"soak-gunicorn-{os.getpid()}.log"
    process = start_gunicorn(args, env, log_path)
    try:
        print(f"gunicorn pid {process.pid} on 127.0.0.1:{args.port}; load for {args.seconds:g} s")
        stats, elapsed, pool = asyncio.run(run_load(args, states))
    finally:
        stop_gunicorn(process)

    checks = database_checks(states, stats)
    return 0 if report(args, stats, elapsed, pool, checks, log_path) else 1


if __name__ == "__main__":
    sys.exit(main())
