"""The worker as operators run it (``manage.py worker`` in its own process): ``SIGTERM`` lets
the delivery in flight finish; a worker killed in the middle of one loses nothing, another
worker sends it again (at least once, under the same ``webhook-id``); a worker whose database
connections are cut reconnects and goes on."""

import os
import secrets
import signal
import subprocess
import sys
import time

import orjson
import pytest
from django.db import connection

from devtools.databases import database_url
from devtools.servers import BASE_DIR
from tests.factories import make_cliente
from webhooks.models import Entrega

pytestmark = pytest.mark.django_db(transaction=True)


def start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "WEBHOOKS_ALLOW_HTTP": "1",
        "WEBHOOKS_ALLOW_PRIVATE": "1",
        "WORKER_STALLED_SECONDS": "2",
    }
    env.pop("DJANGO_EMBEDDED_DB", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(condition, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def the_delivery(tenant) -> Entrega:
    return Entrega.objects.for_tenant(tenant).get()


@pytest.fixture
def subscribed(admin_api, receiver, local_urls):
    response = admin_api.post("/api/webhooks", {"url": receiver.url, "tipos": ["*"]}, format="json")
    assert response.status_code == 201
    return receiver


def test_sigterm_lets_the_delivery_in_flight_finish(tenant, subscribed, worker_connections_closed):
    subscribed.delay = 3
    make_cliente(tenant, nombre="Ana")
    worker = start_worker()
    try:
        wait_for(lambda: subscribed.requests)  # the receiver is answering, slowly

        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    finally:
        worker.kill()

    assert the_delivery(tenant).estado == "entregada"
    assert len(subscribed.requests) == 1


def test_a_killed_worker_loses_nothing(tenant, subscribed, worker_connections_closed):
    subscribed.delay = 3
    make_cliente(tenant, nombre="Ana")
    first = start_worker()
    try:
        wait_for(lambda: subscribed.requests)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # mid-delivery: no goodbye, no commit
        first.wait(10)
    assert the_delivery(tenant).estado == "pendiente"

    subscribed.delay = 0
    second = start_worker()
    try:
        wait_for(lambda: the_delivery(tenant).estado == "entregada", timeout=60)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    ids = {request.headers["webhook-id"] for request in subscribed.requests}
    assert len(subscribed.requests) >= 2 and len(ids) == 1


def test_a_worker_that_loses_the_database_reconnects(tenant, subscribed, worker_connections_closed):
    make_cliente(tenant, nombre="Antes")
    worker = start_worker()
    try:
        wait_for(lambda: len(subscribed.requests) == 1)
        with connection.cursor() as cursor:  # every connection but this test's: the worker's
            cursor.execute(
                "SELECT pg_terminate_backend(pid::integer) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        make_cliente(tenant, nombre="Después")

        wait_for(lambda: len(subscribed.requests) == 2, timeout=60)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)

    names = [orjson.loads(request.body)["datos"]["nombre"] for request in subscribed.requests]
    assert names == ["Antes", "Después"]
