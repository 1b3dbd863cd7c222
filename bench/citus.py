"""The bench's database on a Citus cluster: made on every node, dropped on every node.

What ``../shared/citus/citus-cluster.sh createdb`` does, in Python: ``CREATE DATABASE`` on the
coordinator with ``citus.enable_create_database_propagation`` on (Citus makes it on the workers
too), ``CREATE EXTENSION IF NOT EXISTS citus`` on every worker and on the coordinator in the new
database, then, in it, the coordinator's own address (``citus_set_coordinator_host``) and every
worker (``citus_add_node``). The workers are those the coordinator's ``postgres`` database
knows (``pg_dist_node``, as ``citus-cluster.sh start`` registers them). ``migrate`` then
distributes the tables itself.

``DROP DATABASE`` on the coordinator does not reach the workers: ``drop_database`` drops the
database on each worker as well, so that it can be made again. Only a database whose name
contains ``bench`` is ever dropped (the cluster may hold the test suite's databases).
"""

from contextlib import closing

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:9700/clientes_bench_{scale}"
CONNECT_TIMEOUT = 10


class CitusError(RuntimeError):
    """The coordinator is not reachable, not a Citus coordinator, or knows no worker."""


def _settings(url: str) -> dict:
    parsed = dj_database_url.parse(url)
    return {
        "name": parsed["NAME"],
        "user": parsed.get("USER") or None,
        "password": parsed.get("PASSWORD") or None,
        "host": parsed.get("HOST") or "127.0.0.1",
        "port": int(parsed.get("PORT") or 5432),
    }


def _connect(url: str, dbname: str, node: tuple[str, int] | None = None) -> psycopg.Connection:
    """An autocommit connection to ``dbname`` on the coordinator of ``url`` (or on ``node``,
    a (host, port) with the URL's user and password)."""
    s = _settings(url)
    host, port = node or (s["host"], s["port"])
    params = {"user": s["user"], "password": s["password"], "host": host, "port": port}
    return psycopg.connect(
        dbname=dbname,
        **{k: v for k, v in params.items() if v},
        connect_timeout=CONNECT_TIMEOUT,
        autocommit=True,
    )


def coordinator(url: str) -> tuple[str, int]:
    """(host, port) of the coordinator of ``url``."""
    s = _settings(url)
    return s["host"], s["port"]


def _where(url: str) -> str:
    return "{}:{}".format(*coordinator(url))


def workers(url: str) -> list[tuple[str, int]]:
    """(host, port) of every primary worker the coordinator's ``postgres`` database knows."""
    try:
        conn = _connect(url, "postgres")
    except psycopg.OperationalError as exc:
        raise CitusError(f"no Citus coordinator at {_where(url)}: {exc}") from exc
    with closing(conn):
        if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'").fetchone():
            raise CitusError(f"{_where(url)} is not a Citus coordinator (no citus extension)")
        nodes = conn.execute(
            "SELECT nodename, nodeport FROM pg_dist_node "
            "WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport"
        ).fetchall()
    if not nodes:
        raise CitusError(f"the coordinator {_where(url)} has no worker registered")
    return [(host, int(port)) for host, port in nodes]


def _exists(conn: psycopg.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def _check_droppable(name: str) -> None:
    if "bench" not in name:
        raise CitusError(f"refusing to drop {name!r} on the cluster: not a bench database")


def drop_database(url: str) -> None:
    """``DROP DATABASE … WITH (FORCE)`` on the coordinator, then on every worker."""
    name = _settings(url)["name"]
    _check_droppable(name)
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    for node in [None, *workers(url)]:
        with closing(_connect(url, "postgres", node)) as conn:
            conn.execute(statement)


def create_database(url: str, *, drop_first: bool = False) -> bool:
    """The database of ``url`` on every node, with the extension and the workers registered;
    True when it was created (``drop_first``: dropped everywhere before)."""
    name = _settings(url)["name"]
    nodes = workers(url)
    if drop_first:
        drop_database(url)
    with closing(_connect(url, "postgres")) as conn:
        created = not _exists(conn, name)
        if created:
            # A worker's copy left by a drop on the coordinator alone would stop the propagation.
            for node in nodes:
                with closing(_connect(url, "postgres", node)) as worker:
                    if _exists(worker, name):
                        _check_droppable(name)
                        worker.execute(
                            sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
                        )
            conn.execute("SET citus.enable_create_database_propagation TO on")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    for node in [*nodes, None]:
        with closing(_connect(url, name, node)) as conn:
            conn.execute("SET client_min_messages TO warning")
            conn.execute("CREATE EXTENSION IF NOT EXISTS citus")
    register(url, nodes)
    return created


def register(url: str, nodes: list[tuple[str, int]]) -> None:
    """In the database of ``url``: the coordinator's address and ``nodes`` as its workers
    (idempotent: the coordinator's row is updated, workers already known are skipped)."""
    host, port = coordinator(url)
    with closing(_connect(url, _settings(url)["name"])) as conn:
        conn.execute("SELECT citus_set_coordinator_host(%s, %s)", [host, port])
        for worker_host, worker_port in nodes:
            conn.execute(
                "SELECT citus_add_node(%s, %s) WHERE NOT EXISTS (SELECT 1 FROM pg_dist_node "
                "WHERE nodename = %s AND nodeport = %s)",
                [worker_host, worker_port, worker_host, worker_port],
            )


def nodes_of(url: str) -> list[int]:
    """The ports of the nodes the database of ``url`` knows (for the report)."""
    with closing(_connect(url, _settings(url)["name"])) as conn:
        rows = conn.execute("SELECT nodeport FROM pg_dist_node ORDER BY nodeport").fetchall()
    return [port for (port,) in rows]
