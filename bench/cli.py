"""``python -m bench``: load (or reuse) the data set, start a/b/c, drive them with wrk, report.

``main`` runs the phases in order: ``configure``, ``prepare_data``, ``prepare_scenarios``,
``measure`` and ``write_report``; with ``--citus`` the Citus side (``bench.citus.side``) joins."""

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil
import psycopg

from bench import load, log, report
from bench.citus import database as citus_database
from bench.citus import side as citus
from bench.data import dataset as data
from bench.data.scales import SCALES
from bench.explain import explain
from bench.inprocess import setup_django
from bench.scenarios import registry
from bench.servers import SERVER_NAMES, START_TIMEOUT, RssSampler, make_servers
from bench.validate import validate
from devtools.databases import create_database
from devtools.servers import BASE_DIR as ROOT

RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/clientes_bench_{scale}"


@dataclass
class Measured:
    runs: list[dict]
    rss: dict
    notes: list[str]
    problems: list[str]
    workers: int


def configure(argv: list[str]) -> argparse.Namespace:
    """The run's settings: the arguments, else the scale's; where the run writes."""
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
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
    p.add_argument("--no-readme", action="store_true", help="do not write results/README.md")
    p.add_argument(
        "--explain", action="store_true", help="print the plans of (a)'s and (c)'s reads, no load"
    )
    p.add_argument("--citus", action="store_true", help="the service on a Citus cluster too")
    default = citus_database.DEFAULT_URL.format(scale="<scale>")
    p.add_argument("--citus-url", help="default: " + default)
    p.add_argument(
        "--citus-scenarios",
        help="comma-separated, or all; default: the main ones (citus=True in bench/scenarios)",
    )
    run = p.parse_args(argv)
    scale = run.scale = SCALES[run.scale]
    run.argv, run.started = argv, time.monotonic()
    run.url = run.database_url or DEFAULT_URL.format(scale=scale.name)
    run.citus_url = run.citus and (
        run.citus_url or citus_database.DEFAULT_URL.format(scale=scale.name)
    )
    run.rounds = run.rounds or scale.rounds
    run.duration = run.duration or scale.duration  # seconds of a run; slow servers get longer
    run.connections = run.connections or scale.connections
    run.threads = min(run.threads or scale.threads, run.connections)
    run.stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run.run_dir = RESULTS / f"{run.stamp}-{scale.name}"  # server logs, Lua scripts
    return run


def main(argv=None) -> int:
    """The phases in order; exit status 1 when the checks before the load found a problem."""
    run = configure(sys.argv[1:] if argv is None else argv)
    if load.wrk_binary() is None and not (run.load_only or run.explain):
        print(load.WRK_MISSING, file=sys.stderr)
        return 2
    if run.citus_url and (problem := citus.unusable(run.citus_url)):
        print(problem, file=sys.stderr)
        return 2
    dataset = prepare_data(run)
    side = citus.prepare_data(run) if run.citus_url else None
    if run.load_only:
        return 0
    scenarios, fixtures = prepare_scenarios(run, dataset)
    if run.explain:
        try:
            print(explain(run.url, scenarios))
        finally:
            with psycopg.connect(run.url, autocommit=True) as conn:
                registry.finish(conn, dataset, fixtures)
        return 0
    side = side and citus.prepare(run, side, scenarios)
    measured = measure(run, dataset, scenarios, fixtures, side)
    write_report(run, dataset, scenarios, measured, side)
    return 1 if measured.problems else 0


def prepare_data(run) -> data.Dataset:
    """The database migrated, with a complete data set of the scale: reused, or loaded anew."""

    def migrate():
        setup_django(run.url)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)

    where = data.database_name(run.url)
    return data.ensure(run.url, run.scale, run.reload, create_database, migrate, where)


def prepare_scenarios(run, dataset: data.Dataset):
    """(scenarios, their fixtures): ``--only``'s, else all of the registry."""
    from django.db import connection

    fixtures = registry.prepare(dataset, run.scale)
    scenarios = registry.build(dataset, fixtures, set(run.only.split(",")) if run.only else None)
    connection.close()
    return scenarios, fixtures


def measure(run, dataset, scenarios, fixtures, side=None) -> Measured:
    """Starts the servers, checks their answers, runs the rounds and reads the workers'
    memory; whatever happens, stops the servers and removes what the scenarios made."""
    run.run_dir.mkdir(parents=True, exist_ok=True)
    servers = make_servers(run.url, run.run_dir)
    monitor = psycopg.connect(run.url, autocommit=True)
    everyone = [*servers.values(), *citus.servers(side, run)]
    sampler = RssSampler(everyone)
    try:
        for server in everyone:
            server.launch()
        for server in everyone:
            server.wait_ready(START_TIMEOUT)
        workers = len(servers["a"].worker_processes())
        started = (
            f"{s.key} {s.name} {s.url} ({len(s.worker_processes())} workers)" for s in everyone
        )
        log("Servers: " + ", ".join(started))
        latency, notes, problems = validate(servers, scenarios)
        citus.check(side, servers, scenarios, latency, notes, problems)
        for line in [*(f"  check: {n}" for n in notes), *(f"  PROBLEM: {p}" for p in problems)]:
            log(line)
        sampler.start()
        runs, created = load.run_rounds(run, servers, scenarios, latency, monitor, side)
        load.settle(everyone, monitor, *([side.monitor] if side else []))
        sampler.stop()
        rss = {key: server.memory() for key, server in servers.items()}
        if side:
            side.rss = side.server.memory()
    finally:
        sampler.stop()
        for server in everyone:
            server.stop()
        with monitor:
            removed = registry.finish(monitor, dataset, fixtures) + citus.finish(side)
    log(f"Removed {created + removed} customers the create scenario made")
    return Measured(runs, rss, notes, problems, workers)


def write_report(run, dataset, scenarios, measured: Measured, side=None) -> None:
    """The plans of the service's and the floor's reads, the result as JSON and PNG and
    results/README.md (all under ``bench/results/``), then the summary on the terminal."""
    name = f"{run.stamp}-{run.scale.name}"
    explain_path = RESULTS / f"{name}-explain.txt"
    try:
        explain_path.write_text(explain(run.url, scenarios))
    except psycopg.Error as exc:
        explain_path.write_text(f"EXPLAIN failed: {exc}\n")
    summary = report.summarize(measured.runs, scenarios)
    about = ("name", "family", "title", "method")
    result = {
        "meta": describe(run, dataset, measured.workers),
        "scenarios": [
            {**{key: getattr(s, key) for key in about}, "path": s.example_path()} for s in scenarios
        ],
        "summary": summary,
        "targets": report.targets(summary, measured.rss),
        "rss": measured.rss,
        "validation_notes": measured.notes,
        "problems": measured.problems,
        "runs": measured.runs,
    }
    if side:
        result["citus"] = report.citus_block(side, measured.runs)
    paths = report.write(result, RESULTS, name, readme=not run.no_readme)
    explain_path, json_path, png_path = (p.relative_to(ROOT) for p in [explain_path, *paths])
    meta = result["meta"]
    log("")
    log(f"Scale {run.scale.name} · {meta['machine']} · {meta['date']}")
    for line in report.terminal_lines(result):
        log(line)
    rss = (f"{SERVER_NAMES[k]} {v['after_max_mb']:.0f}" for k, v in measured.rss.items())
    log("Worker RSS after the run (max, MB): " + ", ".join(rss))
    if measured.problems:
        log(f"{len(measured.problems)} problem(s) in the checks before the load: see above")
    log(f"Query plans (EXPLAIN ANALYZE, BUFFERS): {explain_path}")
    log(
        f"Results: {json_path}, {png_path} (server logs in {run.run_dir.relative_to(ROOT)}/) · "
        f"{meta['elapsed_seconds']} s"
    )


def describe(run, dataset, workers: int) -> dict:
    """The ``meta`` block of a result: where, with what, on which data, under which load."""
    scale, counts = run.scale, dataset.counts
    with psycopg.connect(run.url) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": scale.name,
        "machine": _machine(),
        "postgres": pg_version,
        "wrk": wrk.split("[")[0].strip(),
        "python": platform.python_version(),
        "git": _git_revision(),
        "command": " ".join(["python -m bench", *run.argv]),
        "database": data.database_name(run.url),
        "dataset": (
            f"{counts['customers']:,} customers ({scale.big_customers:,} in the big tenant, "
            f"{scale.small_tenants} tenants × {scale.small_customers:,}), {counts['sales']:,} "
            f"sales ({scale.hot_sales:,} of one customer), {counts['quotations']:,} quotations"
        ),
        "load_seconds": dataset.load_seconds,
        "connections": run.connections,
        "threads": run.threads,
        "duration": run.duration,
        "rounds": run.rounds,
        "workers": workers,
        "worker_class": (
            f"{os.environ.get('GUNICORN_WORKER_CLASS', 'sync')}"
            f" × {os.environ.get('GUNICORN_THREADS', '1')} threads"
        ),
        "elapsed_seconds": round(time.monotonic() - run.started),
    }


def _machine() -> str:
    """Cores, CPU model and memory of this machine, in one line."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        cpuinfo = []
    names = (ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name"))
    model = next(names, "") or platform.machine()
    return f"{os.cpu_count()} cores ({model}), {psutil.virtual_memory().total / 2**30:.0f} GB RAM"


def _git_revision() -> str:
    """Short HEAD, with ``+changes`` when tracked files differ from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        done.check_returncode()
        return done.stdout.strip()

    try:
        dirty = git("status", "--porcelain", "--untracked-files=no")
        return git("rev-parse", "--short", "HEAD") + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
