"""The project's commands and programs, run as an operator would run them."""

import io
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROOT = Path(__file__).resolve().parents[2]


def migrated() -> None:
    """The latest schema, for a server started on the test database (a migration test earlier
    in the run may have left an older one)."""
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(targets):
        executor.migrate(targets)


def run_command(*args: str, **options) -> tuple[str, str]:
    """``manage.py *args`` in this process (and its test database): what it wrote to stdout
    and to stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def command_output(*args: str) -> str:
    """What ``manage.py *args`` wrote to stdout."""
    return run_command(*args)[0]


def run_project(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    """``python *args`` in the project's root with ``env`` as its whole environment; its output
    as text, and its exit status returned rather than raised."""
    return subprocess.run(  # noqa: S603 - the tests' own command lines
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
