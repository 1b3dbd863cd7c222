"""What the soak prints (traffic, latencies by operation, the server log's problems, the
checks) and the same as JSON with ``--json``."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.soak.load import MIX, Stats
from bench.soak.pool import Pool


def percentile(values: list[float], q: int) -> float:
    """The ``q``-th percentile (1..99) of ``values``; 0 when there are none."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
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
    print()
    print(
        f"soak: {args.clients} clients, pool of {args.connections} connections, "
        f"{elapsed:.1f} s, {args.tenants} tenants, seed {args.seed}"
    )
    print(
        f"requests: {stats.total}   rate: {stats.total / elapsed:.1f} req/s   "
        f"connections opened: {pool.opened}, reused: {pool.reused}"
    )
    statuses = stats.statuses()
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


def write_json(path: Path, args, stats: Stats, elapsed: float, checks: dict, log_problems, ok):
    """The figures, the checks and the verdict as one JSON document."""
    latency_ms = {
        op: {
            "p50": percentile(v, 50) * 1000,
            "p95": percentile(v, 95) * 1000,
            "p99": percentile(v, 99) * 1000,
            "max": max(v) * 1000,
        }
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
