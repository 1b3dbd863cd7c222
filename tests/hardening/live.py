"""Helpers of the races against the live service (``test_sales_races.py``,
``test_sales_idempotency_races.py``): concurrent HTTP requests released by a barrier, and a
row held locked from another database connection so that requests pile up behind it.

- ``Call``: one request (method, path, token, JSON body, ``Idempotency-Key``).
- ``run_concurrently(server, calls)``: every call in its own thread, on its own connection
  opened before the barrier; the replies in the order of ``calls``.
- ``run_gated(server, calls, lock)``: the same while ``lock`` (``row_lock()``,
  ``numeracion_row()``) is held, until as many requests as the server has workers wait on a
  lock in PostgreSQL (or ``until(futures)`` returns); then the row is released.
- ``Live``: the server of a test, which sends the calls above (``live.run_gated(calls,
  lock)``, ...); ``assert_clean_log()``: its log since the test began shows no deadlock, no
  5xx, no traceback and no killed worker.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from devtools.databases import database_url
from devtools.servers import Gunicorn
from tenants.migration_operations import citus_installed
from tenants.models import User
from tests.factories import make_token, make_user

WORKERS = 6
BARRIER_TIMEOUT = 30
REQUEST_TIMEOUT = 90
PILE_UP_TIMEOUT = 30  # how long the gate waits for the requests to queue behind it
LOG_PROBLEMS = ("deadlock", '"status":5', "traceback", "worker timeout", "[critical]")


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: calls are dict keys
class Call:
    method: str
    path: str
    token: str
    body: dict | None = None
    key: str | None = None  # Idempotency-Key


@dataclass
class Reply:
    status: int
    content: bytes
    headers: dict[str, str]  # lower-case names

    def json(self):
        return json.loads(self.content) if self.content else None

    def __repr__(self) -> str:
        replayed = " replayed" if self.headers.get("idempotent-replayed") else ""
        return f"Reply({self.status}{replayed}, {self.content[:160]!r})"


def connect(server: Gunicorn) -> http.client.HTTPConnection:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
    conn.connect()
    return conn


def send(conn: http.client.HTTPConnection, call: Call) -> Reply:
    headers = {"Accept": "application/json", "Authorization": f"Token {call.token}"}
    payload = None
    if call.body is not None:
        payload = json.dumps(call.body).encode()
        headers["Content-Type"] = "application/json"
    if call.key is not None:
        headers["Idempotency-Key"] = call.key
    try:
        conn.request(call.method, call.path, body=payload, headers=headers)
        response = conn.getresponse()
        content = response.read()
        return Reply(response.status, content, {k.lower(): v for k, v in response.getheaders()})
    finally:
        conn.close()


def request(server: Gunicorn, call: Call) -> Reply:
    return send(connect(server), call)


def start_concurrently(pool: ThreadPoolExecutor, server: Gunicorn, calls: list[Call]):
    """Submit every call; each thread connects, waits on the barrier, then sends."""
    barrier = threading.Barrier(len(calls), timeout=BARRIER_TIMEOUT)

    def worker(call: Call) -> Reply:
        conn = connect(server)
        barrier.wait()
        return send(conn, call)

    return [pool.submit(worker, call) for call in calls]


def run_concurrently(server: Gunicorn, calls: list[Call]) -> list[Reply]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = start_concurrently(pool, server, calls)
        return [future.result(timeout=3 * REQUEST_TIMEOUT) for future in futures]


# --- holding a row ---------------------------------------------------------------------------
def row_lock(row) -> tuple[str, list]:
    """The row of a tenant-owned model instance (by tenant and id, as its key reads)."""
    table = row._meta.db_table
    return (
        f"SELECT 1 FROM {table} WHERE tenant_id = %s AND id = %s FOR UPDATE",  # noqa: S608
        [row.tenant_id, row.pk],
    )


def numeracion_row(tenant, tipo: str) -> tuple[str, list]:
    """The numbering counter of ``tenant`` for ``tipo`` (e.g. ``ventas.venta``)."""
    return (
        "SELECT 1 FROM documentos_numeracion WHERE tenant_id = %s AND tipo = %s FOR UPDATE",
        [tenant.pk, tipo],
    )


@contextmanager
def holding(lock: tuple[str, list]):
    """The row of ``lock`` locked by another connection of this process until the block ends."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        with raw.cursor() as cursor:
            cursor.execute(*lock)
            assert cursor.fetchone(), f"no row to lock: {lock}"
        yield
    finally:
        raw.rollback()
        raw.close()


def waiting_on_locks() -> int:
    """Backends of the test database waiting on a heavyweight lock (row, tuple, xact); on
    Citus those of every node (the rows, and so the waits, are on the workers)."""
    activity = "citus_stat_activity" if citus_installed(connection) else "pg_stat_activity"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {activity} "  # noqa: S608 - one of two view names
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def pile_up(count: int) -> Callable[[list[Future]], None]:
    def until(futures: list[Future]) -> None:
        deadline = time.monotonic() + PILE_UP_TIMEOUT
        while waiting_on_locks() < count and time.monotonic() < deadline:
            time.sleep(0.02)

    return until


def answered(count: int) -> Callable[[list[Future]], None]:
    """Wait until ``count`` requests have been answered (the gate still closed)."""

    def until(futures: list[Future]) -> None:
        deadline = time.monotonic() + PILE_UP_TIMEOUT
        pending = set(futures)
        while len(futures) - len(pending) < count and time.monotonic() < deadline:
            _, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)

    return until


def run_gated(
    server: Gunicorn,
    calls: list[Call],
    lock: tuple[str, list],
    until: Callable[[list[Future]], None] | None = None,
) -> list[Reply]:
    """``run_concurrently`` with ``lock``'s row held until ``until(futures)`` returns (by
    default: until as many requests as the server has workers wait on a lock)."""
    until = until or pile_up(min(len(calls), server.workers))
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        with holding(lock):
            futures = start_concurrently(pool, server, calls)
            until(futures)
        return [future.result(timeout=3 * REQUEST_TIMEOUT) for future in futures]


# --- people and the server -------------------------------------------------------------------
def member_token(tenant, **kwargs) -> tuple[User, str]:
    user = make_user(tenant, password=None, **kwargs)  # token only: no password hashing
    return user, make_token(user)


def admin_token(tenant) -> tuple[User, str]:
    return member_token(tenant, rol=User.Rol.ADMIN)


@contextmanager
def serving():
    """gunicorn (production config, ``WORKERS`` sync workers) on the test database; a long
    worker timeout, so a request held behind a locked row is never killed."""
    server = Gunicorn(
        database_url(connection.settings_dict),
        workers=WORKERS,
        env={"GUNICORN_TIMEOUT": "120"},
    ).start()
    try:
        yield server
    finally:
        server.stop()


class Live:
    """The server of the module and where its log stood when the test began."""

    def __init__(self, server: Gunicorn):
        self.server = server
        self.start = server.log_path.stat().st_size

    def request(self, call: Call) -> Reply:
        return request(self.server, call)

    def run_concurrently(self, calls: list[Call]) -> list[Reply]:
        return run_concurrently(self.server, calls)

    def run_gated(self, calls: list[Call], lock: tuple[str, list], until=None) -> list[Reply]:
        return run_gated(self.server, calls, lock, until)

    def log(self) -> str:
        with self.server.log_path.open("rb") as log:
            log.seek(self.start)
            return log.read().decode("utf-8", "replace")

    def assert_clean_log(self) -> None:
        log = self.log()
        assert '"path":"/api/' in log, f"the access log shows no request: {log[-2000:]}"
        lowered = log.lower()
        for problem in LOG_PROBLEMS:
            assert problem not in lowered, f"{problem!r} in the server log:\n{log[-4000:]}"
