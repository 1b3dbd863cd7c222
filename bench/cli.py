"""``python -m bench``: load (or reuse) the data set, start a/b/c, drive them with wrk, report.

``main`` runs the phases in order: ``configure``, ``prepare_data``, ``prepare_scenarios``,
``measure`` and ``write_report``; with ``--citus`` the Citus side (``bench.citus.side``) joins."""

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench import loadgen
from bench.citus import database as citus_database
from bench.citus import side as citus
from bench.data import dataset as data
from bench.data.scales import SCALES, Scale
from bench.inprocess import setup_django
from bench.log import log
from bench.report import meta, output
from bench.report.figures import citus_block, summarize, targets
from bench.rounds import memory, run_rounds, settle
from bench.scenarios import registry
from bench.servers import SERVER_NAMES, START_TIMEOUT, RssSampler, make_servers
from bench.validate import validate
from devtools.servers import BASE_DIR as ROOT
from devtools.servers import create_database

RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/clientes_bench_{scale}"


def parse_args(argv):
    """The command line; every setting left out takes the scale's value."""
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
    p.add_argument("--citus", action="store_true", help="the service on a Citus cluster too")
    default = citus_database.DEFAULT_URL.format(scale="<scale>")
    p.add_argument("--citus-url", help="default: " + default)
    p.add_argument(
        "--citus-scenarios",
        help="comma-separated, or all; default: the main ones (citus=True in bench/scenarios)",
    )
    return p.parse_args(argv)


@dataclass
class Run:
    """One invocation: its arguments with the scale's defaults filled in, and where it writes."""

    argv: list[str]
    args: argparse.Namespace
    scale: Scale
    url: str
    rounds: int
    duration: int  # seconds of a run, before slow servers get longer ones
    connections: int
    threads: int
    stamp: str
    run_dir: Path  # server logs, Lua scripts
    started: float
    citus_url: str | None = None  # --citus: the Citus cluster's database


@dataclass
class Measured:
    runs: list[dict]
    rss: dict
    notes: list[str]
    problems: list[str]
    workers: int


def main(argv=None) -> int:
    """The phases in order; exit status 1 when the checks before the load found a problem."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if loadgen.wrk_binary() is None and not args.load_only:
        print(loadgen.WRK_MISSING, file=sys.stderr)
        return 2
    if args.citus and (problem := citus.unusable(citus.url_of(args))):
        print(problem, file=sys.stderr)
        return 2
    run = configure(argv, args)
    dataset = prepare_data(run)
    side = citus.prepare_data(run) if run.citus_url else None
    if args.load_only:
        return 0
    scenarios, fixtures = prepare_scenarios(run, dataset)
    side = side and citus.prepare(run, side, scenarios)
    measured = measure(run, dataset, scenarios, fixtures, side)
    write_report(run, dataset, scenarios, measured, side)
    return 1 if measured.problems else 0


def configure(argv: list[str], args: argparse.Namespace) -> Run:
    """The run's settings (arguments, else the scale's) and its new directory of results."""
    scale = SCALES[args.scale]
    connections = args.connections or scale.connections
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    run = Run(
        argv=argv,
        args=args,
        scale=scale,
        url=args.database_url or DEFAULT_URL.format(scale=scale.name),
        rounds=args.rounds or scale.rounds,
        duration=args.duration or scale.duration,
        connections=connections,
        threads=min(args.threads or scale.threads, connections),
        stamp=stamp,
        run_dir=RESULTS / f"{stamp}-{scale.name}",
        started=time.monotonic(),
        citus_url=citus.url_of(args) if args.citus else None,
    )
    run.run_dir.mkdir(parents=True, exist_ok=True)
    return run


def prepare_data(run: Run) -> data.Dataset:
    """The database migrated, with a complete data set of the scale: reused, or loaded anew."""

    def migrate():
        setup_django(run.url)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)

    return data.ensure(
        run.url,
        run.scale,
        reload=run.args.reload,
        create=create_database,
        migrate=migrate,
        where=data.database_name(run.url),
    )


def prepare_scenarios(run: Run, dataset: data.Dataset):
    """(scenarios, their fixtures): ``--only``'s, else all of the registry."""
    from django.db import connection

    fixtures = registry.prepare(dataset, run.scale)
    only = set(run.args.only.split(",")) if run.args.only else None
    scenarios = registry.build(dataset, fixtures, only)
    connection.close()
    return scenarios, fixtures


def measure(run: Run, dataset, scenarios, fixtures, side=None) -> Measured:
    """Starts the servers, checks their answers, runs the rounds and reads the workers'
    memory; whatever happens, stops the servers and removes what the scenarios made."""
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
        log(
            "Servers: "
            + ", ".join(
                f"{s.key} {s.name} {s.url} ({len(s.worker_processes())} workers)" for s in everyone
            )
        )
        latency, notes, problems = validate(servers, scenarios)
        citus.check(side, servers, scenarios, latency, notes, problems)
        for note in notes:
            log("  check: " + note)
        for problem in problems:
            log("  PROBLEM: " + problem)
        sampler.start()
        runs, created = run_rounds(run, servers, scenarios, latency, monitor, side)
        settle(everyone, monitor, *([side.monitor] if side else []))
        sampler.stop()
        rss = {key: memory(server) for key, server in servers.items()}
        if side:
            side.rss = memory(side.server)
    finally:
        sampler.stop()
        for server in everyone:
            server.stop()
        with monitor:
            removed = registry.finish(monitor, dataset, fixtures) + citus.finish(side)
    log(f"Removed {created + removed} customers the create scenario made")
    return Measured(runs, rss, notes, problems, workers)


def write_report(run: Run, dataset, scenarios, measured: Measured, side=None) -> None:
    """The plans of the service's and the floor's reads, the result as JSON and PNG and
    results/README.md (all under ``bench/results/``), then the summary on the terminal."""
    from bench.report.explain import explain

    name = f"{run.stamp}-{run.scale.name}"
    explain_path = RESULTS / f"{name}-explain.txt"
    try:
        explain_path.write_text(explain(run.url, scenarios))
    except psycopg.Error as exc:
        explain_path.write_text(f"EXPLAIN failed: {exc}\n")
    summary = summarize(measured.runs, scenarios)
    result = {
        "meta": meta.describe(run, dataset, measured.workers),
        "scenarios": [
            {
                "name": s.name,
                "family": s.family,
                "title": s.title,
                "method": s.method,
                "path": s.example_path(),
            }
            for s in scenarios
        ],
        "summary": summary,
        "targets": targets(summary, measured.rss),
        "rss": measured.rss,
        "validation_notes": measured.notes,
        "problems": measured.problems,
        "runs": measured.runs,
    }
    if side:
        result["citus"] = citus_block(side, measured.runs)
    paths = output.write(result, RESULTS, name, readme=not run.args.no_readme)
    explain_path, json_path, png_path = (p.relative_to(ROOT) for p in [explain_path, *paths])
    log("")
    log(f"Scale {run.scale.name} · {result['meta']['machine']} · {result['meta']['date']}")
    for line in output.table_lines(result["summary"]):
        log(line)
    if side:
        log("")
        for line in output.citus_lines(result["citus"]):
            log(line)
    log("")
    log("Targets (issues 4 and 10):")
    for line in output.target_lines(result["targets"]):
        log(line)
    log(
        "Worker RSS after the run (max, MB): "
        + ", ".join(f"{SERVER_NAMES[k]} {v['after_max_mb']:.0f}" for k, v in result["rss"].items())
    )
    if result["problems"]:
        log(f"{len(result['problems'])} problem(s) in the checks before the load: see above")
    log(f"Query plans (EXPLAIN ANALYZE, BUFFERS): {explain_path}")
    log(
        f"Results: {json_path}, {png_path} (server logs in {run.run_dir.relative_to(ROOT)}/) · "
        f"{result['meta']['elapsed_seconds']} s"
    )
