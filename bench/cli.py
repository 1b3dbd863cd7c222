"""``python -m bench``: load (or reuse) the data set, start a/b/c, drive them with wrk, report.

``main`` runs the phases in order, each a function below: ``configure`` (the arguments and the
scale's defaults), ``prepare_data`` (the database and its data set), ``prepare_scenarios``
(their fixtures), ``measure`` (start the servers, check their answers, run the rounds, read
the workers' memory, stop and undo the writes) and ``write_report`` (files under
``bench/results/``, the printed summary). With ``--citus`` the
service also runs on a Citus cluster's copy of the data set (``bench/cluster.py``).
"""

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench import citus, cluster, loadgen, meta, report, report_citus
from bench import dataset as data
from bench.inprocess import setup_django
from bench.report import log
from bench.rounds import memory, run_rounds, settle
from bench.scales import SCALES, Scale
from bench.servers import ROOT, SERVER_NAMES, RssSampler, make_servers
from bench.validate import validate
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
    p.add_argument("--citus-url", help="default: " + citus.DEFAULT_URL.format(scale="<scale>"))
    p.add_argument(
        "--citus-scenarios",
        help="comma-separated, or all; default: " + ",".join(cluster.MAIN_SCENARIOS),
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
    """What ``measure`` brings back."""

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
    if args.citus and (problem := cluster.unusable(cluster.url_of(args))):
        print(problem, file=sys.stderr)
        return 2
    run = configure(argv, args)
    dataset = prepare_data(run)
    side = cluster.prepare_data(run) if run.citus_url else None
    if args.load_only:
        return 0
    scenarios, fixtures = prepare_scenarios(run, dataset)
    side = side and cluster.prepare(run, side, scenarios)
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
    )
    if args.citus:
        run.citus_url = cluster.url_of(args)
    run.run_dir.mkdir(parents=True, exist_ok=True)
    return run


def prepare_data(run: Run) -> data.Dataset:
    """The database migrated, with a complete data set of the scale: reused, or loaded anew."""
    url, scale = run.url, run.scale
    state, dataset = data.inspect(url, scale)
    if run.args.reload and state == "reuse":
        state = "stale"
    if state == "missing":
        log(f"Creating database {data.database_name(url)}")
    elif state == "stale":
        log(
            f"Database {data.database_name(url)} holds no complete {scale.name} data set: "
            "recreating it"
        )
    if state != "reuse":
        create_database(url, drop_first=state == "stale")
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if state == "reuse":
        log(f"Reusing the {scale.name} data set loaded {dataset.loaded_at} ({dataset.counts})")
        return dataset
    log(
        f"Loading the {scale.name} data set with COPY: {scale.customers:,} customers, "
        f"{scale.sales:,} sales, {scale.quotations:,} quotations"
    )
    dataset = data.load(url, scale)
    rate = sum(dataset.counts.values()) / dataset.load_seconds
    log(f"Loaded in {dataset.load_seconds:.0f} s ({rate:,.0f} rows/s, indexes and VACUUM included)")
    return dataset


def prepare_scenarios(run: Run, dataset: data.Dataset):
    """(scenarios, their fixtures): the bench users and their tokens, the ids the scenarios
    name and the quotations ``convertir`` consumes (``--only``: the scenarios named)."""
    from django.db import connection

    from bench import scenarios as sc

    fixtures = sc.prepare(dataset, run.scale)
    scenarios = sc.build(dataset, fixtures)
    if run.args.only:
        wanted = set(run.args.only.split(","))
        scenarios = [s for s in scenarios if s.name in wanted]
    connection.close()
    return scenarios, fixtures


def measure(run: Run, dataset, scenarios, fixtures, side=None) -> Measured:
    """Starts a, b and c (and the service on Citus), checks their answers, runs the rounds and
    reads the workers' memory; whatever happens, stops the servers and removes what the write
    scenarios made."""
    from django.db import connection

    from bench import scenarios as sc

    servers = make_servers(run.url, run.run_dir)
    monitor = psycopg.connect(run.url, autocommit=True)
    everyone = [*servers.values(), *cluster.servers(side, run)]
    sampler = RssSampler(everyone)
    try:
        for server in everyone:
            server.launch()
        for server in everyone:
            server.wait_ready()
        workers = len(servers["a"].worker_processes())
        log(
            "Servers: "
            + ", ".join(
                f"{s.key} {s.name} {s.url} ({len(s.worker_processes())} workers)" for s in everyone
            )
        )
        latency, notes, problems = validate(servers, scenarios)
        cluster.check(side, servers, scenarios, latency, notes, problems)
        for note in notes:
            log("  check: " + note)
        for problem in problems:
            log("  PROBLEM: " + problem)
        sampler.start()
        runs, created = run_rounds(run, servers, scenarios, latency, monitor, dataset, side)
        settle(everyone, monitor, *cluster.monitors(side))
        sampler.stop()
        rss = {key: memory(server) for key, server in servers.items()}
        if side:
            side.rss = memory(side.server)
    finally:
        sampler.stop()
        for server in everyone:
            server.stop()
        removed = sc.drop_created(monitor, dataset) + sc.cleanup(dataset, fixtures, final=True)
        removed += cluster.finish(side)
        monitor.close()
        connection.close()
    log(f"Removed {created + removed} customers the create scenario made")
    return Measured(runs, rss, notes, problems, workers)


def write_report(run: Run, dataset, scenarios, measured: Measured, side=None) -> None:
    """The plans of the service's and the floor's reads, the result as JSON and PNG and
    results/README.md (all under ``bench/results/``), then the summary on the terminal."""
    from bench.explain import explain

    explain_path = RESULTS / f"{run.stamp}-{run.scale.name}-explain.txt"
    try:
        explain_path.write_text(explain(run.url, scenarios))
    except psycopg.Error as exc:
        explain_path.write_text(f"EXPLAIN failed: {exc}\n")
    summary = report.summarize(measured.runs, scenarios)
    result = {
        "meta": meta.describe(run, dataset, measured.workers),
        "scenarios": [
            {"name": s.name, "title": s.title, "method": s.method, "path": s.example_path()}
            for s in scenarios
        ],
        "summary": summary,
        "targets": report.targets(summary, measured.rss),
        "rss": measured.rss,
        "validation_notes": measured.notes,
        "problems": measured.problems,
        "runs": measured.runs,
    }
    if side:
        result["citus"] = report_citus.result(side, measured.runs)
    json_path = RESULTS / f"{run.stamp}-{run.scale.name}.json"
    png_path = RESULTS / f"{run.stamp}-{run.scale.name}.png"
    report.write_json(result, json_path)
    report.chart(result, png_path)
    if not run.args.no_readme:
        report.write_results_readme(result, RESULTS / "README.md", json_path.name, png_path.name)
    print_summary(run, result, [explain_path, json_path, png_path])


def print_summary(run: Run, result: dict, paths: list[Path]) -> None:
    """The table, the targets and where the files are."""
    explain_path, json_path, png_path = (p.relative_to(ROOT) for p in paths)
    log("")
    log(f"Scale {run.scale.name} · {result['meta']['machine']} · {result['meta']['date']}")
    for line in report.table_lines(result["summary"]):
        log(line)
    if "citus" in result:
        log("")
        for line in report_citus.table_lines(result["citus"]):
            log(line)
    log("")
    log("Targets (issues 4 and 10):")
    for line in report.target_lines(result["targets"]):
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
