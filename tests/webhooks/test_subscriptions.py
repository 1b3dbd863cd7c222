"""/api/webhooks: an ADMIN subscribes an https URL of a public address to the tenant's events
and gets a ``whsec_`` secret shown only then and when it is rotated (the old one keeps signing
for 24 hours); the subscription is listed, changed, deleted and tried with ``probar`` (a signed
``webhook.prueba`` a Standard Webhooks consumer verifies). At most 20 per tenant; members who
are not ADMIN get 403, another tenant's subscriptions are 404 and stay as they were."""

import base64
import socket
import threading
from datetime import timedelta

import psycopg
import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from eventos.models import TIPOS
from eventos.sequencing import sequence_events
from tenants.models import User
from tests.conftest import token_client
from tests.factories import make_cliente, make_user
from tests.servers import database_url
from webhooks import signing
from webhooks.dispatch import fan_out
from webhooks.models import Entrega, Suscripcion
from webhooks.services import CREATE_LOCK, suscripcion_create

pytestmark = pytest.mark.django_db

SOLO_ADMIN = {"error": "Solo un administrador puede gestionar webhooks"}
HTTPS = "La URL debe empezar por https://"
DIRECCION = "La URL apunta a una dirección no permitida (local, privada o reservada)"
NO_RESUELVE = "No se encuentra el servidor de la URL"
MAXIMO = "Como máximo 20 suscripciones por empresa"
NO_ENCONTRADA = {"error": "Suscripción no encontrada"}
PUBLIC_URL = "https://93.184.216.34/hook"  # a public literal: no DNS (the sandbox has none)
SHOWN = {"id", "url", "tipos", "descripcion", "activo", "fallandoDesde", "creadoEn"}
BODY = {"url": PUBLIC_URL, "tipos": ["venta.creada"], "descripcion": "Contabilidad"}

# Every route of the resource; ``{id}`` a subscription, ``{entrega}`` one of its deliveries.
ROUTES = [
    ("get", "/api/webhooks"),
    ("post", "/api/webhooks"),
    ("get", "/api/webhooks/{id}"),
    ("patch", "/api/webhooks/{id}"),
    ("delete", "/api/webhooks/{id}"),
    ("post", "/api/webhooks/{id}/rotar-secreto"),
    ("post", "/api/webhooks/{id}/probar"),
    ("get", "/api/webhooks/{id}/entregas"),
    ("post", "/api/webhooks/{id}/entregas/{entrega}/reintentar"),
]
DETAIL_ROUTES = [route for route in ROUTES if "{id}" in route[1]]


@pytest.fixture
def other_admin(other_tenant):
    """A token client of an ADMIN of ``other_tenant``."""
    return token_client(make_user(other_tenant, rol=User.Rol.ADMIN))


def make_suscripcion(tenant, url=PUBLIC_URL, tipos=("*",), descripcion=None) -> Suscripcion:
    data = {"url": url, "tipos": list(tipos), "descripcion": descripcion}
    return suscripcion_create(tenant=tenant, data=data, por=None)


def make_entrega(tenant, suscripcion) -> Entrega:
    """A failed delivery of a new event of ``tenant`` to ``suscripcion``."""
    make_cliente(tenant)
    sequence_events(tenant_id=tenant.pk)
    fan_out()
    entrega = Entrega.objects.for_tenant(tenant).get(suscripcion=suscripcion)
    Entrega.objects.for_tenant(tenant).filter(pk=entrega.pk).update(
        estado=Entrega.Estado.FALLIDA, proximo_intento=None, intentos=8
    )
    return entrega


def stored(suscripcion) -> dict | None:
    """Every column of the subscription as the database holds it (None: it is gone)."""
    rows = Suscripcion.objects.for_tenant(suscripcion.tenant_id).filter(pk=suscripcion.pk)
    return rows.values().first()


def stored_entrega(entrega) -> dict | None:
    return Entrega.objects.for_tenant(entrega.tenant_id).filter(pk=entrega.pk).values().first()


def call(client, method, template, **ids):
    path = template.format(**ids)
    if method in {"post", "patch"}:
        return getattr(client, method)(path, BODY, format="json")
    return getattr(client, method)(path)


def secret_bytes(secreto: str) -> bytes:
    return base64.b64decode(secreto.removeprefix("whsec_"), validate=True)


def closed_port() -> int:
    """A local port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- creating --------------------------------------------------------------------------------


def test_an_admin_subscribes_a_url_and_gets_its_secret(admin_api, tenant, other_tenant):
    response = admin_api.post("/api/webhooks", BODY, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {*SHOWN, "secreto"}
    assert body["url"] == PUBLIC_URL
    assert body["tipos"] == ["venta.creada"]
    assert body["descripcion"] == "Contabilidad"
    assert body["activo"] is True
    assert body["fallandoDesde"] is None
    assert body["creadoEn"]
    assert response["Location"] == f"/api/webhooks/{body['id']}"
    suscripcion = Suscripcion.objects.for_tenant(tenant).get(pk=body["id"])
    assert suscripcion.secreto == body["secreto"]
    assert not Suscripcion.objects.for_tenant(other_tenant).exists()


def test_the_secret_is_whsec_and_base64_of_at_least_24_random_bytes(admin_api):
    secretos = [
        admin_api.post("/api/webhooks", BODY, format="json").json()["secreto"] for _ in range(2)
    ]

    for secreto in secretos:
        assert secreto.startswith("whsec_")
        assert len(secret_bytes(secreto)) >= 24
    assert secretos[0] != secretos[1]


def test_list_detail_and_patch_never_show_the_secret(admin_api, other_admin):
    created = admin_api.post("/api/webhooks", BODY, format="json").json()
    other_admin.post("/api/webhooks", BODY, format="json")
    path = f"/api/webhooks/{created['id']}"

    listed = admin_api.get("/api/webhooks").json()
    detail = admin_api.get(path).json()
    patched = admin_api.patch(path, {"descripcion": "Otra"}, format="json").json()

    assert [set(item) for item in listed] == [SHOWN]
    assert set(detail) == SHOWN
    assert set(patched) == SHOWN
    for answer in (listed, detail, patched):
        assert created["secreto"] not in str(answer)
        assert "secreto" not in str(answer)


def test_the_list_shows_the_tenants_subscriptions_only_in_creation_order(
    admin_api, other_admin, tenant, other_tenant
):
    primera = make_suscripcion(tenant, descripcion="Primera")
    ajena = make_suscripcion(other_tenant, descripcion="Ajena")
    segunda = make_suscripcion(tenant, descripcion="Segunda")

    response = admin_api.get("/api/webhooks")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [primera.pk, segunda.pk]
    assert [item["id"] for item in other_admin.get("/api/webhooks").json()] == [ajena.pk]


def test_the_detail_shows_the_subscription(admin_api, other_admin, tenant, other_tenant):
    suscripcion = make_suscripcion(tenant, tipos=["venta.creada", "cliente.creado"])
    make_suscripcion(other_tenant)

    response = admin_api.get(f"/api/webhooks/{suscripcion.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == suscripcion.pk
    assert body["url"] == PUBLIC_URL
    assert body["tipos"] == ["venta.creada", "cliente.creado"]
    assert body["activo"] is True
    assert other_admin.get(f"/api/webhooks/{suscripcion.pk}").status_code == 404


# -- tipos -----------------------------------------------------------------------------------


@pytest.mark.parametrize("tipos", [["*"], ["*", "venta.creada"], ["venta.creada", "*"]])
def test_star_subscribes_to_every_type(admin_api, tipos):
    response = admin_api.post("/api/webhooks", {**BODY, "tipos": tipos}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["tipos"] == ["*"]


def test_every_known_type_may_be_named(admin_api):
    response = admin_api.post("/api/webhooks", {**BODY, "tipos": list(TIPOS)}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["tipos"] == list(TIPOS)


def test_unknown_types_are_400_naming_them(admin_api, tenant):
    tipos = ["venta.creada", "venta.borrada", "cliente.volado"]

    response = admin_api.post("/api/webhooks", {**BODY, "tipos": tipos}, format="json")

    assert response.status_code == 400
    [error] = response.json()["detalles"]["tipos"]
    assert "venta.borrada" in error
    assert "cliente.volado" in error
    assert "venta.creada" not in error
    assert not Suscripcion.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    "tipos", [[], None, "venta.creada", [""], [1]], ids=["empty", "null", "string", "blank", "int"]
)
def test_no_types_or_not_a_list_of_types_is_400(admin_api, tenant, tipos):
    response = admin_api.post("/api/webhooks", {**BODY, "tipos": tipos}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]
    assert not Suscripcion.objects.for_tenant(tenant).exists()


def test_types_are_required(admin_api, tenant):
    body = {"url": PUBLIC_URL}

    response = admin_api.post("/api/webhooks", body, format="json")

    assert response.status_code == 400
    assert not Suscripcion.objects.for_tenant(tenant).exists()


def test_repeated_types_are_kept_once_in_the_order_given(admin_api, tenant):
    tipos = ["venta.creada", "cliente.creado", "venta.creada", "cliente.creado"]

    response = admin_api.post("/api/webhooks", {**BODY, "tipos": tipos}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["tipos"] == ["venta.creada", "cliente.creado"]
    stored_tipos = Suscripcion.objects.for_tenant(tenant).get().tipos
    assert stored_tipos == ["venta.creada", "cliente.creado"]


# -- the URL ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://93.184.216.34/hook", "ftp://93.184.216.34/hook", "93.184.216.34/hook", "https://"],
)
def test_a_url_that_is_not_https_is_400(admin_api, tenant, url):
    response = admin_api.post("/api/webhooks", {**BODY, "url": url}, format="json")

    assert response.status_code == 400
    assert response.json()["detalles"] == {"url": [HTTPS]}
    assert not Suscripcion.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/x",
        "https://10.0.0.1/x",
        "https://192.168.1.10/x",
        "https://172.16.0.1/x",
        "https://169.254.169.254/x",
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://[fd00::1]/x",
        "https://224.0.0.1/x",
        "https://0.0.0.0/x",
        "https://100.64.0.1/x",
        "https://localhost/x",
        "https://2130706433/x",  # 127.0.0.1 written as one number
    ],
)
def test_a_local_private_link_local_or_multicast_address_is_400(admin_api, tenant, url):
    response = admin_api.post("/api/webhooks", {**BODY, "url": url}, format="json")

    assert response.status_code == 400
    assert response.json()["detalles"] == {"url": [DIRECCION]}
    assert not Suscripcion.objects.for_tenant(tenant).exists()


def test_a_name_that_does_not_resolve_is_400(admin_api, tenant):
    url = "https://no-existe.invalid/x"

    response = admin_api.post("/api/webhooks", {**BODY, "url": url}, format="json")

    assert response.status_code == 400
    assert response.json()["detalles"] == {"url": [NO_RESUELVE]}
    assert not Suscripcion.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    "url",
    ["https://93.184.216.34:99999/x", "https://93.184.216.34:abc/x", "https://[::1/x"],
    ids=["port-out-of-range", "port-not-a-number", "unclosed-ipv6"],
)
def test_a_malformed_url_is_400(admin_api, tenant, url):
    response = admin_api.post("/api/webhooks", {**BODY, "url": url}, format="json")

    assert response.status_code == 400
    assert not Suscripcion.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://93.184.216.34/hook",
        "https://93.184.216.34:8443/a?b=c",
        "https://[2606:4700::1111]/x",
    ],
)
def test_a_public_address_is_accepted(admin_api, url):
    response = admin_api.post("/api/webhooks", {**BODY, "url": url}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["url"] == url


def test_with_local_urls_allowed_a_local_http_url_is_accepted(admin_api, receiver, local_urls):
    response = admin_api.post("/api/webhooks", {**BODY, "url": receiver.url}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["url"] == receiver.url


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
