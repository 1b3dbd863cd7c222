"""Who may use /api/webhooks (an ADMIN of the tenant; others 403, anonymous 401, another
tenant's ids 404 and untouched), and ``probar``: a signed ``webhook.prueba`` sent at once,
its receiver's answer reported."""

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from tests.webhooks.helpers import (
    BODY,
    DETAIL_ROUTES,
    DIRECCION,
    NO_ENCONTRADA,
    ROUTES,
    SOLO_ADMIN,
    call,
    closed_port,
    make_entrega,
    make_suscripcion,
    stored,
    stored_entrega,
)
from webhooks.models import Suscripcion

pytestmark = pytest.mark.django_db


# -- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "template"), ROUTES)
def test_a_member_who_is_not_admin_is_403_on_every_route(
    api, tenant, receiver, local_urls, method, template
):
    suscripcion = make_suscripcion(tenant, url=receiver.url)
    entrega = make_entrega(tenant, suscripcion)
    before, entrega_before = stored(suscripcion), stored_entrega(entrega)

    response = call(api, method, template, id=suscripcion.pk, entrega=entrega.pk)

    assert response.status_code == 403
    assert response.json() == SOLO_ADMIN
    assert Suscripcion.objects.for_tenant(tenant).count() == 1
    assert stored(suscripcion) == before
    assert stored_entrega(entrega) == entrega_before
    assert receiver.requests == []


@pytest.mark.parametrize(("method", "template"), ROUTES)
def test_anonymous_is_401_on_every_route(anon, tenant, receiver, local_urls, method, template):
    suscripcion = make_suscripcion(tenant, url=receiver.url)
    entrega = make_entrega(tenant, suscripcion)
    before, entrega_before = stored(suscripcion), stored_entrega(entrega)

    response = call(anon, method, template, id=suscripcion.pk, entrega=entrega.pk)

    assert response.status_code == 401
    assert response.json()["error"]
    assert Suscripcion.objects.for_tenant(tenant).count() == 1
    assert stored(suscripcion) == before
    assert stored_entrega(entrega) == entrega_before
    assert receiver.requests == []


@pytest.mark.parametrize(("method", "template"), DETAIL_ROUTES)
def test_another_tenants_subscription_is_404_and_stays_as_it_was(
    admin_api, tenant, other_tenant, receiver, local_urls, method, template
):
    make_suscripcion(tenant, url=receiver.url)
    ajena = make_suscripcion(other_tenant, url=receiver.url)
    entrega = make_entrega(other_tenant, ajena)
    before, entrega_before = stored(ajena), stored_entrega(entrega)

    response = call(admin_api, method, template, id=ajena.pk, entrega=entrega.pk)

    assert (response.status_code, response.json()) == (404, NO_ENCONTRADA)
    assert stored(ajena) == before
    assert stored_entrega(entrega) == entrega_before
    assert receiver.requests == []


def test_another_tenants_delivery_is_404_under_ones_own_subscription(
    admin_api, tenant, other_tenant
):
    propia = make_suscripcion(tenant)
    ajena = make_suscripcion(other_tenant)
    entrega = make_entrega(other_tenant, ajena)
    before = stored_entrega(entrega)

    response = admin_api.post(f"/api/webhooks/{propia.pk}/entregas/{entrega.pk}/reintentar")

    assert (response.status_code, response.json()) == (404, {"error": "Entrega no encontrada"})
    assert stored_entrega(entrega) == before
    assert admin_api.get(f"/api/webhooks/{propia.pk}/entregas").json() == []


# -- probar ----------------------------------------------------------------------------------


def test_probar_sends_a_signed_webhook_prueba(
    admin_api, other_admin, receiver, local_urls, other_tenant
):
    created = admin_api.post("/api/webhooks", {**BODY, "url": receiver.url}, format="json").json()
    ajena = make_suscripcion(other_tenant, url=receiver.url)

    response = admin_api.post(f"/api/webhooks/{created['id']}/probar")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"status", "error", "duracionMs"}
    assert (body["status"], body["error"]) == (200, None)
    assert isinstance(body["duracionMs"], int) and body["duracionMs"] >= 0
    [request] = receiver.requests
    assert request.path == "/hook"
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= set(request.headers)
    evento = Webhook(created["secreto"]).verify(request.body, request.headers)
    assert evento["tipo"] == "webhook.prueba"
    assert evento["id"] == request.headers["webhook-id"]
    with pytest.raises(WebhookVerificationError):  # not signed with the other tenant's
        Webhook(ajena.secreto).verify(request.body, request.headers)


def test_probar_reports_the_receivers_error_status(admin_api, tenant, receiver, local_urls):
    suscripcion = make_suscripcion(tenant, url=receiver.url)
    receiver.status = 500

    response = admin_api.post(f"/api/webhooks/{suscripcion.pk}/probar")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 500
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["duracionMs"], int)
    assert len(receiver.requests) == 1


def test_probar_reports_a_refused_connection(admin_api, tenant, local_urls):
    suscripcion = make_suscripcion(tenant, url=f"http://127.0.0.1:{closed_port()}/hook")

    response = admin_api.post(f"/api/webhooks/{suscripcion.pk}/probar")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] is None
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["duracionMs"], int)


def test_probar_checks_the_address_again_when_it_sends(
    admin_api, tenant, receiver, local_urls, settings
):
    suscripcion = make_suscripcion(tenant, url=receiver.url)
    settings.WEBHOOKS_ALLOW_PRIVATE = False  # the rules as they are when it is sent

    response = admin_api.post(f"/api/webhooks/{suscripcion.pk}/probar")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["error"]) == (None, DIRECCION)
    assert receiver.requests == []
