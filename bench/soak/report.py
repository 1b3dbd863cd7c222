"""What the soak checks once the load is over (the database against the answers, and the
answers themselves: no 5xx, nothing the operation does not allow) and what it prints, the same
as JSON with ``--json``."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.soak.load import MIX, Pool, Stats
from bench.soak.seed import TenantState


def database_checks(states: list[TenantState], stats: Stats) -> dict:
    """Customers of the soak's tenants == seeded + one per 201; no documento stored twice."""
    from django.db import connection

    from clientes.models import Cliente

    result = {"tenants": []}
    for state in states:
        stored = set(Cliente.objects.for_tenant(state.id).values_list("id", flat=True))
        new, answered = stored - state.seeded, stats.created[state.id]
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


def verdict(checks: dict, stats: Stats) -> tuple[list[str], bool]:
    """(one line per check, whether all passed)."""
    lines, ok = [], True
    for t in checks["tenants"]:
        lost, unanswered = t["lost"], t["unanswered_rows"]
        consistent = not (lost or unanswered or t["seeded_missing"])
        consistent &= t["new_rows"] == t["created_201"]
        ok &= consistent
        lines.append(
            f"check {t['slug']}: {t['seeded']} seeded + {t['created_201']} answered 201 -> "
            f"{t['new_rows']} new rows: {'OK' if consistent else 'MISMATCH'}"
            + ("" if consistent else f" lost={lost} unanswered={unanswered}")
        )
    counts = {
        "duplicate documentos in a tenant": checks["duplicate_documentos"],
        "no 5xx": sum(c for s, c in stats.statuses().items() if s >= 500),
        "no unexpected answers or client errors": stats.unexpected_count(),
    }
    lines += [f"check {name}: {n} {'OK' if n == 0 else 'FAIL'}" for name, n in counts.items()]
    return lines, ok and not any(counts.values())


def percentile(values: list[float], q: int) -> float:
    """The ``q``-th percentile (1..99) of ``values``; 0 when there are none."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def server_log_problems(log: str) -> dict:
    """Counts of what should never be in gunicorn's log after a clean run."""
    return {
        "tracebacks": log.count("Traceback"),
        "worker_timeouts": log.count("WORKER TIMEOUT"),
        "errors_logged": log.count(" ERROR "),
    }


def print_traffic(args, stats: Stats, elapsed: float, pool: Pool) -> None:
    """Requests, rate, statuses and latencies by operation, 409 messages, unexpected answers."""
    print(
        f"\nsoak: {args.clients} clients, pool of {args.connections} connections, "
        f"{elapsed:.1f} s, {args.tenants} tenants, seed {args.seed}"
    )
    print(
        f"requests: {stats.total}   rate: {stats.total / elapsed:.1f} req/s   "
        f"connections opened: {pool.opened}, reused: {pool.reused}"
    )
    statuses = sorted(stats.statuses().items())
    print("answers by status: " + ", ".join(f"{s}: {c}" for s, c in statuses))
    if stats.client_errors:
        errors = stats.client_errors.items()
        print("client-side errors: " + ", ".join(f"{k}: {v}" for k, v in errors))
    titles = ("count", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print(
        f"{'operation':<10} {titles[0]:>7} " + " ".join(f"{t:>8}" for t in titles[1:]), " statuses"
    )
    for op in MIX:
        lat = stats.latencies.get(op, [])
        per_status = {s: c for (o, s), c in sorted(stats.by_op_status.items()) if o == op}
        ms = [percentile(lat, q) * 1000 for q in (50, 95, 99)] + [max(lat, default=0) * 1000]
        print(f"{op:<10} {len(lat):>7} " + " ".join(f"{v:>8.1f}" for v in ms) + f"  {per_status}")
    for (op, message), count in sorted(stats.messages_409.items()):
        print(f"409 on {op}: {count} x {message!r}")
    for line in stats.unexpected:
        print(f"UNEXPECTED: {line}")


def write_json(path: Path, args, stats: Stats, elapsed: float, checks: dict, log_problems, ok):
    """The figures, the checks and the verdict as one JSON document."""
    latency_ms = {
        op: {f"p{q}": percentile(v, q) * 1000 for q in (50, 95, 99)} | {"max": max(v) * 1000}
        for op, v in stats.latencies.items()
        if v
    }
    document = {
        "clients": args.clients,
        "connections": args.connections,
        "seconds": elapsed,
        "requests": stats.total,
        "requests_per_second": stats.total / elapsed,
        "statuses": {str(s): c for s, c in sorted(stats.statuses().items())},
        "client_errors": dict(stats.client_errors),
        "latency_ms": latency_ms,
        "checks": checks,
        "server_log": log_problems,
        "pass": ok,
    }
    path.write_text(json.dumps(document, indent=2, default=str))
