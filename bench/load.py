"""The load: rounds of wrk runs (one process per run, the scenario's Lua script, its figures
as one JSON line) against a, b and c, the databases and workers idle between runs."""

import json
import math
import os
import shutil
import subprocess
import time

from bench import log
from bench.servers import CITUS

WRK_MISSING = (
    "wrk is not installed. It is the load generator of this benchmark: install Debian's "
    "package with `sudo apt-get install -y wrk` (or put a wrk 4.x binary on PATH) and run again."
)
HEADERS = """
wrk.headers["Authorization"] = "Token {token}"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
"""
THREAD_IDS = """
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end
local counter = 0
function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
end
"""
DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
"""
IDLE = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND state = 'active' AND pid <> pg_backend_pid()"
)


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def lua_script(scenario, threads: int) -> str:
    """The token header, the scenario's request() (writes) and the summary line."""
    script = HEADERS.format(token=scenario.token)
    if scenario.lua:
        return script + THREAD_IDS + scenario.lua(threads) + DONE
    return script + f'wrk.method = "{scenario.method}"\n' + DONE


def wrk(scenario, base_url: str, *, duration, connections, threads, timeout, script_dir) -> dict:
    """One wrk run; its figures (req/s counts the answers that were not errors)."""
    script = script_dir / f"{scenario.name}.lua"
    script.write_text(lua_script(scenario, threads))
    path = scenario.path if scenario.method == "GET" else scenario.path.split("{")[0]
    command = [wrk_binary() or "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    command += [f"--timeout={timeout}s", "--latency", "-s", str(script), base_url + path]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(
            f"wrk failed ({completed.returncode}) on {scenario.name}: "
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )
    stats = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = stats["duration_us"] / 1e6
    return stats | {
        "rps": (stats["requests"] - stats["status"]) / seconds if seconds else 0.0,
        "errors": sum(stats[k] for k in ("connect", "read", "write", "status", "timeout")),
        "seconds": seconds,
        "command": " ".join(command),
        "output": completed.stdout,
    }


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
                stats = wrk(
                    target,
                    server.url,
                    duration=duration,
                    connections=run.connections,
                    threads=run.threads,
                    timeout=max(30, 3 * duration),
                    script_dir=run.run_dir,
                )
                runs.append(stats | {"scenario": scenario.name, "server": key, "round": round_no})
                if target.undo:
                    settle(everyone, *monitors)  # requests wrk gave up on finish first
                    created += target.undo(conn)
                log(
                    f"[round {round_no}/{run.rounds}] {scenario.name:<17} {key} {server.name:<8}"
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
        active = sum(conn.execute(IDLE).fetchone()[0] for conn in conns)
        now = sum(s.busy_cpu() for s in servers)
        if active == 0 and now - before < 0.03:
            return
        before = now
