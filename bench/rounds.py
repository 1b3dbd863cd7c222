"""The load: rounds of wrk runs against a, b and c, and what the workers hold afterwards."""

import math
import os
import time

from bench import loadgen
from bench.report import log
from bench.servers import CITUS


def durations(run, latency: dict) -> dict:
    """Seconds of each (scenario, server) run: the scale's, longer for a server whose single
    request is slow (enough for about ``min_requests``), at most ``max_duration``."""
    scale = run.scale
    cores = os.cpu_count() or 1
    return {
        key: max(run.duration, min(scale.max_duration, math.ceil(scale.min_requests * s / cores)))
        for key, s in latency.items()
    }


def run_rounds(run, servers, scenarios, latency, monitor, dataset, citus=None):
    """(wrk's figures of every run, customers created): per round, per scenario, a/b/c in an
    order that rotates, so drift hits the three alike; each write run undone before the next.

    ``citus`` (``bench.cluster.CitusSide``, ``--citus``): the service on the cluster joins the
    rotation of the scenarios it runs, with its own scenario, database and undoing."""
    from bench import scenarios as sc

    seconds = durations(run, latency)
    runs, created = [], 0
    order = list(servers)
    everyone = [*servers.values(), *([citus.server] if citus else [])]
    monitors = [monitor, *([citus.monitor] if citus else [])]
    for round_no in range(1, run.rounds + 1):
        for index, scenario in enumerate(scenarios):
            keys = order + ([CITUS] if citus and scenario.name in citus.scenarios else [])
            shift = (round_no - 1 + index) % len(keys)
            for key in keys[shift:] + keys[:shift]:
                server, target, conn, data = servers.get(key), scenario, monitor, dataset
                if key == CITUS:
                    server, conn, data = citus.server, citus.monitor, citus.dataset
                    target = citus.scenarios[scenario.name]
                settle(everyone, *monitors)
                duration = seconds[(scenario.name, key)]
                stats = loadgen.run(
                    target,
                    server.url,
                    duration=duration,
                    connections=run.connections,
                    threads=run.threads,
                    timeout=max(30, 3 * duration),
                    script_dir=run.run_dir,
                )
                stats.update(scenario=scenario.name, server=key, round=round_no)
                runs.append(stats)
                if scenario.method != "GET":  # requests wrk gave up on finish first
                    settle(everyone, *monitors)
                created += sc.after_run(target, conn, data)
                log(
                    f"[round {round_no}/{run.rounds}] {scenario.name:<14} {key} {server.name:<8}"
                    f"{stats['rps']:>9.1f} req/s  p50 {stats['p50_us'] / 1000:>8.1f} ms  "
                    f"p99 {stats['p99_us'] / 1000:>8.1f} ms  {duration}s"
                    + (f"  errors {stats['errors']}" if stats["errors"] else "")
                )
    return runs, created


def settle(servers, *conns, timeout: float = 180) -> None:
    """Waits until no server works on a request wrk gave up on and the databases (one per
    connection in ``conns``) are idle."""
    deadline = time.monotonic() + timeout
    before = sum(s.busy_cpu() for s in servers)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        active = sum(
            conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND pid <> pg_backend_pid()"
            ).fetchone()[0]
            for conn in conns
        )
        now = sum(s.busy_cpu() for s in servers)
        if active == 0 and now - before < 0.03:
            return
        before = now


def memory(server) -> dict:
    """The workers' memory after the run (RSS and USS) and the peak RSS sampled during it."""
    workers = server.worker_memory()
    return {
        "workers": workers,
        "after_max_mb": max((m["rss"] for m in workers), default=0) / 2**20,
        "after_max_uss_mb": max((m["uss"] for m in workers), default=0) / 2**20,
        "peak_mb": server.peak_rss / 2**20,
    }
