"""The soak's clients: each picks operations from the mix, sends them through a bounded pool
of keep-alive HTTP/1.1 connections until the deadline, and records statuses, latencies and the
customers its 201s created. The pool is a few lines on asyncio streams, so several hundred
clients fit in one process and its size, not a library's defaults, sets how many connections
the server sees."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from bench.soak.seed import APELLIDOS, NOMBRES, TenantState, random_cliente, variant

# Operation mix (weight, statuses it may answer): reads and writes of a busy shop's frontend.
MIX = {
    "list": (18, {200}),
    "search": (18, {200}),
    "retrieve": (16, {200}),
    "historial": (10, {200}),
    "create": (22, {201, 409}),
    "update": (16, {200, 409}),
}
BUSQUEDAS = ["jose", "ALVAREZ", "maría", "300", "1020", "peña", "cliente", "%", "_", "x@", "zz"]
IDLE_SECONDS = 2  # pooled connections idle longer are not reused (gunicorn's keepalive is 5 s)


class HttpError(Exception):
    """An answer the pool cannot parse."""


@dataclass
class Stats:
    """What the clients saw, shared by all of them (one event loop: no locks)."""

    by_op_status: Counter = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    client_errors: Counter = field(default_factory=Counter)
    created: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    unexpected: list[str] = field(default_factory=list)
    messages_409: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_op_status.values()) + sum(self.client_errors.values())

    def statuses(self) -> Counter:
        """Answers by status, all operations together."""
        statuses = Counter()
        for (_, status), count in self.by_op_status.items():
            statuses[status] += count
        return statuses

    def unexpected_count(self) -> int:
        """Answers with a status their operation does not allow, plus client-side errors."""
        wrong = sum(c for (op, s), c in self.by_op_status.items() if s not in MIX[op][1])
        return wrong + sum(self.client_errors.values())


class Pool:
    """At most ``size`` connections in use at once; idle keep-alive ones are reused."""

    def __init__(self, port: int, size: int):
        self.port = port
        self.slots = asyncio.Semaphore(size)
        self.idle: list[tuple] = []  # (reader, writer, last used)
        self.opened = self.reused = 0

    async def request(self, method: str, path: str, token: str, body: dict | None):
        """(status, body bytes) of one request, on a pooled connection or a new one."""
        async with self.slots:
            conn = self.idle.pop() if self.idle else None
            if conn is not None and time.monotonic() - conn[2] > IDLE_SECONDS:
                conn[1].close()  # the server may be closing it
                conn = None
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", self.port)
                self.opened += 1
            else:
                self.reused += 1
            reader, writer = conn[:2]
            try:
                status, data, reusable = await self._exchange(
                    reader, writer, method, path, token, body
                )
            except BaseException:
                writer.close()
                raise
            if reusable:
                self.idle.append((reader, writer, time.monotonic()))
            else:
                writer.close()
            return status, data

    def close(self) -> None:
        """Closes the idle connections (those in use close with their request)."""
        for _, writer, _ in self.idle:
            writer.close()

    async def _exchange(self, reader, writer, method, path, token, body):
        """(status, body, whether the connection may carry another request)."""
        payload = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        head += [f"Authorization: Token {token}", "Accept: application/json"]
        head += ["Connection: keep-alive"]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        await writer.drain()
        lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        version, status, *_ = [*lines[0].split(" ", 2), ""]
        if not status.isdigit():
            raise HttpError(f"bad status line {lines[0]!r}")
        headers = dict(
            (n.strip().lower(), v.strip()) for n, _, v in (h.partition(":") for h in lines[1:])
        )
        reusable = headers.get("connection", "").lower() != "close" and version != "HTTP/1.0"
        if "content-length" in headers:
            return int(status), await reader.readexactly(int(headers["content-length"])), reusable
        if headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                data += (await reader.readexactly(size + 2))[:-2]
            await reader.readexactly(2)
            return int(status), data, reusable
        return int(status), await reader.read(), False  # the body ends where the server closes


def next_operation(rng: random.Random, state: TenantState) -> tuple[str, str, str, dict | None]:
    """(operation, method, path, body) drawn from the mix, on the tenant's customers."""
    op = rng.choices(list(MIX), weights=[weight for weight, _ in MIX.values()])[0]
    if op == "list":
        return op, "GET", f"/api/clientes?limite={rng.choice([20, 50, 200])}", None
    if op == "search":
        term = rng.choice([*BUSQUEDAS, rng.choice(state.hot)[:6]])
        return op, "GET", f"/api/clientes?busqueda={quote(term)}&limite=50", None
    cliente_id = rng.choice(state.ids)
    if op in ("retrieve", "historial"):
        suffix = "/historial" if op == "historial" else ""
        return op, "GET", f"/api/clientes/{cliente_id}{suffix}", None
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


async def client(n: int, args, pool: Pool, states: list[TenantState], stats: Stats, deadline):
    """Client ``n``: its own seeded random stream, one tenant and one member's token."""
    rng = random.Random(args.seed * 1_000_003 + n)
    state = states[n % len(states)]
    token = state.tokens[(n // len(states)) % len(state.tokens)]
    loop = asyncio.get_running_loop()
    await asyncio.sleep(rng.random() * 0.5)  # ramp up over half a second
    while loop.time() < deadline:
        op, method, path, body = next_operation(rng, state)
        started = time.perf_counter()
        try:
            request = pool.request(method, path, token, body)
            status, data = await asyncio.wait_for(request, timeout=args.timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, HttpError) as exc:
            stats.client_errors[f"{op}: {type(exc).__name__}"] += 1
            continue
        stats.latencies[op].append(time.perf_counter() - started)
        stats.by_op_status[(op, status)] += 1
        if status not in MIX[op][1]:
            if len(stats.unexpected) < 20:
                stats.unexpected.append(f"{method} {path} -> {status} {data[:200]!r}")
        elif status == 409:
            stats.messages_409[(op, json.loads(data).get("error"))] += 1
        elif op == "create" and status == 201:
            created = json.loads(data)["id"]
            stats.created[state.id].add(created)
            state.ids.append(created)


async def run_load(args, port: int, states: list[TenantState]) -> tuple[Stats, float, Pool]:
    """``args.clients`` clients for ``args.seconds``: (stats, seconds taken, the pool)."""
    stats, pool = Stats(), Pool(port, args.connections)
    loop = asyncio.get_running_loop()
    started = loop.time()
    clients = (
        client(n, args, pool, states, stats, started + args.seconds) for n in range(args.clients)
    )
    await asyncio.gather(*clients)
    pool.close()
    return stats, loop.time() - started, pool
