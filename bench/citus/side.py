"""The Citus side of a run: the cluster's data set, fixtures and scenarios, its server (a fourth
one in the rounds), its checks and its undoing (bench/README.md, "On Citus")."""

from contextlib import closing
from dataclasses import dataclass, field

import psycopg

from bench import log
from bench.citus import database
from bench.data import dataset as data
from bench.inprocess import django_on
from bench.scenarios import registry
from bench.servers import CITUS, Server
from bench.validate import answers_of

START_HINT = (
    "start it with `bash ../shared/citus/citus-cluster.sh start /tmp/clientes-citus 9700 9701 9702`"
)


@dataclass
class CitusSide:
    url: str
    dataset: data.Dataset
    fixtures: dict = field(default_factory=dict)
    scenarios: dict = field(default_factory=dict)  # name -> its Scenario there
    about: dict = field(default_factory=dict)  # nodes, versions, shards (for the report)
    server: Server | None = None
    monitor: psycopg.Connection | None = None
    rss: dict = field(default_factory=dict)


def unusable(url: str) -> str | None:
    """Why the cluster of ``url`` cannot be used, or None."""
    try:
        database.workers(url)
    except database.CitusError as exc:
        return f"--citus: {exc}; {START_HINT}"
    return None


def prepare_data(run) -> CitusSide:
    """The cluster's database, migrated, with a complete data set: reused, or loaded anew."""
    from django.core.management import call_command

    def migrate():
        with django_on(run.citus_url):
            call_command("migrate", interactive=False, verbosity=0)

    where = "{} on the Citus cluster at {}:{}".format(
        data.database_name(run.citus_url), *database.coordinator(run.citus_url)
    )
    dataset = data.ensure(
        run.citus_url, run.scale, run.reload, database.create_database, migrate, where
    )
    return CitusSide(url=run.citus_url, dataset=dataset, about=describe(run.citus_url))


def describe(url: str) -> dict:
    """The cluster as the report names it."""
    with closing(psycopg.connect(url, autocommit=True)) as conn:
        version = conn.execute("SELECT citus_version()").fetchone()[0]  # "Citus 13.2.2 on …"
        shards = conn.execute(
            "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'clientes_cliente'::regclass"
        ).fetchone()[0]
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "database": data.database_name(url),
        "coordinator": "{}:{}".format(*database.coordinator(url)),
        "workers": [f"{h}:{p}" for h, p in database.workers(url)],
        "citus": version.split()[1],
        "postgres": postgres.split()[0],
        "shards_per_table": shards,
    }


def prepare(run, side: CitusSide, scenarios) -> CitusSide | None:
    """The cluster's fixtures and its scenarios (``--citus-scenarios``, else the main ones)."""
    chosen = run.citus_scenarios
    keep = set(chosen.split(",")) if chosen else {s.name for s in scenarios if s.citus}
    names = [s.name for s in scenarios if chosen == "all" or s.name in keep]
    if not names:
        log("--citus: none of the selected scenarios runs on the cluster")
        return None
    with django_on(side.url):
        side.fixtures = registry.prepare(side.dataset, run.scale)
        side.scenarios = {
            s.name: s for s in registry.build(side.dataset, side.fixtures, set(names))
        }
    log(f"On Citus too: {', '.join(names)}")
    return side


def servers(side: CitusSide | None, run) -> list[Server]:
    """The cluster's server, not started (none without ``--citus``)."""
    if side is None:
        return []
    side.server = Server(CITUS, side.url, run.run_dir)
    side.monitor = psycopg.connect(side.url, autocommit=True)
    return [side.server]


def check(side: CitusSide | None, servers_, scenarios, latency, notes, problems) -> None:
    """The cluster's server answers each of its scenarios (timed, which sizes its runs); its
    GET answers must be byte-identical to the single server's (same data set, same ids)."""
    if side is None:
        return
    single = {s.name: s for s in scenarios}
    same = gets = 0
    for name, scenario in side.scenarios.items():
        mine = answers_of({CITUS: side.server}, scenario, latency, problems).get(CITUS)
        if scenario.method != "GET" or mine is None:
            continue
        theirs = answers_of({"a": servers_["a"]}, single[name], {}, problems).get("a")
        gets += 1
        same += mine == theirs
        if mine != theirs:
            problems.append(
                f"{name}: the service's answer on Citus differs from the single server's "
                f"({len(mine[0])} vs {len(theirs[0])} bytes)"
            )
    notes.append(
        f"service on Citus: answers byte-identical to the single server's on {same}/{gets} "
        "GET scenarios"
    )


def finish(side: CitusSide | None) -> int:
    """Removes what the scenarios made on the cluster; the customers deleted."""
    if side is None or side.monitor is None:
        return 0
    with side.monitor:
        return registry.finish(side.monitor, side.dataset, side.fixtures)
