"""The bench's database on a Citus cluster, made and dropped on every node, as
``../shared/citus/citus-cluster.sh createdb`` does (bench/README.md, "On Citus"). Only a
database whose name contains ``bench`` is ever dropped."""

from contextlib import closing

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:9700/clientes_bench_{scale}"


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
    """Autocommit, to ``dbname`` on the coordinator of ``url`` (or on ``node``, a worker)."""
    s = _settings(url)
    host, port = node or (s["host"], s["port"])
    params = {"user": s["user"], "password": s["password"], "host": host, "port": port}
    return psycopg.connect(
        dbname=dbname, **{k: v for k, v in params.items() if v}, connect_timeout=10, autocommit=True
    )


def coordinator(url: str) -> tuple[str, int]:
    s = _settings(url)
    return s["host"], s["port"]


def workers(url: str) -> list[tuple[str, int]]:
    """(host, port) of every primary worker the coordinator's ``postgres`` database knows."""
    where = "{}:{}".format(*coordinator(url))
    try:
        conn = _connect(url, "postgres")
    except psycopg.OperationalError as exc:
        raise CitusError(f"no Citus coordinator at {where}: {exc}") from exc
    with closing(conn):
        if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'").fetchone():
            raise CitusError(f"{where} is not a Citus coordinator (no citus extension)")
        nodes = conn.execute(
            "SELECT nodename, nodeport FROM pg_dist_node "
            "WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeport"
        ).fetchall()
    if not nodes:
        raise CitusError(f"the coordinator {where} has no worker registered")
    return [(host, int(port)) for host, port in nodes]


def _exists(conn: psycopg.Connection, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    )


def _drop(conn: psycopg.Connection, name: str) -> None:
    if "bench" not in name:
        raise CitusError(f"refusing to drop {name!r} on the cluster: not a bench database")
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def create_database(url: str, *, drop_first: bool = False) -> bool:
    """The database of ``url`` on every node, with the extension and the workers registered;
    True when it was created (``drop_first``: dropped everywhere before)."""
    name = _settings(url)["name"]
    nodes = workers(url)
    if drop_first:  # on the coordinator, then on every worker (the drop does not reach them)
        for node in [None, *nodes]:
            with closing(_connect(url, "postgres", node)) as conn:
                _drop(conn, name)
    with closing(_connect(url, "postgres")) as conn:
        created = not _exists(conn, name)
        if created:
            # A worker's copy left by a drop on the coordinator alone would stop the propagation.
            for node in nodes:
                with closing(_connect(url, "postgres", node)) as worker:
                    if _exists(worker, name):
                        _drop(worker, name)
            conn.execute("SET citus.enable_create_database_propagation TO on")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    for node in [*nodes, None]:
        with closing(_connect(url, name, node)) as conn:
            conn.execute("SET client_min_messages TO warning")
            conn.execute("CREATE EXTENSION IF NOT EXISTS citus")
    # In the new database: the coordinator's own address and every worker (idempotent).
    with closing(_connect(url, name)) as conn:
        conn.execute("SELECT citus_set_coordinator_host(%s, %s)", list(coordinator(url)))
        for host, port in nodes:
            conn.execute(
                "SELECT citus_add_node(%s, %s) WHERE NOT EXISTS (SELECT 1 FROM pg_dist_node "
                "WHERE nodename = %s AND nodeport = %s)",
                [host, port, host, port],
            )
    return created
