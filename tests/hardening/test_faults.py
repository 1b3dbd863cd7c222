"""Database faults against a real gunicorn (production config) serving the test database.

- PostgreSQL terminates the service's connections (``pg_terminate_backend``): the next
  requests succeed, on every worker (``CONN_HEALTH_CHECKS`` reconnects).
- The database becomes unreachable (a proxy between gunicorn and PostgreSQL refuses
  connections, or accepts them and never answers): the API answers 503
  ``{"error": "Servicio no disponible"}`` quickly, ``/readyz`` answers 503 JSON, ``/healthz``
  stays 200, and service resumes with the same gunicorn processes once the database is back.

The servers reach the very database this test process uses (pytest-django's test database),
so the data a test writes (``transactional_db``: committed) is what gunicorn sees.
"""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

from clientes.models import Cliente
from devtools.databases import database_url
from devtools.servers import Answer, Gunicorn
from tenants.services import token_issue
from tests.factories import make_cliente, make_tenant, make_user
from tests.hardening.servers import DbProxy

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 2
NO_DISPONIBLE = {"error": "Servicio no disponible"}
# "Quickly": a refused connection fails at once; a silent database within connect_timeout.
# Either is far below gunicorn's 30 s worker timeout, after which a hung worker is killed.
QUICK_SECONDS = settings.DB_CONNECT_TIMEOUT + 5


def _app_name(kind: str) -> str:
    return f"faults-{kind}-{uuid.uuid4().hex[:8]}"


def _start(url: str) -> Gunicorn:
    return Gunicorn(url, workers=WORKERS).start()


@pytest.fixture(scope="module")
def direct_server(django_db_setup):
    """gunicorn connected straight to the test database, tagged with an application_name."""
    app_name = _app_name("direct")
    server = _start(database_url(connection.settings_dict, application_name=app_name))
    server.application_name = app_name
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxied_server(django_db_setup):
    """gunicorn reaching the test database through a proxy the test can cut."""
    proxy = DbProxy(connection.settings_dict)
    proxy.up()
    app_name = _app_name("proxied")
    url = database_url(
        connection.settings_dict, host="127.0.0.1", port=proxy.port, application_name=app_name
    )
    server = _start(url)
    server.application_name = app_name
    server.proxy = proxy
    yield server
    server.stop()
    proxy.close()


@pytest.fixture
def shop():
    """A tenant with a member, an API token (committed: the server sees them) and a customer."""
    tenant = make_tenant()
    user = make_user(tenant, password=None)
    _, key = token_issue(user=user)
    cliente = make_cliente(tenant, nombre="Cliente fijo", documento="FIJO-1")
    return tenant, key, cliente


# --- helpers ----------------------------------------------------------------------------------


def backends(app_name: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            [connection.settings_dict["NAME"], app_name],
        )
        return {row[0] for row in cursor.fetchall()}


def wait_for(predicate, timeout: float = 10, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def burst(server: Gunicorn, key: str, paths: list[str], *, copies: int = 6) -> list[Answer]:
    """The same GETs sent concurrently, so that every worker gets some of them."""
    requests = [p for p in paths for _ in range(copies)]
    with ThreadPoolExecutor(max_workers=2 * WORKERS + 2) as pool:
        return list(pool.map(lambda p: server.request("GET", p, token=key), requests))


def serve_on_every_worker(
    server: Gunicorn, key: str, paths: list[str], *, old: frozenset[int] = frozenset()
) -> set[int]:
    """Bursts of GETs, every one of which must succeed, until every worker has served some
    and so holds a (new: not in ``old``) persistent database connection; their backend pids.
    """
    for _ in range(10):
        answers = burst(server, key, paths, copies=WORKERS)
        assert [a.status for a in answers] == [200] * len(answers), (answers, server.log())
        if wait_for(lambda: len(backends(server.application_name) - old) >= WORKERS, 1):
            return backends(server.application_name) - old
    pytest.fail(f"not every worker connected: {backends(server.application_name)}\n{server.log()}")


def warm_up(server: Gunicorn, key: str) -> frozenset[int]:
    return frozenset(serve_on_every_worker(server, key, ["/api/clientes"]))


def assert_unavailable(answer: Answer, *, readyz: bool = False) -> None:
    assert answer.status == 503, answer
    assert answer.headers.get("content-type", "").startswith("application/json"), answer
    if readyz:
        assert answer.body["error"] == NO_DISPONIBLE["error"], answer
    else:
        assert answer.body == NO_DISPONIBLE, answer
    assert answer.seconds < QUICK_SECONDS, answer


# --- (a) the database terminates the service's connections ------------------------------------


def test_next_request_succeeds_after_database_terminates_connections(direct_server, shop):
    server = direct_server
    tenant, key, cliente = shop
    before = warm_up(server, key)
    workers_before = server.worker_pids()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"], server.application_name],
        )
        terminated = [row[0] for row in cursor.fetchall()]
    assert len(terminated) == WORKERS and all(terminated), terminated
    assert wait_for(lambda: not (backends(server.application_name) & before)), "still alive"

    # Every request after the cut succeeds, on every worker, reads and writes alike; each
    # worker noticed its dead connection and opened a new one.
    paths = [
        "/api/clientes",
        f"/api/clientes/{cliente.id}",
        f"/api/clientes/{cliente.id}/historial",
    ]
    serve_on_every_worker(server, key, paths, old=before)
    created = server.request("POST", "/api/clientes", {"nombre": "Tras el corte"}, token=key)
    assert created.status == 201, (created, server.log())
    assert server.request("GET", "/readyz").status == 200
    assert Cliente.objects.for_tenant(tenant).filter(nombre="Tras el corte").count() == 1
    # No worker was restarted to get there.
    assert server.alive() and server.worker_pids() == workers_before


# --- (b) the database is unreachable, then back -----------------------------------------------


def _outage_checks(server: Gunicorn, tenant, key: str, cliente) -> None:
    """While the database is out: 503 JSON quickly on the API and /readyz; /healthz is up."""
    paths = ["/api/clientes", f"/api/clientes/{cliente.id}"]
    for answer in burst(server, key, paths, copies=2):
        assert_unavailable(answer)
    assert_unavailable(
        server.request("POST", "/api/clientes", {"nombre": "Durante el corte"}, token=key)
    )
    assert_unavailable(
        server.request("PATCH", f"/api/clientes/{cliente.id}", {"notas": "no"}, token=key)
    )
    assert_unavailable(server.request("GET", "/readyz"), readyz=True)
    healthz = server.request("GET", "/healthz")
    assert healthz.status == 200 and healthz.seconds < QUICK_SECONDS, healthz


def _recovery_checks(server: Gunicorn, tenant, key: str, cliente, workers_before, old_backends):
    """Once the database is back: everything answers again, with the same processes."""
    paths = [
        "/api/clientes",
        f"/api/clientes/{cliente.id}",
        f"/api/clientes/{cliente.id}/historial",
    ]
    serve_on_every_worker(server, key, paths, old=old_backends)
    assert server.request("GET", "/readyz").status == 200
    created = server.request("POST", "/api/clientes", {"nombre": "Tras volver"}, token=key)
    assert created.status == 201, created
    # Nothing was written while the database was out; the gunicorn processes are the same.
    cliente.refresh_from_db()
    assert cliente.notas is None
    assert not Cliente.objects.for_tenant(tenant).filter(nombre="Durante el corte").exists()
    assert server.alive() and server.worker_pids() == workers_before, server.log()


def test_unreachable_database_answers_503_quickly_and_service_resumes(proxied_server, shop):
    server, proxy = proxied_server, proxied_server.proxy
    tenant, key, cliente = shop
    before = warm_up(server, key)
    workers_before = server.worker_pids()

    proxy.down()  # established connections closed, new ones refused
    try:
        _outage_checks(server, tenant, key, cliente)
        # Still down a while later: every request keeps failing fast, none hangs.
        time.sleep(0.5)
        _outage_checks(server, tenant, key, cliente)
    finally:
        proxy.up()

    _recovery_checks(server, tenant, key, cliente, workers_before, before)


def test_silent_database_answers_503_within_connect_timeout(proxied_server, shop):
    """A database host that accepts TCP but never answers: connect_timeout bounds the wait."""
    server, proxy = proxied_server, proxied_server.proxy
    tenant, key, cliente = shop
    before = warm_up(server, key)
    workers_before = server.worker_pids()

    proxy.blackhole()  # established connections closed; new ones accepted, never answered
    try:
        # One request per worker, at the same time: each waits for its own connect attempt.
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            api = pool.submit(server.request, "GET", f"/api/clientes/{cliente.id}", token=key)
            ready = pool.submit(server.request, "GET", "/readyz")
            assert_unavailable(api.result())
            assert_unavailable(ready.result(), readyz=True)
    finally:
        proxy.up()

    _recovery_checks(server, tenant, key, cliente, workers_before, before)
