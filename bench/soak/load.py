"""The soak's clients: each picks operations from the mix, sends them through the shared pool
until the deadline, and records statuses, latencies and the customers its 201s created."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from bench.soak.pool import HttpError, Pool
from bench.soak.seed import APELLIDOS, NOMBRES, TenantState, random_cliente, variant

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
BUSQUEDAS = ["jose", "ALVAREZ", "maría", "300", "1020", "peña", "cliente", "%", "_", "x@", "zz"]


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
        wrong = sum(c for (op, s), c in self.by_op_status.items() if s not in EXPECTED[op])
        return wrong + sum(self.client_errors.values())


def next_operation(rng: random.Random, state: TenantState) -> tuple[str, str, str, dict | None]:
    """(operation, method, path, body) drawn from the mix, on the tenant's customers."""
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


async def run_load(args, port: int, states: list[TenantState]) -> tuple[Stats, float, Pool]:
    """``args.clients`` clients for ``args.seconds``: (stats, seconds taken, the pool)."""
    stats = Stats()
    pool = Pool(port, args.connections)
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + args.seconds
    tasks = [
        asyncio.create_task(client(n, args, pool, states, stats, deadline))
        for n in range(args.clients)
    ]
    await asyncio.gather(*tasks)
    elapsed = loop.time() - started
    pool.close()
    return stats, elapsed, pool
