"""/api/webhooks: an ADMIN subscribes a URL to some or every kind of the tenant's events, and
gets a ``whsec_`` secret shown only then; unknown types are 400. Which URLs it may name:
``test_subscription_urls.py``."""

import pytest

from eventos.models import TIPOS
from tests.webhooks.helpers import BODY, PUBLIC_URL, SHOWN, make_suscripcion, secret_bytes
from webhooks.models import Suscripcion

pytestmark = pytest.mark.django_db


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
