"""The worker delivers for real: a change committed through the API reaches a live receiver
through ``manage.py worker`` (procrastinate on the test database), signed."""

import orjson
import pytest
import standardwebhooks
from django.core.management import call_command

from eventos.tasks import secuenciar_eventos
from tests.eventos.helpers import defer_periodic
from webhooks.models import Entrega
from webhooks.tasks import repartir_entregas


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_reaches_the_receiver_through_the_worker(
    admin_api, tenant, receiver, local_urls, worker_connections_closed
):
    hook = admin_api.post(
        "/api/webhooks", {"url": receiver.url, "tipos": ["cliente.creado"]}, format="json"
    ).json()
    admin_api.post("/api/clientes", {"nombre": "Ana"}, format="json")
    # What the periodic jobs do every second, one after the other here (a worker run once
    # stops as soon as it finds the queue empty).
    defer_periodic(secuenciar_eventos, timestamp=1)
    call_command("worker", "--una-vez")
    defer_periodic(repartir_entregas, timestamp=1)
    call_command("worker", "--una-vez")  # fans out and defers the delivery's job
    call_command("worker", "--una-vez")  # runs it, if the previous run stopped before

    [request] = receiver.requests
    body = standardwebhooks.Webhook(hook["secreto"]).verify(request.body, request.headers)
    assert body["tipo"] == "cliente.creado" and body["datos"]["nombre"] == "Ana"
    assert orjson.loads(request.body)["secuencia"] == 1
    assert Entrega.objects.for_tenant(tenant).get().estado == "entregada"
