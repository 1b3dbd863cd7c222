"""The load: rounds of wrk runs against a, b and c, and what the workers hold afterwards."""

import math
import os
import time

from bench import loadgen
from bench.log import log
from bench.servers import CITUS


def run_rounds(run, servers, scenarios, latency, monitor, citus=None):
    """(wrk's figures of every run, customers deleted after them): per round, per scenario,
    a/b/c in an order that rotates, each write run undone before the next; with ``--citus``
    the service on the cluster joins the rotation of its scenarios."""
    cores = os.cpu_count() or 1
    runs, created = [], 0
    everyone = [*servers.values(), *([citus.server] if citus else [])]
    monitors = [monitor, *([citus.monitor] if citus else [])]
    for round_no in range(1, run.rounds + 1):
        for index, scenario in enumerate(scenarios):
            keys = [*servers, *([CITUS] if citus and scenario.name in citus.scenarios else [])]
            shift = (round_no - 1 + index) % len(keys)
            for key in keys[shift:] + keys[:shift]:
                server, target, conn = servers.get(key), scenario, monitor
                if key == CITUS:
                    server, target, conn = (
                        citus.server,
                        citus.scenarios[scenario.name],
                        citus.monitor,
                    )
                settle(everyone, *monitors)
                # A server whose single request is slow runs long enough for about min_requests.
                slow = math.ceil(run.scale.min_requests * latency[(scenario.name, key)] / cores)
                duration = max(run.duration, min(run.scale.max_duration, slow))
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
                if target.undo:
                    settle(everyone, *monitors)  # requests wrk gave up on finish first
                    created += target.undo(conn)
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
