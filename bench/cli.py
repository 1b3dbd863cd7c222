"""``python -m bench``: load (or reuse) the data set, start a/b/c, drive them with wrk, report."""

import argparse
import http.client
import json
import math
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import psycopg

from bench import dataset as data
from bench import loadgen, report
from bench.scales import SCALES
from bench.servers import ROOT, SERVER_NAMES, RssSampler, make_servers

RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/clientes_bench_{scale}"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--scale", choices=sorted(SCALES), default="small")
    p.add_argument("--database-url", help="default: " + DEFAULT_URL.format(scale="<scale>"))
    p.add_argument("--reload", action="store_true", help="drop and load the data set again")
    p.add_argument(
        "--load-only", action="store_true", help="load (or check) the data set, then stop"
    )
    p.add_argument("--rounds", type=int, help="rounds of a/b/c runs per scenario")
    p.add_argument("--duration", type=int, help="seconds of one wrk run")
    p.add_argument("--connections", type=int, help="wrk connections (fixed concurrency)")
    p.add_argument("--threads", type=int, help="wrk threads")
    p.add_argument("--only", help="comma-separated scenario names")
    p.add_argument("--no-readme", action="store_true", help="do not touch the README figure tables")
    return p.parse_args(argv)


_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", flush=True)


def setup_django(url: str) -> None:
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        API_RATE_USER="10000000/min",
        API_RATE_ANON="10000000/min",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores ({model or platform.machine()}), {mem:.0f} GB RAM"


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return rev + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --- checks before the load -------------------------------------------------------------------


def request(server, scenario, body=None):
    path = scenario.example_path()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    headers = {"Authorization": f"Token {scenario.token}", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    conn.request(scenario.method, path, body=payload, headers=headers)
    response = conn.getresponse()
    content = response.read()
    elapsed = time.perf_counter() - started
    link = response.getheader("Link")
    conn.close()
    return response.status, content, link, elapsed


def validate(servers, scenarios) -> tuple[dict, list[str], list[str]]:
    """Each scenario once per server (plus two timed repeats): statuses, equal answers, timing."""
    from bench.scenarios import sample_body
    from bench.scenarios_sales import sales_check

    latency, notes, problems = {}, [], []
    identical = 0
    gets = 0
    for scenario in scenarios:
        answers = {}
        for key, server in servers.items():
            times = []
            for _ in range(3):
                status, content, link, elapsed = request(server, scenario, sample_body(scenario))
                times.append(elapsed)
                expected = 201 if scenario.method == "POST" else 200
                if status != expected:
                    problems.append(
                        f"{scenario.name}: {server.name} answered {status}: {content[:200]!r}"
                    )
                    break
            # The Link header names the server's own port: compare it without.
            answers[key] = (content, (link or "").replace(f":{server.port}/", ":PORT/"))
            latency[(scenario.name, key)] = min(times[1:] or times)
        if scenario.method == "GET" and all(k in answers for k in "ac"):
            gets += 1
            if answers["a"] == answers["c"]:
                identical += 1
            else:
                problems.append(
                    f"{scenario.name}: the floor's answer differs from the service's "
                    f"({len(answers['c'][0])} vs {len(answers['a'][0])} bytes)"
                )
        elif (note := sales_check(scenario, answers)) is not None:
            (notes if note.startswith("same") else problems).append(f"{scenario.name}: {note}")
        if scenario.kind == "list" and all(k in answers for k in "ab"):
            try:
                ids_a = [r["id"] for r in json.loads(answers["a"][0])]
                ids_b = [r["id"] for r in json.loads(answers["b"][0])]
            except (ValueError, TypeError, KeyError):
                continue
            if ids_a != ids_b:
                same = len(set(ids_a) & set(ids_b))
                notes.append(
                    f"{scenario.name}: naive answers {len(ids_b)} rows, the service {len(ids_a)}, "
                    f"{same} in common (icontains folds neither accents nor punctuation)"
                )
            else:
                notes.append(f"{scenario.name}: {len(ids_a)} rows, same from a and b")
    notes.insert(
        0, f"floor answers byte-identical to the service's on {identical}/{gets} GET scenarios"
    )
    return latency, notes, problems


def settle(servers, conn, timeout: float = 180) -> None:
    """Waits until no server works on a request wrk gave up on and the database is idle."""
    deadline = time.monotonic() + timeout
    before = sum(s.busy_cpu() for s in servers)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        active = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        ).fetchone()[0]
        now = sum(s.busy_cpu() for s in servers)
        if active == 0 and now - before < 0.03:
            return
        before = now


# --- main -------------------------------------------------------------------------------------


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    scale = SCALES[args.scale]
    if loadgen.wrk_binary() is None and not args.load_only:
        print(loadgen.WRK_MISSING, file=sys.stderr)
        return 2
    url = args.database_url or DEFAULT_URL.format(scale=scale.name)
    rounds = args.rounds or scale.rounds
    base_duration = args.duration or scale.duration
    connections = args.connections or scale.connections
    threads = min(args.threads or scale.threads, connections)
    started = time.monotonic()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run_dir = RESULTS / f"{stamp}-{scale.name}"
    run_dir.mkdir(parents=True, exist_ok=True)

    # 1. The data set.
    state, dataset = data.inspect(url, scale)
    if args.reload and state == "reuse":
        state = "stale"
    if state == "missing":
        log(f"Creating database {data.database_name(url)}")
        data.create_database(url, drop_first=False)
    elif state == "stale":
        log(
            f"Database {data.database_name(url)} holds no complete {scale.name} data set: "
            "recreating it"
        )
        data.create_database(url, drop_first=True)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    if state == "reuse":
        log(f"Reusing the {scale.name} data set loaded {dataset.loaded_at} ({dataset.counts})")
    else:
        log(
            f"Loading the {scale.name} data set with COPY: {scale.customers:,} customers, "
            f"{scale.sales:,} sales, {scale.quotations:,} quotations"
        )
        dataset = data.load(url, scale)
        rate = sum(dataset.counts.values()) / dataset.load_seconds
        log(
            f"Loaded in {dataset.load_seconds:.0f} s "
            f"({rate:,.0f} rows/s, indexes and VACUUM included)"
        )
    if args.load_only:
        return 0

    # 2. Scenarios, and the SQL the floor replays.
    from bench import capture
    from bench import scenarios as sc

    fixtures = sc.prepare(dataset, scale)
    scenarios = sc.build(dataset, fixtures)
    if args.only:
        wanted = set(args.only.split(","))
        scenarios = [s for s in scenarios if s.name in wanted]
    plan = capture.capture(scenarios)
    plan_path = run_dir / "floor_plan.json"
    plan_path.write_text(json.dumps(plan, indent=1, ensure_ascii=False))
    sc.cleanup(dataset, fixtures)
    connection.close()

    # 3. Servers.
    servers = make_servers(url, plan_path, run_dir)
    runs, rss = [], {}
    monitor = psycopg.connect(url, autocommit=True)
    sampler = RssSampler(list(servers.values()))
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_ready()
        workers = len(servers["a"].workers())
        log(
            "Servers: "
            + ", ".join(
                f"{k} {s.name} {s.url} ({len(s.workers())} workers)" for k, s in servers.items()
            )
        )
        latency, notes, problems = validate(servers, scenarios)
        for note in notes:
            log("  check: " + note)
        for problem in problems:
            log("  PROBLEM: " + problem)

        # 4. The load: per round, per scenario, a/b/c in rotating order.
        cores = os.cpu_count() or 1
        durations = {
            key: max(
                base_duration,
                min(scale.max_duration, math.ceil(scale.min_requests * seconds / cores)),
            )
            for key, seconds in latency.items()
        }
        sampler.start()
        created = 0
        order = list(servers)
        for round_no in range(rounds):
            for index, scenario in enumerate(scenarios):
                shift = (round_no + index) % len(order)
                for key in order[shift:] + order[:shift]:
                    server = servers[key]
                    settle(servers.values(), monitor)
                    duration = durations[(scenario.name, key)]
                    stats = loadgen.run(
                        scenario,
                        server.url,
                        duration=duration,
                        connections=connections,
                        threads=threads,
                        timeout=max(30, 3 * duration),
                        script_dir=run_dir,
                    )
                    stats.update(scenario=scenario.name, server=key, round=round_no + 1)
                    runs.append(stats)
                    if scenario.method != "GET":  # requests wrk gave up on finish first
                        settle(servers.values(), monitor)
                    created += sc.after_run(scenario, monitor, dataset)
                    log(
                        f"[round {round_no + 1}/{rounds}] {scenario.name:<14} "
                        f"{key} {server.name:<8}"
                        f"{stats['rps']:>9.1f} req/s  p50 {stats['p50_us'] / 1000:>8.1f} ms  "
                        f"p99 {stats['p99_us'] / 1000:>8.1f} ms  {duration}s"
                        + (f"  errors {stats['errors']}" if stats["errors"] else "")
                    )
        settle(servers.values(), monitor)
        sampler.stop()
        for key, server in servers.items():
            memory = server.worker_memory()
            rss[key] = {
                "workers": memory,
                "after_max_mb": max((m["rss"] for m in memory), default=0) / 2**20,
                "after_max_uss_mb": max((m["uss"] for m in memory), default=0) / 2**20,
                "peak_mb": server.peak_rss / 2**20,
            }
    finally:
        sampler.stop()
        for server in servers.values():
            server.stop()
        removed = sc.drop_created(monitor, dataset) + sc.cleanup(dataset, fixtures, final=True)
        monitor.close()
        connection.close()
    log(f"Removed {created + removed} customers the create scenario made")

    # 5. Figures, and the plans of the service's read queries.
    from bench.explain import explain

    explain_path = RESULTS / f"{stamp}-{scale.name}-explain.txt"
    try:
        explain_path.write_text(explain(url, plan))
    except psycopg.Error as exc:
        explain_path.write_text(f"EXPLAIN failed: {exc}\n")
    summary = report.summarize(runs, scenarios)
    checks = report.targets(summary, rss)
    pg_version = psycopg.connect(url).execute("SHOW server_version").fetchone()[0]
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(
        "["
    )[0]
    result = {
        "meta": {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "scale": scale.name,
            "machine": machine(),
            "postgres": pg_version,
            "wrk": wrk_version.strip(),
            "python": platform.python_version(),
            "git": git_revision(),
            "command": "python -m bench " + " ".join(argv) if argv else "python -m bench",
            "database": data.database_name(url),
            "dataset": (
                f"{dataset.counts['customers']:,} customers ({scale.big_customers:,} in the big "
                f"tenant, {scale.small_tenants} tenants × {scale.small_customers:,}), "
                f"{dataset.counts['sales']:,} sales ({scale.hot_sales:,} of one customer), "
                f"{dataset.counts['quotations']:,} quotations"
            ),
            "load_seconds": dataset.load_seconds,
            "connections": connections,
            "threads": threads,
            "duration": base_duration,
            "rounds": rounds,
            "workers": workers,
            "worker_class": (
                f"{os.environ.get('GUNICORN_WORKER_CLASS', 'sync')}"
                f" × {os.environ.get('GUNICORN_THREADS', '1')} threads"
            ),
            "elapsed_seconds": round(time.monotonic() - started),
        },
        "scenarios": [
            {"name": s.name, "title": s.title, "method": s.method, "path": s.example_path()}
            for s in scenarios
        ],
        "summary": summary,
        "targets": checks,
        "rss": rss,
        "validation_notes": notes,
        "problems": problems,
        "runs": runs,
    }
    json_path = RESULTS / f"{stamp}-{scale.name}.json"
    png_path = RESULTS / f"{stamp}-{scale.name}.png"
    report.write_json(result, json_path)
    report.chart(result, png_path)
    if not args.no_readme:
        report.write_results_readme(result, RESULTS / "README.md", json_path.name, png_path.name)
        if scale.name == "full" and not args.only:
            report.update_bench_readme(result, ROOT / "bench" / "README.md")

    log("")
    log(f"Scale {scale.name} · {result['meta']['machine']} · {result['meta']['date']}")
    for line in report.table_lines(summary):
        log(line)
    log("")
    log("Targets (issues 4 and 10):")
    for line in report.target_lines(checks):
        log(line)
    log(
        "Worker RSS after the run (max, MB): "
        + ", ".join(f"{SERVER_NAMES[k]} {v['after_max_mb']:.0f}" for k, v in rss.items())
    )
    if problems:
        log(f"{len(problems)} problem(s) in the checks before the load: see above")
    log(f"Query plans (EXPLAIN ANALYZE, BUFFERS): {explain_path.relative_to(ROOT)}")
    log(
        f"Results: {json_path.relative_to(ROOT)}, {png_path.relative_to(ROOT)} "
        f"(server logs in {run_dir.relative_to(ROOT)}/) · {result['meta']['elapsed_seconds']} s"
    )
    return 1 if problems else 0
