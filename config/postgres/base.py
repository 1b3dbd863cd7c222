"""Django's PostgreSQL backend with a health check that costs no round trip, and a cursor that
never prepares a pattern's statement (``PatternAwareCursor``).

``CONN_HEALTH_CHECKS`` makes Django check a persistent connection before its first query in
each request; the stock check is a ``SELECT 1``, one round trip on every request. This one
asks the socket instead: an idle connection the server has not spoken on is alive; one the
server closed (a restart, ``pg_terminate_backend``, a proxy dropping it) has its notice or
end-of-file waiting to be read, so it is closed and the request opens a new one. A connection
silently lost in the network is not seen by either check; the keepalives in the settings and
``connect_timeout`` bound that case.

The check after an error in a request (``errors_occurred``) keeps Django's ``SELECT 1``.

On a Citus coordinator, the ``lock_timeout`` a connection starts with bounds its own lock
waits but not the ones on the workers, where the rows are: the coordinator's connections to
the workers do not inherit it. Citus forwards ``SET LOCAL`` to them when
``citus.propagate_set_commands`` is ``local``, so there every transaction starts with
``SET LOCAL lock_timeout`` to the connection's own value (one statement per transaction, on
Citus only; found out once per connection).
"""

import select

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq, sql


class PatternAwareCursor(base.ServerBindingCursor):
    """Django's cursor binding parameters in the server, whose statements psycopg prepares
    once run often enough (``DB_PREPARE_THRESHOLD``), except a statement with a ``LIKE``.

    A prepared statement may run a generic plan, one for every value of its parameters. A
    pattern's best plan depends on the pattern itself (a common term wants the newest rows
    read in order until the page fills, a rare one the trigram index), so the customers'
    search is planned for its term every time, as with client-side binding: a generic plan
    made the common search 0.67 → 0.46 of the floor (bench/README.md)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and "LIKE " in query:
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    # ``SET LOCAL lock_timeout = …`` for the workers, on a Citus coordinator; else None.
    worker_lock_timeout: sql.Composed | None = None
    # Whether the database is a Citus coordinator (known once connected).
    citus: bool = False

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = PatternAwareCursor
        return params

    def init_connection_state(self):
        super().init_connection_state()
        lock_timeout, citus = self.connection.execute(
            "SELECT current_setting('lock_timeout'), "
            "EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')"
        ).fetchone()
        self.worker_lock_timeout = None
        self.citus = bool(citus)
        if citus:
            self.connection.execute("SET citus.propagate_set_commands TO 'local'")
            self.worker_lock_timeout = sql.SQL("SET LOCAL lock_timeout = {}").format(
                sql.Literal(lock_timeout)
            )

    def _set_autocommit(self, autocommit):
        super()._set_autocommit(autocommit)
        if not autocommit and self.worker_lock_timeout is not None:
            with self.wrap_database_errors:
                self.connection.execute(self.worker_lock_timeout)

    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not socket_looks_alive(self.connection):
            self.close()
        self.health_check_done = True


def socket_looks_alive(connection) -> bool:
    """Whether an idle psycopg connection is open and the server has sent nothing unasked."""
    if connection.closed or connection.pgconn.status != pq.ConnStatus.OK:
        return False
    poller = select.poll()
    try:
        poller.register(connection.pgconn.socket, select.POLLIN | select.POLLPRI)
    except (OSError, ValueError, psycopg.OperationalError):
        return False
    # Anything to read on an idle connection is the server closing it (or, rarely, an
    # asynchronous parameter report): either way a fresh connection is the safe answer.
    return not poller.poll(0)
