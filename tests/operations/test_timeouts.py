"""Database time limits: web requests never hang behind locks; commands get longer limits.

- Web connections start with ``statement_timeout`` / ``lock_timeout`` from
  ``DB_STATEMENT_TIMEOUT_MS`` / ``DB_LOCK_TIMEOUT_MS``; ``manage.py`` commands (migrate,
  import_clientes, export_clientes, export_ventas, ...) with the ``DB_COMMAND_*`` ones.
- A lock timeout answers 409 JSON, a statement timeout 503 JSON with Retry-After.

The import holding locks against a real gunicorn is ``test_timeouts_import_locks.py``.
"""

import os
import subprocess

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from psycopg import errors as pg_errors

from clientes import selectors
from config import db_timeouts
from devtools.databases import database_url
from tests.auth.helpers import CLIENTES, assert_json_error
from tests.operations.helpers import run_project

OCUPADO = {"error": "El recurso está ocupado; intente de nuevo"}
LENTO = {"error": "La operación tardó demasiado; intente de nuevo más tarde"}


def session_limits(conn=connection) -> tuple[str, str]:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')"
        )
        return cursor.fetchone()


def as_shown(ms: int) -> str:
    """How PostgreSQL shows a limit of ``ms`` milliseconds (the largest exact unit)."""
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1000)):
        if ms and ms % size == 0:
            return f"{ms // size}{unit}"
    return f"{ms}ms" if ms else "0"


# --- Configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [(None, 7), ("", 7), ("0", 0), (" 2500 ", 2500)])
def test_milliseconds_are_read_from_the_environment(raw, expected):
    assert db_timeouts.parse_milliseconds("X_MS", raw, 7) == expected


@pytest.mark.parametrize("raw", ["-1", "1.5", "15s", "abc"])
def test_a_bad_value_stops_the_start_up_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="DB_LOCK_TIMEOUT_MS"):
        db_timeouts.parse_milliseconds("DB_LOCK_TIMEOUT_MS", raw, 5000)


def test_the_environment_gives_both_pairs_of_limits_with_the_defaults():
    assert db_timeouts.from_environment({}) == {"web": (15000, 5000), "command": (0, 60000)}
    assert db_timeouts.from_environment(
        {"DB_LOCK_TIMEOUT_MS": "250", "DB_COMMAND_STATEMENT_TIMEOUT_MS": "900000"}
    ) == {"web": (15000, 250), "command": (900000, 60000)}


def test_the_limits_follow_the_url_s_own_options_and_the_process_kind():
    limits = {"web": (1, 2), "command": (3, 4)}
    database = {"OPTIONS": {"options": "-c work_mem=8MB"}}

    assert db_timeouts.startup_options(limits, database, ["gunicorn"]) == (
        "-c work_mem=8MB -c statement_timeout=1 -c lock_timeout=2"
    )
    assert db_timeouts.startup_options(limits, {}, ["manage.py", "migrate"]) == (
        "-c statement_timeout=3 -c lock_timeout=4"
    )


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["manage.py", "migrate"], True),
        (["/srv/app/manage.py", "import_clientes", "--tenant", "t"], True),
        (["/venv/bin/django-admin", "export_ventas"], True),
        (["/venv/lib/python3.11/site-packages/django/__main__.py", "migrate"], True),
        (["manage.py", "runserver"], False),
        (["manage.py"], False),
        (["/venv/bin/gunicorn", "config.wsgi:application"], False),
        (["/venv/bin/pytest", "tests"], False),
        (["/srv/app/bench/__main__.py", "migrate"], False),
    ],
)
def test_management_commands_are_told_from_web_processes(argv, command):
    assert db_timeouts.is_management_command(argv) is command


def test_the_defaults_stay_below_gunicorn_s_worker_timeout():
    statement_ms, lock_ms = db_timeouts.from_environment({})["web"]
    assert 0 < lock_ms < statement_ms < 30_000


@pytest.mark.django_db
def test_web_connections_start_with_the_web_limits():
    statement_ms, lock_ms = settings.DB_TIMEOUTS["web"]
    assert session_limits() == (as_shown(statement_ms), as_shown(lock_ms))


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    database = {"DATABASE_URL": database_url(connection.settings_dict)}
    return run_project("manage.py", *args, env={**os.environ, **database, **env})


SHOW_LIMITS = (
    "from django.db import connection; c = connection.cursor(); "
    "c.execute(\"SELECT current_setting('statement_timeout') || ' ' || "
    "current_setting('lock_timeout')\"); print(c.fetchone()[0])"
)


@pytest.mark.django_db
def test_manage_py_commands_run_with_the_command_limits():
    default = _manage("shell", "-c", SHOW_LIMITS)
    tuned = _manage(
        "shell",
        "-c",
        SHOW_LIMITS,
        DB_COMMAND_STATEMENT_TIMEOUT_MS="600000",
        DB_COMMAND_LOCK_TIMEOUT_MS="0",
    )

    assert default.returncode == 0, default.stderr
    # By default no statement limit, and a minute to wait for a lock.
    assert default.stdout.splitlines()[-1].split() == ["0", "1min"]
    assert tuned.returncode == 0, tuned.stderr
    assert tuned.stdout.splitlines()[-1].split() == ["10min", "0"]


def test_a_bad_limit_in_the_environment_stops_manage_py_with_a_clear_message():
    result = _manage("check", DB_STATEMENT_TIMEOUT_MS="quince")

    assert result.returncode != 0
    assert "DB_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds" in result.stderr


# --- The API's answers -------------------------------------------------------------------------


def _raising(cause: Exception):
    def boom(*args, **kwargs):
        raise OperationalError(str(cause)) from cause

    return boom


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cause", "status", "body"),
    [
        (pg_errors.LockNotAvailable("lock"), 409, OCUPADO),
        (pg_errors.QueryCanceled("slow"), 503, LENTO),
    ],
    ids=["lock-timeout-is-409-busy", "statement-timeout-is-503-too-slow"],
)
def test_a_database_timeout_answers_json_with_retry_after(api, monkeypatch, cause, status, body):
    monkeypatch.setattr(selectors, "cliente_page", _raising(cause))

    response = api.get(CLIENTES)

    assert_json_error(response, status)
    assert response.json() == body
    assert int(response["Retry-After"]) > 0
