"""The feed is resumable without loss: a consumer that always passes the last ``secuencia``
it received gets every committed event exactly once, while writers commit concurrently and
one transaction stays open for seconds after writing its event (eventos.sequencing says why).

A cursor on the insertion order (the events' ids) fails this test: the held transaction's
event has a small id and commits last, behind a cursor the consumer has already passed.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from clientes.services import cliente_create
from eventos.models import Evento
from tenants.models import User
from tests.clients import token_client
from tests.factories import make_user

WRITERS = 3
PER_WRITER = 15
HELD_SECONDS = 3


@pytest.mark.django_db(transaction=True)
def test_a_polling_consumer_gets_every_event_once_despite_a_late_commit(tenant):
    admin = make_user(tenant, rol=User.Rol.ADMIN)
    held_written = threading.Event()
    writers_done = threading.Event()
    received: list[dict] = []
    errors: list[BaseException] = []

    def guarded(work):
        def run():
            try:
                work()
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        return threading.Thread(target=run)

    def hold_open():
        with transaction.atomic():
            cliente_create(tenant=tenant, nombre="Tarde")
            held_written.set()
            time.sleep(HELD_SECONDS)

    def write(n: int):
        held_written.wait(10)
        for i in range(PER_WRITER):
            cliente_create(tenant=tenant, nombre=f"W{n}-{i}")
            time.sleep(0.01)

    def consume():
        client = token_client(admin)
        despues = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            response = client.get("/api/eventos", {"despues": despues, "limite": 7})
            assert response.status_code == 200, response.content
            page = response.json()
            received.extend(page)
            if page:
                despues = page[-1]["secuencia"]
            elif writers_done.is_set() and len(received) >= 1 + WRITERS * PER_WRITER:
                return
            time.sleep(0.02)

    holder = guarded(hold_open)
    writers = [guarded(lambda n=n: write(n)) for n in range(WRITERS)]
    consumer = guarded(consume)
    for thread in [holder, *writers, consumer]:
        thread.start()
    for thread in [holder, *writers]:
        thread.join(60)
    writers_done.set()
    consumer.join(60)

    assert errors == []
    committed = {f"evt_{e.uid.hex}" for e in Evento.objects.for_tenant(tenant)}
    ids = [e["id"] for e in received]
    assert len(committed) == 1 + WRITERS * PER_WRITER
    assert sorted(ids) == sorted(committed)  # every one, none twice
    secuencias = [e["secuencia"] for e in received]
    assert secuencias == sorted(secuencias) == list(range(1, len(committed) + 1))
    # The held event was written first and committed last: it came after the writers'.
    late = next(e for e in received if e["datos"]["nombre"] == "Tarde")
    assert late["secuencia"] > 1
