"""/api/webhooks/{id}: a subscription is changed field by field, deleted with its deliveries,
given a new secret (the old one keeps signing for 24 hours); at most 20 per tenant, also for
two creates racing for the last place."""

import threading
from datetime import timedelta

import psycopg
import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from devtools.databases import database_url
from tenants.models import User
from tests.clients import token_client
from tests.factories import make_user
from tests.webhooks.helpers import (
    BODY,
    MAXIMO,
    NO_ENCONTRADA,
    PUBLIC_URL,
    SHOWN,
    make_entrega,
    make_suscripcion,
    secret_bytes,
    stored,
    stored_entrega,
)
from webhooks import signing
from webhooks.models import Suscripcion
from webhooks.services import CREATE_LOCK

pytestmark = pytest.mark.django_db


# -- changing and deleting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"url": "https://93.184.216.35/otro"},
        {"tipos": ["cliente.creado", "cliente.creado"]},
        {"descripcion": "Nueva"},
        {"descripcion": None},
        {"activo": False},
    ],
    ids=["url", "tipos", "descripcion", "descripcion-null", "activo"],
)
def test_patch_changes_only_the_fields_sent(admin_api, other_admin, tenant, other_tenant, changes):
    suscripcion = make_suscripcion(tenant, tipos=["venta.creada"], descripcion="Contabilidad")
    ajena = make_suscripcion(other_tenant)
    before, ajena_before = stored(suscripcion), stored(ajena)

    response = admin_api.patch(f"/api/webhooks/{suscripcion.pk}", changes, format="json")

    assert response.status_code == 200, response.content
    expected = {
        "url": PUBLIC_URL,
        "tipos": ["venta.creada"],
        "descripcion": "Contabilidad",
        "activo": True,
        **changes,
    }
    if "tipos" in changes:
        expected["tipos"] = ["cliente.creado"]
    body = response.json()
    assert {key: body[key] for key in expected} == expected
    assert admin_api.get(f"/api/webhooks/{suscripcion.pk}").json() == body
    after = stored(suscripcion)
    assert after["secreto"] == before["secreto"]
    assert {k: v for k, v in after.items() if k not in expected} == {
        k: v for k, v in before.items() if k not in expected
    }
    assert stored(ajena) == ajena_before


def test_a_subscription_switched_off_is_switched_on_again(admin_api, tenant):
    suscripcion = make_suscripcion(tenant)
    path = f"/api/webhooks/{suscripcion.pk}"
    admin_api.patch(path, {"activo": False}, format="json")

    response = admin_api.patch(path, {"activo": True}, format="json")

    assert response.status_code == 200
    assert response.json()["activo"] is True
    assert stored(suscripcion)["activo"] is True


def test_put_is_405(admin_api, tenant):
    suscripcion = make_suscripcion(tenant)
    before = stored(suscripcion)

    response = admin_api.put(f"/api/webhooks/{suscripcion.pk}", BODY, format="json")

    assert response.status_code == 405
    assert stored(suscripcion) == before


@pytest.mark.parametrize(
    "changes",
    [
        {"descripcion": "Nueva", "url": "http://93.184.216.34/hook"},
        {"descripcion": "Nueva", "url": "https://10.0.0.1/hook"},
        {"descripcion": "Nueva", "url": "https://no-existe.invalid/hook"},
        {"descripcion": "Nueva", "tipos": ["venta.borrada"]},
        {"descripcion": "Nueva", "tipos": []},
        {"descripcion": "Nueva", "activo": "false"},
        {"descripcion": "Nueva", "activo": None},
        {"descripcion": "Nueva", "url": None},
    ],
    ids=[
        "http",
        "private",
        "unresolved",
        "unknown-type",
        "no-types",
        "activo-string",
        "activo-null",
        "url-null",
    ],
)
def test_an_invalid_patch_changes_nothing(admin_api, tenant, changes):
    suscripcion = make_suscripcion(tenant, descripcion="Contabilidad")
    before = stored(suscripcion)

    response = admin_api.patch(f"/api/webhooks/{suscripcion.pk}", changes, format="json")

    assert response.status_code == 400
    assert response.json()["error"]
    assert stored(suscripcion) == before


def test_delete_is_204_and_then_the_subscription_is_404(admin_api, tenant, other_tenant):
    suscripcion = make_suscripcion(tenant)
    ajena = make_suscripcion(other_tenant)

    response = admin_api.delete(f"/api/webhooks/{suscripcion.pk}")

    assert (response.status_code, response.content) == (204, b"")
    after = admin_api.get(f"/api/webhooks/{suscripcion.pk}")
    assert (after.status_code, after.json()) == (404, NO_ENCONTRADA)
    assert admin_api.get("/api/webhooks").json() == []
    assert stored(suscripcion) is None
    assert stored(ajena) is not None


def test_delete_takes_the_subscriptions_deliveries_with_it(admin_api, tenant, other_tenant):
    suscripcion = make_suscripcion(tenant)
    ajena = make_suscripcion(other_tenant)
    entrega = make_entrega(tenant, suscripcion)
    entrega_ajena = make_entrega(other_tenant, ajena)

    assert admin_api.delete(f"/api/webhooks/{suscripcion.pk}").status_code == 204

    assert stored_entrega(entrega) is None
    assert stored_entrega(entrega_ajena) is not None


# -- rotating the secret ---------------------------------------------------------------------


def test_rotating_gives_a_new_secret_and_keeps_the_old_one_for_24_hours(
    admin_api, tenant, other_tenant
):
    created = admin_api.post("/api/webhooks", BODY, format="json").json()
    ajena = make_suscripcion(other_tenant)
    ajena_before = stored(ajena)

    response = admin_api.post(f"/api/webhooks/{created['id']}/rotar-secreto")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {*SHOWN, "secreto"}
    assert body["id"] == created["id"]
    assert body["secreto"] != created["secreto"]
    assert body["secreto"].startswith("whsec_")
    assert len(secret_bytes(body["secreto"])) >= 24
    suscripcion = Suscripcion.objects.for_tenant(tenant).get(pk=created["id"])
    assert suscripcion.secreto == body["secreto"]
    assert suscripcion.secreto_anterior == created["secreto"]
    expected = timezone.now() + timedelta(hours=24)
    assert abs(suscripcion.secreto_anterior_hasta - expected) < timedelta(minutes=1)
    assert stored(ajena) == ajena_before


def test_after_rotating_a_delivery_is_signed_with_both_secrets(admin_api, receiver, local_urls):
    created = admin_api.post("/api/webhooks", {**BODY, "url": receiver.url}, format="json").json()
    nuevo = admin_api.post(f"/api/webhooks/{created['id']}/rotar-secreto").json()["secreto"]

    response = admin_api.post(f"/api/webhooks/{created['id']}/probar")

    assert response.json()["status"] == 200
    [request] = receiver.requests
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    for secreto in (created["secreto"], nuevo):
        assert Webhook(secreto).verify(request.body, request.headers)["tipo"] == "webhook.prueba"
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(request.body, request.headers)


def test_24_hours_after_rotating_only_the_new_secret_signs(admin_api, receiver, local_urls):
    created = admin_api.post("/api/webhooks", {**BODY, "url": receiver.url}, format="json").json()
    nuevo = admin_api.post(f"/api/webhooks/{created['id']}/rotar-secreto").json()["secreto"]

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        admin_api.post(f"/api/webhooks/{created['id']}/probar")
        [request] = receiver.requests
        assert len(request.headers["webhook-signature"].split(" ")) == 1
        Webhook(nuevo).verify(request.body, request.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(created["secreto"]).verify(request.body, request.headers)


# -- at most 20 per tenant ---------------------------------------------------------------------


def test_the_21st_subscription_is_409_and_another_tenant_still_creates(
    admin_api, other_admin, tenant, other_tenant
):
    for _ in range(20):
        make_suscripcion(tenant)

    response = admin_api.post("/api/webhooks", BODY, format="json")

    assert response.status_code == 409
    assert response.json()["error"] == MAXIMO
    assert Suscripcion.objects.for_tenant(tenant).count() == 20
    assert other_admin.post("/api/webhooks", BODY, format="json").status_code == 201
    assert Suscripcion.objects.for_tenant(other_tenant).count() == 1


def test_a_deleted_subscription_frees_its_place(admin_api, tenant):
    suscripciones = [make_suscripcion(tenant) for _ in range(20)]
    admin_api.delete(f"/api/webhooks/{suscripciones[0].pk}")

    response = admin_api.post("/api/webhooks", BODY, format="json")

    assert response.status_code == 201, response.content
    assert Suscripcion.objects.for_tenant(tenant).count() == 20


@pytest.mark.django_db(transaction=True)
def test_two_creates_racing_for_the_last_place_never_make_a_21st(tenant):
    """Another create holds the tenant's create lock while it adds the 20th; the request
    waits on the lock and, once the other commits, must count 20 and refuse."""
    admin = make_user(tenant, rol=User.Rol.ADMIN)
    for _ in range(19):
        make_suscripcion(tenant)
    answers = {}

    def create():
        answers["b"] = token_client(admin).post("/api/webhooks", BODY, format="json")
        connection.close()

    with psycopg.connect(database_url(connection.settings_dict)) as holder:
        holder.execute(  # what suscripcion_create does first: take the tenant's create lock
            "SELECT pg_advisory_xact_lock(%s, %s)", [CREATE_LOCK, tenant.pk]
        )
        holder.execute(  # then add its own, the 20th
            "INSERT INTO webhooks_suscripcion "
            "(tenant_id, url, tipos, activo, secreto, ultima_secuencia) "
            "VALUES (%s, %s, %s, true, %s, 0)",
            [tenant.pk, PUBLIC_URL, ["*"], signing.new_secret()],
        )
        creator = threading.Thread(target=create)
        creator.start()
        creator.join(timeout=1)
        assert creator.is_alive()  # it waits on the lock: the race is real
    creator.join(timeout=30)

    assert answers["b"].status_code == 409, answers["b"].content
    assert answers["b"].json() == {"error": MAXIMO}
    assert Suscripcion.objects.for_tenant(tenant).count() == 20
