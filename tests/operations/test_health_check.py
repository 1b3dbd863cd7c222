"""The per-request health check of persistent connections (``config.postgres``) asks the
socket, not the server: no round trip for a live connection, and a connection the server
closed is replaced before the request's first query."""

import time

import psycopg
import pytest
from django.db import connection

from config.postgres.base import socket_looks_alive
from devtools.databases import database_url

pytestmark = pytest.mark.django_db(transaction=True)


def own_connection() -> psycopg.Connection:
    return psycopg.connect(database_url(connection.settings_dict), autocommit=True)


def terminate(victim: psycopg.Connection) -> None:
    with own_connection() as killer:
        # ::integer: Citus adds an overload that makes a bare parameter ambiguous.
        killer.execute("SELECT pg_terminate_backend(%s::integer)", [victim.info.backend_pid])


def until(predicate, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_an_idle_live_connection_looks_alive():
    with own_connection() as conn:
        conn.execute("SELECT 1")

        assert socket_looks_alive(conn)


def test_a_connection_the_server_terminated_does_not():
    conn = own_connection()
    terminate(conn)

    assert until(lambda: not socket_looks_alive(conn))
    conn.close()


def test_a_closed_connection_does_not():
    conn = own_connection()
    conn.close()

    assert not socket_looks_alive(conn)


def test_the_health_check_sends_nothing_to_the_server(monkeypatch):
    connection.ensure_connection()
    sent = []
    monkeypatch.setattr(connection, "is_usable", lambda: sent.append("SELECT 1") or True)
    connection.health_check_enabled, connection.health_check_done = True, False

    connection.close_if_health_check_failed()

    assert sent == [] and connection.connection is not None and connection.health_check_done


def test_a_terminated_connection_is_replaced_before_the_next_query():
    connection.ensure_connection()
    old_pid = connection.connection.info.backend_pid
    terminate(connection.connection)
    assert until(lambda: not socket_looks_alive(connection.connection))
    connection.health_check_enabled, connection.health_check_done = True, False

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        new_pid = cursor.fetchone()[0]

    assert new_pid != old_pid
