"""wrk, one process per run: the scenario's Lua script, its figures as one JSON line."""

import json
import shutil
import subprocess

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


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def lua_script(scenario, threads: int) -> str:
    """The token header, the scenario's request() (writes) and the summary line."""
    script = HEADERS.format(token=scenario.token)
    if scenario.lua:
        script += THREAD_IDS + scenario.lua(threads)
    else:
        script += f'wrk.method = "{scenario.method}"\n'
    return script + DONE


def run(scenario, base_url: str, *, duration, connections, threads, timeout, script_dir) -> dict:
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
    stats.update(
        rps=(stats["requests"] - stats["status"]) / seconds if seconds else 0.0,
        errors=sum(stats[k] for k in ("connect", "read", "write", "status", "timeout")),
        seconds=seconds,
        command=" ".join(command),
        output=completed.stdout,
    )
    return stats
