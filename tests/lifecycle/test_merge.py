"""POST /api/clientes/{id}/fusionar: a duplicate is absorbed by the customer that stays. Its
sales and quotations move unchanged, the survivor's empty fields take its values, and its id
keeps answering with a 308 to the survivor (always the last one)."""

import threading

import pytest
from django.db import connection

from clientes.models import Cliente
from cotizaciones.models import Cotizacion
from tests.clients import token_client
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db


def merge(client, survivor: int, duplicate: int):
    return client.post(
        f"/api/clientes/{survivor}/fusionar", {"duplicadoId": duplicate}, format="json"
    )


def test_the_duplicates_documents_move_to_the_survivor_unchanged(admin_api, tenant):
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant)
    venta = make_venta(tenant, duplicate)
    cotizacion = make_cotizacion(tenant, duplicate)
    before = (venta.numero, venta.total, cotizacion.numero)

    response = merge(admin_api, survivor.pk, duplicate.pk)

    assert response.status_code == 200, response.content
    moved = Venta.objects.for_tenant(tenant).get(pk=venta.pk)
    moved_quote = Cotizacion.objects.for_tenant(tenant).get(pk=cotizacion.pk)
    assert (moved.cliente_id, moved_quote.cliente_id) == (survivor.pk, survivor.pk)
    assert (moved.numero, moved.total, moved_quote.numero) == before
    historial = admin_api.get(f"/api/clientes/{survivor.pk}/historial").json()
    assert [v["id"] for v in historial["ventas"]] == [venta.pk]
    assert historial["_count"] == {"ventas": 1, "cotizaciones": 1}


def test_the_survivors_empty_fields_take_the_duplicates_and_notes_are_joined(admin_api, tenant):
    survivor = make_cliente(tenant, nombre="Ana", email="ana@a.co", notas="VIP")
    duplicate = make_cliente(
        tenant, nombre="Ana G", documento="900.1", email="otra@a.co", telefono="300", notas="Paga"
    )

    body = merge(admin_api, survivor.pk, duplicate.pk).json()

    assert body["id"] == survivor.pk
    assert (body["nombre"], body["email"]) == ("Ana", "ana@a.co")  # what it had stays
    assert (body["documento"], body["telefono"]) == ("900.1", "300")
    assert body["notas"] == "VIP\n\nPaga"
    fusionado = admin_api.get(f"/api/clientes/{survivor.pk}/eventos").json()[-1]
    assert fusionado["tipo"] == "FUSIONADO"
    assert fusionado["cambios"]["duplicadoId"] == [None, duplicate.pk]
    assert fusionado["cambios"]["documento"] == [None, "900.1"]


def test_the_duplicate_leaves_every_list_and_its_documento_is_free(admin_api, tenant):
    survivor = make_cliente(tenant, nombre="Uno")
    duplicate = make_cliente(tenant, nombre="Dos", documento="77")
    merge(admin_api, survivor.pk, duplicate.pk)
    admin_api.patch(f"/api/clientes/{survivor.pk}", {"documento": None}, format="json")

    listed = {row["id"] for row in admin_api.get("/api/clientes", {"archivado": "todos"}).json()}
    created = admin_api.post("/api/clientes", {"nombre": "Nuevo", "documento": "77"}, format="json")

    assert listed == {survivor.pk}
    assert created.status_code == 201


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("put", ""), ("patch", ""), ("delete", ""), ("get", "/historial")],
)
def test_the_old_id_answers_308_to_the_survivor(admin_api, tenant, method, suffix):
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant)
    merge(admin_api, survivor.pk, duplicate.pk)

    body = {"data": {"nombre": "x"}, "format": "json"} if method in {"put", "patch"} else {}
    response = getattr(admin_api, method)(f"/api/clientes/{duplicate.pk}{suffix}", **body)

    assert response.status_code == 308
    assert response["Location"] == f"/api/clientes/{survivor.pk}{suffix}"
    assert response.json() == {
        "error": f"El cliente fue fusionado con el cliente {survivor.pk}",
        "fusionadoCon": survivor.pk,
    }


@pytest.mark.parametrize("action", ["anonimizar", "fusionar"])
def test_a_post_to_a_merged_id_is_404_and_the_survivor_is_untouched(admin_api, tenant, action):
    survivor, duplicate, other = (make_cliente(tenant, nombre=n) for n in ("A", "B", "C"))
    merge(admin_api, survivor.pk, duplicate.pk)

    body = {"duplicadoId": other.pk} if action == "fusionar" else {}
    response = admin_api.post(f"/api/clientes/{duplicate.pk}/{action}", body, format="json")

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente no encontrado"}
    kept = Cliente.objects.for_tenant(tenant).get(pk=survivor.pk)
    assert (kept.nombre, kept.anonimizado_en) == ("A", None)
    assert Cliente.objects.for_tenant(tenant).filter(pk=other.pk).exists()


def test_every_old_id_points_to_the_last_survivor(admin_api, tenant):
    first, second, third = (make_cliente(tenant) for _ in range(3))
    merge(admin_api, second.pk, first.pk)
    merge(admin_api, third.pk, second.pk)

    for old in (first.pk, second.pk):
        response = admin_api.get(f"/api/clientes/{old}")
        assert response.status_code == 308
        assert response.json()["fusionadoCon"] == third.pk


@pytest.mark.parametrize("path", ["/api/ventas", "/api/cotizaciones"])
def test_a_body_naming_a_merged_id_is_400(admin_api, tenant, path):
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant)
    merge(admin_api, survivor.pk, duplicate.pk)
    line = {"descripcion": "Cemento", "cantidad": 1, "precioUnitario": 100}

    response = admin_api.post(path, {"clienteId": duplicate.pk, "items": [line]}, format="json")

    assert response.status_code == 400
    assert response.json()["detalles"] == {
        "clienteId": [f"El cliente fue fusionado con el cliente {survivor.pk}"]
    }


def test_the_same_id_twice_is_400(admin_api, tenant):
    cliente = make_cliente(tenant)

    assert merge(admin_api, cliente.pk, cliente.pk).status_code == 400


def test_a_duplicate_of_another_tenant_is_404_and_changes_nothing(admin_api, tenant, other_tenant):
    survivor, ajeno = make_cliente(tenant), make_cliente(other_tenant)
    make_venta(other_tenant, ajeno)

    response = merge(admin_api, survivor.pk, ajeno.pk)

    assert (response.status_code, response.json()) == (404, {"error": "Cliente no encontrado"})
    assert Cliente.objects.for_tenant(other_tenant).filter(pk=ajeno.pk).exists()
    assert Venta.objects.for_tenant(other_tenant).get().cliente_id == ajeno.pk


def test_an_anonymized_customer_is_not_merged(admin_api, tenant):
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant)
    admin_api.post(f"/api/clientes/{duplicate.pk}/anonimizar")

    response = merge(admin_api, survivor.pk, duplicate.pk)

    assert response.status_code == 409
    assert response.json() == {"error": "No se puede fusionar un cliente anonimizado"}


def test_only_an_admin_merges(api, tenant):
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant)

    response = merge(api, survivor.pk, duplicate.pk)

    assert response.status_code == 403
    assert response.json() == {"error": "Solo un administrador puede fusionar clientes"}


@pytest.mark.django_db(transaction=True)
def test_opposite_merges_of_one_pair_racing_leave_exactly_one_survivor(tenant, admin_user):
    a, b = make_cliente(tenant), make_cliente(tenant)
    make_venta(tenant, a)
    make_venta(tenant, b)
    barrier = threading.Barrier(2)
    answers = []

    def merge_into(survivor, duplicate):
        client = token_client(admin_user)
        barrier.wait()
        answers.append(merge(client, survivor, duplicate).status_code)
        connection.close()

    threads = [
        threading.Thread(target=merge_into, args=pair) for pair in ((a.pk, b.pk), (b.pk, a.pk))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answers) == [200, 404]
    [left] = Cliente.objects.for_tenant(tenant)
    assert set(Venta.objects.for_tenant(tenant).values_list("cliente_id", flat=True)) == {left.pk}


def test_the_308_keeps_the_query_string(admin_api, tenant):
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant)
    merge(admin_api, survivor.pk, duplicate.pk)

    response = admin_api.get(f"/api/clientes/{duplicate.pk}/historial", {"x": "1"})

    assert response["Location"] == f"/api/clientes/{survivor.pk}/historial?x=1"


@pytest.mark.django_db(transaction=True)
def test_a_sale_for_the_duplicate_racing_the_merge_never_lands_on_a_merged_id(tenant, admin_user):
    """The merge holds the duplicate's row; a sale naming it waits, then finds it gone: it
    is refused, or it went first and moved with the others."""
    survivor, duplicate = make_cliente(tenant), make_cliente(tenant)
    line = {"descripcion": "Cemento", "cantidad": 1, "precioUnitario": 100}
    barrier = threading.Barrier(2)
    answers = {}

    def sell():
        client = token_client(admin_user)
        barrier.wait()
        body = {"clienteId": duplicate.pk, "items": [line]}
        answers["venta"] = client.post("/api/ventas", body, format="json").status_code
        connection.close()

    def absorb():
        client = token_client(admin_user)
        barrier.wait()
        answers["merge"] = merge(client, survivor.pk, duplicate.pk).status_code
        connection.close()

    threads = [threading.Thread(target=sell), threading.Thread(target=absorb)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answers["merge"] == 200
    assert answers["venta"] in {201, 400}
    owners = set(Venta.objects.for_tenant(tenant).values_list("cliente_id", flat=True))
    assert owners <= {survivor.pk}
    assert not Cliente.objects.for_tenant(tenant).filter(pk=duplicate.pk).exists()
