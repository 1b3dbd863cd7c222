"""The request-rate counters shared by every worker when there is no Redis: one PostgreSQL row
per throttle key (scope and client), in the UNLOGGED table created by ``tenants.0004``:
``tenants_ratelimit (key text PRIMARY KEY, bucket bigint, hits integer, expires_at float8)``.

Counting a request is one statement, an upsert that PostgreSQL serializes on the key's row::

    INSERT ... ON CONFLICT (key) DO UPDATE SET hits = hits + 1 (or 1 in a new window) RETURNING

so concurrent requests, in any number of processes, never lose a count (unlike
``DatabaseCache.incr``, a read then a write). A key's row is reused from one window to the
next; rows of keys not seen since their window ended are deleted by every ``PRUNE_EVERY``-th
request of a process. UNLOGGED: no WAL is written for the counters and a crash empties them,
which only restarts the current windows. ``FILLFACTOR`` leaves room for in-page updates.
"""

import itertools
import time

from django.db import connections

TABLE = "tenants_ratelimit"
PRUNE_EVERY = 1000

# A clock running behind another worker's (an older bucket) counts in the newer window.
COUNT_CONFLICT_SQL = """
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN c.bucket >= EXCLUDED.bucket THEN c.hits + 1 ELSE 1 END,
    bucket = GREATEST(c.bucket, EXCLUDED.bucket),
    expires_at = GREATEST(c.expires_at, EXCLUDED.expires_at)
RETURNING hits
"""
INSERT_SQL = f"INSERT INTO {TABLE} AS c (key, bucket, hits, expires_at)"
_HIT_SQL = f"{INSERT_SQL} VALUES (%s, %s, 1, %s) {COUNT_CONFLICT_SQL}"

_requests = itertools.count(1)


def hit(key: str, bucket: int, expires_at: float, *, using: str = "default") -> int:
    """Count one request for ``key`` in window number ``bucket`` (which ends at
    ``expires_at``, Unix time); returns the window's count, this request included.

    One statement, on the request's own connection. Requests run in autocommit (no
    ``ATOMIC_REQUESTS``), so it commits at once and holds the key's row lock for no longer
    than the statement itself.
    """
    with connections[using].cursor() as cursor:
        cursor.execute(_HIT_SQL, [key, bucket, expires_at])
        hits = cursor.fetchone()[0]
        prune_now_and_then(cursor)
    return hits


def prune_now_and_then(cursor) -> None:
    """Every ``PRUNE_EVERY``-th count of the process (``hit`` or a statement that counts as
    part of another, e.g. the token lookup) deletes the expired counters."""
    if next(_requests) % PRUNE_EVERY == 0:
        _prune(cursor, time.time())


def _prune(cursor, now: float) -> int:
    cursor.execute(f"DELETE FROM {TABLE} WHERE expires_at < %s", [now])  # noqa: S608
    return cursor.rowcount


def prune(*, now: float | None = None, using: str = "default") -> int:
    """Delete the counters whose window ended before ``now`` (default: now); how many."""
    with connections[using].cursor() as cursor:
        return _prune(cursor, time.time() if now is None else now)


def clear(*, using: str = "default") -> None:
    """Forget every counter (tests, or an operator lifting every limit at once)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant table name
