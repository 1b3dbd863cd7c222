"""Time limits of the database sessions: short ones for web requests, longer ones for commands.

PostgreSQL cancels a statement that runs longer than ``statement_timeout`` and one that waits
longer than ``lock_timeout`` for a lock. Both are sent when connecting (libpq ``options``), so
they cost no query:

- web requests (gunicorn, runserver, tests): ``DB_STATEMENT_TIMEOUT_MS`` and
  ``DB_LOCK_TIMEOUT_MS``, below gunicorn's worker timeout, so a request stuck behind an
  import's row locks answers 409/503 (``config.api.exceptions``) instead of hanging its worker;
- management commands (``manage.py migrate``, ``import_clientes``, ``export_clientes``,
  ``export_ventas``, ...): ``DB_COMMAND_STATEMENT_TIMEOUT_MS`` and
  ``DB_COMMAND_LOCK_TIMEOUT_MS``, chosen for the whole process at start-up
  (``is_management_command``), so they cost no query either. A command called from inside
  another process (``call_command`` in tests) keeps that process's limits.

0 means no limit. The setting ``DB_TIMEOUTS`` holds both pairs (``from_environment``).
"""

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Commands that serve web requests: they keep the web limits.
SERVING_COMMANDS = frozenset({"runserver", "testserver"})
# Web requests stay below gunicorn's 30 s worker timeout; commands wait a minute for a lock.
DEFAULTS = {
    "DB_STATEMENT_TIMEOUT_MS": 15000,
    "DB_LOCK_TIMEOUT_MS": 5000,
    "DB_COMMAND_STATEMENT_TIMEOUT_MS": 0,
    "DB_COMMAND_LOCK_TIMEOUT_MS": 60000,
}


def parse_milliseconds(name: str, raw: str | None, default: int) -> int:
    """``raw`` (an environment value) as a whole number of milliseconds >= 0, or ``default``.

    Anything else stops the start-up with a message naming the variable.
    """
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of milliseconds (0 = no limit), not {raw!r}"
        )
    return value


def from_environment(environ=os.environ) -> dict[str, tuple[int, int]]:
    """``{"web": (statement_ms, lock_ms), "command": (statement_ms, lock_ms)}`` from the
    ``DB_*_TIMEOUT_MS`` variables, with the defaults where they are unset."""

    def read(name: str) -> int:
        return parse_milliseconds(name, environ.get(name), DEFAULTS[name])

    return {
        "web": (read("DB_STATEMENT_TIMEOUT_MS"), read("DB_LOCK_TIMEOUT_MS")),
        "command": (read("DB_COMMAND_STATEMENT_TIMEOUT_MS"), read("DB_COMMAND_LOCK_TIMEOUT_MS")),
    }


def startup_options(timeouts: dict, database: dict, argv: list[str] | None = None) -> str:
    """libpq ``options`` for this process (``argv``: web or command limits of ``timeouts``),
    after any ``options`` the database's URL already had."""
    kind = "command" if is_management_command(sys.argv if argv is None else argv) else "web"
    statement_ms, lock_ms = timeouts[kind]
    ours = f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms}"
    existing = database.get("OPTIONS", {}).get("options", "")
    return f"{existing} {ours}".strip() if existing else ours


def is_management_command(argv: list[str]) -> bool:
    """Whether this process is ``manage.py <command>`` / ``django-admin <command>`` (other
    than the development server), i.e. gets the command limits."""
    if len(argv) < 2:
        return False
    program = Path(argv[0])
    is_django = program.name in {"manage.py", "django-admin"} or (
        program.name == "__main__.py" and program.parent.name == "django"
    )
    return is_django and argv[1] not in SERVING_COMMANDS
