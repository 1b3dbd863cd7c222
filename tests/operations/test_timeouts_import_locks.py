"""An import holding a customer's row lock while the API updates that customer, against a real
gunicorn (production config) serving the test database.

With a short lock timeout the API answers 409 JSON at once, with a short statement timeout
503 JSON with Retry-After; neither hangs the worker nor writes anything, reads go on, and the
import then commits as if nothing had happened. (The configuration and the in-process
mapping are in ``test_timeouts.py``.)
"""

import io
import os
import tempfile
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from clientes.models import Cliente
from devtools.databases import database_url
from devtools.servers import Gunicorn
from tenants.api import ratelimit
from tenants.services import token_issue
from tests.auth.helpers import CLIENTES
from tests.factories import make_cliente, make_tenant, make_user
from tests.operations.helpers import migrated

OCUPADO = {"error": "El recurso está ocupado; intente de nuevo"}
LENTO = {"error": "La operación tardó demasiado; intente de nuevo más tarde"}
SHORT_MS = 300


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    """Two one-worker servers: one with a short lock timeout, one with a short statement
    timeout (and no lock timeout, so the statement limit is what ends the wait)."""
    with django_db_blocker.unblock():
        migrated()
    url = database_url(connection.settings_dict)
    lock = Gunicorn(url, workers=1, env={"DB_LOCK_TIMEOUT_MS": str(SHORT_MS)})
    statement = Gunicorn(
        url, workers=1, env={"DB_STATEMENT_TIMEOUT_MS": str(SHORT_MS), "DB_LOCK_TIMEOUT_MS": "0"}
    )
    with lock, statement:
        yield {"lock": lock, "statement": statement}
    with django_db_blocker.unblock():
        ratelimit.clear()


class HeldImport:
    """``import_clientes`` reading a named pipe, in a thread: once the first batch (1,000
    rows, the first one updating ``documento``'s customer) is in, it waits for more input
    with that customer's row locked, until ``finish()`` ends the file."""

    ROWS = 1000

    def __init__(self, tenant, documento: str):
        self.directory = tempfile.mkdtemp(prefix="import-fifo-")
        self.fifo = os.path.join(self.directory, "clientes.csv")
        os.mkfifo(self.fifo)
        self.tenant, self.documento = tenant, documento
        self.out, self.error = io.StringIO(), None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            call_command(
                "import_clientes",
                "--tenant",
                self.tenant.slug,
                self.fifo,
                stdout=self.out,
                stderr=io.StringIO(),
            )
        except Exception as exc:  # reported by finish()
            self.error = exc
        finally:
            connection.close()

    def start(self) -> "HeldImport":
        self.thread.start()
        self.writer = open(self.fifo, "w", encoding="utf-8")  # noqa: SIM115 - closed in finish
        self.writer.write(f"nombre,documento\nImportado,{self.documento}\n")
        self.writer.writelines(f"Nuevo {i},N-{i}\n" for i in range(1, self.ROWS))
        self.writer.flush()
        return self

    def finish(self) -> str:
        if not self.writer.closed:
            self.writer.close()  # end of file: the import commits
        self.thread.join(30)
        os.unlink(self.fifo)
        os.rmdir(self.directory)
        assert not self.thread.is_alive(), "the import did not finish"
        if self.error is not None:
            raise self.error
        return self.out.getvalue()


def row_locked(cliente: Cliente) -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM clientes_cliente WHERE tenant_id = %s AND id = %s FOR UPDATE NOWAIT",
                [cliente.tenant_id, cliente.pk],
            )
    except OperationalError:
        return True
    return False


def wait_until_locked(cliente: Cliente, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not row_locked(cliente):
        assert time.monotonic() < deadline, "the import never locked the customer"
        time.sleep(0.05)


@pytest.fixture
def shop(transactional_db):
    tenant = make_tenant()
    _, key = token_issue(user=make_user(tenant, password=None))
    cliente = make_cliente(tenant, nombre="Original", documento="FIJO-1")
    return tenant, key, cliente


@pytest.mark.parametrize(
    ("server_name", "status", "body"), [("lock", 409, OCUPADO), ("statement", 503, LENTO)]
)
def test_an_update_blocked_by_an_import_answers_at_once_and_writes_nothing(
    servers, shop, server_name, status, body
):
    server = servers[server_name]
    tenant, key, cliente = shop
    held = HeldImport(tenant, cliente.documento).start()
    try:
        wait_until_locked(cliente)

        blocked = server.request(
            "PATCH", f"{CLIENTES}/{cliente.pk}", {"notas": "desde la API"}, token=key
        )
        read = server.request("GET", f"{CLIENTES}/{cliente.pk}", token=key)
    finally:
        output = held.finish()

    assert blocked.status == status, (blocked, server.log())
    assert blocked.body == body
    assert blocked.headers["content-type"].startswith("application/json")
    assert int(blocked.headers["retry-after"]) > 0
    assert blocked.seconds < SHORT_MS / 1000 + 2, blocked  # not the import's whole duration
    # The worker was not hung: reads go on (they take no row lock), during the import too.
    assert read.status == 200 and read.body["nombre"] == "Original", read
    after = server.request("GET", f"{CLIENTES}/{cliente.pk}", token=key)
    assert after.status == 200 and server.alive(), server.log()
    # The import committed everything; the refused update changed nothing.
    assert "1 actualizados" in output and "999 creados" in output, output
    cliente.refresh_from_db()
    assert (cliente.nombre, cliente.notas) == ("Importado", None)
    assert after.body["nombre"] == "Importado"
    assert Cliente.objects.for_tenant(tenant).count() == 1000
