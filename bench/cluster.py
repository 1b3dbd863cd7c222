"""The Citus side of a run (``python -m bench --citus``): the service (a) once more, on the same
data set in a database of a Citus cluster, measured in the same rounds as a, b and c.

The cluster's database (``--citus-url``, default ``bench.citus.DEFAULT_URL``) is made on every
node by ``bench.citus``, migrated in this process (``migrate`` distributes the tables) and
loaded by the same loader, reused like the single server's. Its fixtures (bench users and
tokens, the quotations ``convertir`` consumes) are its own, made through the models with
Django switched to it for a while (``bench.inprocess.django_on``). Only the main scenarios run
there (``MAIN_SCENARIOS``, or ``--citus-scenarios``): the service on the cluster joins the
rotation of each of them as a fourth server; every write run there is undone on the cluster.
"""

from contextlib import closing
from dataclasses import dataclass, field

import psycopg

from bench import citus
from bench import dataset as data
from bench.inprocess import django_on
from bench.report import log
from bench.servers import CITUS, Server, make_citus_server
from bench.validate import answers_of

MAIN_SCENARIOS = (
    "list_big",
    "list_small",
    "search_common",
    "search_rare",
    "historial",
    "create",
    "create_venta",
    "list_ventas",
    "convertir",
)
START_HINT = (
    "start it with `bash ../shared/citus/citus-cluster.sh start /tmp/clientes-citus 9700 9701 9702`"
)


@dataclass
class CitusSide:
    """The cluster's database, its data set and scenarios, and (while measuring) its server."""

    url: str
    dataset: data.Dataset
    fixtures: object = None  # bench.scenarios.Fixtures of the cluster's database
    scenarios: dict = field(default_factory=dict)  # name -> its Scenario there
    about: dict = field(default_factory=dict)  # nodes, versions, shards (for the report)
    server: Server | None = None
    monitor: psycopg.Connection | None = None
    rss: dict = field(default_factory=dict)


def url_of(args) -> str:
    """The cluster database's URL: ``--citus-url``, else the scale's default."""
    return args.citus_url or citus.DEFAULT_URL.format(scale=args.scale)


def unusable(url: str) -> str | None:
    """Why the cluster of ``url`` cannot be used, or None."""
    try:
        citus.workers(url)
    except citus.CitusError as exc:
        return f"--citus: {exc}; {START_HINT}"
    return None


def wanted(run, names: list[str]) -> list[str]:
    """Of the scenarios selected for the run, those the cluster runs, in the run's order."""
    chosen = run.args.citus_scenarios
    if chosen == "all":
        return list(names)
    keep = set(chosen.split(",")) if chosen else set(MAIN_SCENARIOS)
    return [name for name in names if name in keep]


def prepare_data(run) -> CitusSide:
    """The cluster's database, migrated, with a complete data set: reused, or loaded anew."""
    from django.core.management import call_command

    url, scale = run.citus_url, run.scale
    host, port = citus.coordinator(url)
    name = f"{data.database_name(url)} on the Citus cluster at {host}:{port}"
    state, dataset = data.inspect(url, scale)
    if run.args.reload and state == "reuse":
        state = "stale"
    if state != "reuse":
        log(f"{'Recreating' if state == 'stale' else 'Creating'} database {name} on every node")
        citus.create_database(url, drop_first=state == "stale")
    with django_on(url):
        call_command("migrate", interactive=False, verbosity=0)
    if state == "reuse":
        log(f"Reusing the {scale.name} data set of {name}, loaded {dataset.loaded_at}")
    else:
        log(f"Loading the {scale.name} data set into {name} with COPY")
        dataset = data.load(url, scale)
        log(f"Loaded on Citus in {dataset.load_seconds:.0f} s (indexes and VACUUM included)")
    return CitusSide(url=url, dataset=dataset, about=describe(url))


def describe(url: str) -> dict:
    """The cluster as the report names it."""
    host, port = citus.coordinator(url)
    with closing(psycopg.connect(url, autocommit=True)) as conn:
        version = conn.execute("SELECT citus_version()").fetchone()[0]  # "Citus 13.2.2 on …"
        shards = conn.execute(
            "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'clientes_cliente'::regclass"
        ).fetchone()[0]
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "database": data.database_name(url),
        "coordinator": f"{host}:{port}",
        "workers": [f"{h}:{p}" for h, p in citus.workers(url)],
        "citus": version.split()[1],
        "postgres": postgres.split()[0],
        "shards_per_table": shards,
    }


def prepare(run, side: CitusSide, scenarios) -> CitusSide | None:
    """The cluster's fixtures and scenarios (those of ``scenarios`` it runs); None if none."""
    from bench import scenarios as sc

    names = wanted(run, [s.name for s in scenarios])
    if not names:
        log("--citus: none of the selected scenarios runs on the cluster")
        return None
    with django_on(side.url):
        side.fixtures = sc.prepare(side.dataset, run.scale)
        side.scenarios = {
            s.name: s for s in sc.build(side.dataset, side.fixtures) if s.name in names
        }
    log(f"On Citus too: {', '.join(names)}")
    return side


def servers(side: CitusSide | None, run) -> list[Server]:
    """The cluster's server, not started (none without ``--citus``)."""
    if side is None:
        return []
    side.server = make_citus_server(side.url, run.run_dir)
    side.monitor = psycopg.connect(side.url, autocommit=True)
    return [side.server]


def monitors(side: CitusSide | None) -> list:
    return [side.monitor] if side is not None and side.monitor is not None else []


def check(side: CitusSide | None, servers_, scenarios, latency, notes, problems) -> None:
    """The cluster's server answers each of its scenarios (timed, which sizes its runs); its
    GET answers must be byte-identical to the single server's (same data set, same ids)."""
    if side is None:
        return
    single = {s.name: s for s in scenarios}
    same = gets = 0
    for name, scenario in side.scenarios.items():
        mine = answers_of({CITUS: side.server}, scenario, latency, problems)
        if scenario.method != "GET" or CITUS not in mine:
            continue
        theirs = answers_of({"a": servers_["a"]}, single[name], {}, problems)
        gets += 1
        if mine[CITUS] == theirs.get("a"):
            same += 1
        else:
            problems.append(
                f"{name}: the service's answer on Citus differs from the single server's "
                f"({len(mine[CITUS][0])} vs {len(theirs['a'][0])} bytes)"
            )
    notes.append(
        f"service on Citus: answers byte-identical to the single server's on {same}/{gets} "
        "GET scenarios"
    )


def finish(side: CitusSide | None) -> int:
    """Removes what the write scenarios made on the cluster; returns the customers deleted."""
    if side is None:
        return 0
    from bench import scenarios as sc

    removed = 0
    if side.monitor is not None:
        removed += sc.drop_created(side.monitor, side.dataset)
        side.monitor.close()
    with django_on(side.url):
        removed += sc.cleanup(side.dataset, side.fixtures, final=True)
    return removed
