"""The progress display appears on a terminal only."""

import io

import pytest
from django.core.management import call_command

from clientes.csv_import import BATCH_SIZE
from tests.importexport.helpers import run_import, write_csv

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def many_rows(tmp_path):
    rows = "".join(f"Cliente {n},D{n}\n" for n in range(BATCH_SIZE + 10))
    return write_csv(tmp_path, f"nombre,documento\n{rows}")


def test_progress_is_shown_on_a_terminal_and_cleared_at_the_end(tenant, tmp_path):
    terminal = Terminal()
    call_command(
        "import_clientes",
        "--tenant",
        tenant.slug,
        str(many_rows(tmp_path)),
        stdout=io.StringIO(),
        stderr=terminal,
    )
    shown = terminal.getvalue()
    assert f"línea {BATCH_SIZE + 1:,}".replace(",", ".") in shown
    assert "%" in shown
    assert shown.endswith("\r\x1b[K")


def test_no_progress_when_stderr_is_not_a_terminal(tenant, tmp_path):
    _, err = run_import(tenant, many_rows(tmp_path))
    assert err == ""
