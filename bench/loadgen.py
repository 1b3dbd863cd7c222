"""The load generator: wrk (Debian package ``wrk``), one process per run, with Lua scripts.

GET scenarios only set the token header. Create sends a unique ``documento`` per request
(run nonce, thread number, a counter and a random number); update picks a random customer of
the write tenant per request; the sales scenarios' scripts are in ``bench/scenarios_sales.py``.
Every script ends with a ``done()`` that prints the summary as one JSON line (requests,
duration, errors, latency percentiles in microseconds).
"""

import json
import secrets
import shutil
import subprocess
from pathlib import Path

from bench.scenarios import BENCH_DOC_PREFIX, Scenario

WRK_MISSING = (
    "wrk is not installed. It is the load generator of this benchmark: install Debian's "
    "package with `sudo apt-get install -y wrk` (or put a wrk 4.x binary on PATH) and run again."
)

_DONE = r"""
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

_HEADERS = """
wrk.headers["Authorization"] = "Token {token}"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
"""

_THREAD_IDS = """
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

_CREATE = """
function request()
  counter = counter + 1
  local r = math.random(1, 999999999)
  local body = string.format(
    '{{"nombre": "Cliente Carga %d-%d", "documento": "{prefix}%s-%d-%d-%d", ' ..
    '"email": "carga.%d.%d@example.com", "telefono": "300 %03d-%04d"}}',
    tid or 0, counter, "{nonce}", tid or 0, counter, r, tid or 0, counter,
    math.random(0, 999), math.random(0, 9999))
  return wrk.format("POST", "{path}", nil, body)
end
"""

_UPDATE = """
local ids = {{{ids}}}
function request()
  counter = counter + 1
  local id = ids[math.random(1, #ids)]
  local body = string.format(
    '{{"nombre": "Cliente Actualizado %d-%d", "telefono": "310 %03d-%04d", "notas": "carga %d"}}',
    tid or 0, counter, math.random(0, 999), math.random(0, 9999), counter)
  return wrk.format("PUT", "{path_prefix}" .. id, nil, body)
end
"""


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def lua_script(scenario: Scenario, threads: int = 2) -> str:
    """The wrk script of one run of ``scenario`` (``threads``: wrk's, for disjoint ids)."""
    from bench import loadgen_sales, scenarios_sales

    script = _HEADERS.format(token=scenario.token)
    if scenario.kind in scenarios_sales.KINDS:
        script += _THREAD_IDS + loadgen_sales.lua(scenario, threads)
    elif scenario.kind == "create":
        script += _THREAD_IDS + _CREATE.format(
            prefix=BENCH_DOC_PREFIX, nonce=secrets.token_hex(4), path=scenario.path
        )
    elif scenario.kind == "update":
        script += _THREAD_IDS + _UPDATE.format(
            ids=", ".join(map(str, scenario.update_ids)),
            path_prefix=scenario.path.replace("{id}", ""),
        )
    else:
        script += f'wrk.method = "{scenario.method}"\n'
    return script + _DONE


def run(
    scenario: Scenario,
    base_url: str,
    *,
    duration: int,
    connections: int,
    threads: int,
    timeout: int,
    script_dir: Path,
) -> dict:
    script = script_dir / f"{scenario.name}.lua"
    script.write_text(lua_script(scenario, threads))
    path = scenario.path if scenario.method == "GET" else scenario.path.split("{")[0]
    command = [
        wrk_binary() or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={timeout}s",
        "--latency",
        "-s",
        str(script),
        base_url + path,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(
            f"wrk failed ({completed.returncode}) on {scenario.name}: "
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )
    stats = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = stats["duration_us"] / 1e6
    errors = sum(stats[k] for k in ("connect", "read", "write", "status", "timeout"))
    stats.update(
        rps=(stats["requests"] - stats["status"]) / seconds if seconds else 0.0,
        errors=errors,
        seconds=seconds,
        command=" ".join(command),
        output=completed.stdout,
    )
    return stats
