"""Deliveries: every event a subscription wants is POSTed to it, signed as the Standard
Webhooks specification says (verified here with the ``standardwebhooks`` library), retried
with backoff under the same ``webhook-id``, and a subscription failing for too long stops."""

import threading
from datetime import timedelta

import orjson
import pytest
import standardwebhooks
from django.utils import timezone

from eventos.sequencing import sequence_events
from tests.factories import make_cliente, make_venta
from webhooks.dispatch import attempt, claim_due, fan_out
from webhooks.models import Entrega, Suscripcion

pytestmark = pytest.mark.django_db

HOOKS = "/api/webhooks"


def subscribe(client, url: str, tipos=("*",)) -> dict:
    response = client.post(HOOKS, {"url": url, "tipos": list(tipos)}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def run_deliveries(tenant) -> list[Entrega]:
    """What the worker does each second: number, fan out, attempt what is due."""
    sequence_events(tenant_id=tenant.pk)
    fan_out()
    return [attempt(tenant_id=t, entrega_id=pk) for t, pk in claim_due()]


def make_due(tenant) -> None:
    Entrega.objects.for_tenant(tenant).exclude(estado="entregada").update(
        proximo_intento=timezone.now()
    )


def test_each_event_is_posted_signed_as_the_feed_shows_it(admin_api, tenant, receiver, local_urls):
    hook = subscribe(admin_api, receiver.url)
    make_cliente(tenant, nombre="Ana")

    [entrega] = run_deliveries(tenant)

    assert (entrega.estado, entrega.intentos, entrega.ultimo_status) == ("entregada", 1, 200)
    [request] = receiver.requests
    body = standardwebhooks.Webhook(hook["secreto"]).verify(request.body, request.headers)
    [evento] = admin_api.get("/api/eventos").json()
    assert body == evento
    assert request.headers["webhook-id"] == evento["id"]
    assert abs(int(request.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 10


def test_a_subscription_gets_only_the_types_it_wants(admin_api, tenant, receiver, local_urls):
    subscribe(admin_api, receiver.url, tipos=["venta.creada"])
    make_venta(tenant, make_cliente(tenant, nombre="Ana"))

    run_deliveries(tenant)

    assert [orjson.loads(r.body)["tipo"] for r in receiver.requests] == ["venta.creada"]


def test_events_before_the_subscription_are_not_sent(admin_api, tenant, receiver, local_urls):
    make_cliente(tenant, nombre="Antes")
    admin_api.get("/api/eventos")  # numbered before the subscription exists
    subscribe(admin_api, receiver.url)
    make_cliente(tenant, nombre="Después")

    run_deliveries(tenant)

    assert [orjson.loads(r.body)["datos"]["nombre"] for r in receiver.requests] == ["Después"]


def test_a_failure_is_retried_on_schedule_with_the_same_webhook_id(
    admin_api, tenant, receiver, local_urls, settings
):
    settings.WEBHOOKS_RETRY_SCHEDULE = [5, 300]
    subscribe(admin_api, receiver.url)
    make_cliente(tenant, nombre="Ana")
    receiver.status = 500

    [first] = run_deliveries(tenant)

    assert (first.estado, first.intentos, first.ultimo_status) == ("pendiente", 1, 500)
    assert first.ultimo_error == "El receptor respondió 500"
    expected = timezone.now() + timedelta(seconds=5)
    assert abs((first.proximo_intento - expected).total_seconds()) < 2
    assert claim_due() == []  # not due yet
    make_due(tenant)
    [second] = run_deliveries(tenant)
    make_due(tenant)
    [third] = run_deliveries(tenant)
    assert (second.intentos, second.estado) == (2, "pendiente")
    assert (third.intentos, third.estado, third.proximo_intento) == (3, "fallida", None)
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    assert len(receiver.requests) == 3


def test_an_unreachable_receiver_is_a_failed_attempt_with_its_reason(admin_api, tenant, local_urls):
    subscribe(admin_api, "http://127.0.0.1:9/nadie")
    make_cliente(tenant, nombre="Ana")

    [entrega] = run_deliveries(tenant)

    assert entrega.ultimo_status is None
    assert entrega.ultimo_error.startswith("No se pudo entregar")


def test_a_receiver_slower_than_the_timeout_is_a_failure(
    admin_api, tenant, receiver, local_urls, settings
):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.5
    receiver.delay = 2
    subscribe(admin_api, receiver.url)
    make_cliente(tenant, nombre="Ana")

    [entrega] = run_deliveries(tenant)

    assert entrega.ultimo_error == "El receptor no respondió a tiempo"
    assert entrega.estado == "pendiente"


def test_an_address_turned_private_is_refused_at_delivery(
    admin_api, tenant, receiver, local_urls, settings
):
    subscribe(admin_api, receiver.url)
    settings.WEBHOOKS_ALLOW_PRIVATE = False  # as if the name now resolved to a local address
    make_cliente(tenant, nombre="Ana")

    [entrega] = run_deliveries(tenant)

    assert receiver.requests == []
    assert entrega.ultimo_error.startswith("La URL apunta a una dirección no permitida")


def test_a_subscription_failing_for_too_long_is_switched_off(
    admin_api, tenant, receiver, local_urls, settings
):
    settings.WEBHOOKS_DISABLE_AFTER_HOURS = 72
    hook = subscribe(admin_api, receiver.url)
    receiver.status = 503
    make_cliente(tenant, nombre="Ana")
    run_deliveries(tenant)
    suscripciones = Suscripcion.objects.for_tenant(tenant)
    assert suscripciones.get().fallando_desde is not None
    suscripciones.update(fallando_desde=timezone.now() - timedelta(hours=73))
    make_due(tenant)

    run_deliveries(tenant)

    assert admin_api.get(f"{HOOKS}/{hook['id']}").json()["activo"] is False


def test_a_success_ends_the_failing_run(admin_api, tenant, receiver, local_urls):
    hook = subscribe(admin_api, receiver.url)
    receiver.status = 500
    make_cliente(tenant, nombre="Ana")
    run_deliveries(tenant)
    receiver.status = 200
    make_due(tenant)

    run_deliveries(tenant)

    assert admin_api.get(f"{HOOKS}/{hook['id']}").json()["fallandoDesde"] is None


def test_re_enabling_sends_nothing_of_the_time_it_was_off(admin_api, tenant, receiver, local_urls):
    hook = subscribe(admin_api, receiver.url)
    admin_api.patch(f"{HOOKS}/{hook['id']}", {"activo": False}, format="json")
    make_cliente(tenant, nombre="Apagado")
    run_deliveries(tenant)
    admin_api.patch(f"{HOOKS}/{hook['id']}", {"activo": True}, format="json")
    make_cliente(tenant, nombre="Encendido")

    run_deliveries(tenant)

    assert [orjson.loads(r.body)["datos"]["nombre"] for r in receiver.requests] == ["Encendido"]


def test_the_delivery_log_lists_newest_first_and_filters_by_estado(
    admin_api, tenant, receiver, local_urls, settings
):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    hook = subscribe(admin_api, receiver.url)
    make_cliente(tenant, nombre="Ana")
    run_deliveries(tenant)
    receiver.status = 500
    make_cliente(tenant, nombre="Eva")
    run_deliveries(tenant)

    entregas = admin_api.get(f"{HOOKS}/{hook['id']}/entregas").json()
    fallidas = admin_api.get(f"{HOOKS}/{hook['id']}/entregas", {"estado": "fallida"}).json()

    assert [e["estado"] for e in entregas] == ["fallida", "entregada"]
    assert list(entregas[0]) == [
        "id",
        "eventoId",
        "tipo",
        "estado",
        "intentos",
        "ultimoStatus",
        "ultimoError",
        "duracionMs",
        "proximoIntento",
        "creadoEn",
    ]
    assert [e["id"] for e in fallidas] == [entregas[0]["id"]]
    assert admin_api.get(f"{HOOKS}/{hook['id']}/entregas", {"estado": "x"}).status_code == 400


def test_a_failed_delivery_is_sent_again_on_request(
    admin_api, tenant, receiver, local_urls, settings
):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    hook = subscribe(admin_api, receiver.url)
    receiver.status = 500
    make_cliente(tenant, nombre="Ana")
    [failed] = run_deliveries(tenant)
    receiver.status = 200

    response = admin_api.post(f"{HOOKS}/{hook['id']}/entregas/{failed.pk}/reintentar")
    [again] = run_deliveries(tenant)

    assert response.status_code == 202
    assert response.json()["estado"] == "pendiente"
    assert (again.estado, again.intentos) == ("entregada", 2)
    assert receiver.requests[0].headers["webhook-id"] == receiver.requests[1].headers["webhook-id"]


def test_an_unknown_delivery_is_404(admin_api, tenant, receiver, local_urls):
    hook = subscribe(admin_api, receiver.url)

    for entrega in ("999999", "x", str(2**64)):
        response = admin_api.post(f"{HOOKS}/{hook['id']}/entregas/{entrega}/reintentar")
        assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_make_one_attempt_at_the_same_time(
    admin_api, tenant, receiver, local_urls
):
    from django.db import connection

    receiver.delay = 1
    subscribe(admin_api, receiver.url)
    make_cliente(tenant, nombre="Ana")
    sequence_events(tenant_id=tenant.pk)
    fan_out()
    [(tenant_id, pk)] = claim_due()
    barrier = threading.Barrier(2)
    results = []

    def work():
        barrier.wait()
        results.append(attempt(tenant_id=tenant_id, entrega_id=pk))
        connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(receiver.requests) == 1
    assert sorted(r is None for r in results) == [False, True]
