"""GET /api/eventos: the tenant's changes in ``secuencia`` order after a cursor (ADMIN only),
each written in the change's own transaction."""

import pytest
from django.db import transaction

from clientes.services import cliente_create
from eventos.models import Evento, Secuencia
from tests.factories import make_cliente, make_cotizacion, make_venta

pytestmark = pytest.mark.django_db

FEED = "/api/eventos"
LINE = {"descripcion": "Cemento", "cantidad": 1, "precioUnitario": 100}


def feed(client, **query) -> list[dict]:
    response = client.get(FEED, query)
    assert response.status_code == 200, response.content
    return response.json()


def tipos(client, **query) -> list[str]:
    return [e["tipo"] for e in feed(client, **query)]


def test_a_customers_life_is_in_the_feed_in_order(admin_api, tenant):
    pk = admin_api.post("/api/clientes", {"nombre": "Ana"}, format="json").json()["id"]
    admin_api.patch(f"/api/clientes/{pk}", {"telefono": "300 1"}, format="json")
    admin_api.patch(f"/api/clientes/{pk}", {"archivado": True}, format="json")
    admin_api.patch(f"/api/clientes/{pk}", {"archivado": False}, format="json")
    [actualizado] = feed(admin_api, tipo="cliente.actualizado")
    admin_api.post(f"/api/clientes/{pk}/anonimizar")

    eventos = feed(admin_api)

    assert [e["tipo"] for e in eventos] == [
        "cliente.creado",
        "cliente.actualizado",
        "cliente.archivado",
        "cliente.desarchivado",
        "cliente.anonimizado",
    ]
    assert [e["secuencia"] for e in eventos] == [1, 2, 3, 4, 5]
    assert eventos[-1]["datos"] == {"id": pk}
    assert actualizado["datos"]["cambios"] == {"telefono": [None, "300 1"]}
    # The erasure took the former values out of the earlier events too.
    assert eventos[1]["datos"]["cambios"] == {"telefono": [None, None]}
    assert eventos[0]["datos"]["nombre"] == f"Cliente anonimizado #{pk}"


def test_an_event_has_the_contracts_fields(admin_api, tenant):
    response = admin_api.post("/api/clientes", {"nombre": "Ana"}, format="json")

    [evento] = feed(admin_api)

    assert list(evento) == ["id", "secuencia", "tipo", "en", "usuario", "datos"]
    assert evento["id"].startswith("evt_") and len(evento["id"]) == 36
    assert evento["en"].endswith("Z")
    assert evento["usuario"]["id"] == response.wsgi_request.user.pk
    assert evento["datos"] == admin_api.get(f"/api/clientes/{response.json()['id']}").json()


def test_a_sale_is_published_as_its_detail_shows_it(admin_api, tenant):
    cliente = make_cliente(tenant, nombre="Ana")
    venta = admin_api.post(
        "/api/ventas", {"clienteId": cliente.pk, "items": [LINE]}, format="json"
    ).json()
    admin_api.post(f"/api/ventas/{venta['id']}/cancelar", {"motivo": "Error"}, format="json")

    creada, cancelada = feed(admin_api, tipo=["venta.creada", "venta.cancelada"])

    assert creada["tipo"] == "venta.creada" and creada["datos"] == venta
    assert cancelada["datos"] == admin_api.get(f"/api/ventas/{venta['id']}").json()


def test_a_conversion_publishes_the_linked_sale_and_the_converted_quotation(admin_api, tenant):
    cotizacion = make_cotizacion(tenant, make_cliente(tenant, nombre="Ana"))

    body = admin_api.post(f"/api/cotizaciones/{cotizacion.pk}/convertir").json()

    eventos = feed(admin_api, tipo=["venta.creada", "cotizacion.convertida"])
    assert [e["tipo"] for e in eventos] == ["venta.creada", "cotizacion.convertida"]
    assert eventos[0]["datos"]["cotizacionId"] == cotizacion.pk
    assert eventos[0]["datos"] == admin_api.get(f"/api/ventas/{body['venta']['id']}").json()
    assert eventos[1]["datos"]["ventaId"] == body["venta"]["id"]


def test_merge_and_delete_are_published(admin_api, tenant):
    survivor, duplicate, mistake = (make_cliente(tenant, nombre=n) for n in "ABC")
    admin_api.post(
        f"/api/clientes/{survivor.pk}/fusionar", {"duplicadoId": duplicate.pk}, format="json"
    )
    admin_api.delete(f"/api/clientes/{mistake.pk}")

    fusionado, eliminado = feed(admin_api, tipo=["cliente.fusionado", "cliente.eliminado"])

    assert fusionado["datos"]["id"] == survivor.pk
    assert fusionado["datos"]["duplicadoId"] == duplicate.pk
    assert eliminado["datos"] == {"id": mistake.pk}


def test_a_rolled_back_change_has_no_event(admin_api, tenant):
    with pytest.raises(RuntimeError), transaction.atomic():
        cliente_create(tenant=tenant, nombre="Nunca")
        raise RuntimeError

    assert feed(admin_api) == []
    assert not Evento.objects.for_tenant(tenant).exists()


def test_despues_and_limite_page_through_the_feed(admin_api, tenant):
    for n in range(5):
        make_cliente(tenant, nombre=f"C{n}")

    first = feed(admin_api, limite=2)
    rest = feed(admin_api, despues=first[-1]["secuencia"])

    assert [e["secuencia"] for e in first] == [1, 2]
    assert [e["secuencia"] for e in rest] == [3, 4, 5]
    assert feed(admin_api, despues=5) == []


def test_tipo_keeps_only_those_types(admin_api, tenant):
    cliente = make_cliente(tenant, nombre="Ana")
    make_venta(tenant, cliente)

    assert tipos(admin_api, tipo="venta.creada") == ["venta.creada"]
    assert set(tipos(admin_api, tipo=["venta.creada", "cliente.creado"])) == {
        "venta.creada",
        "cliente.creado",
    }


@pytest.mark.parametrize(
    "query",
    [
        {"despues": "-1"},
        {"despues": "x"},
        {"despues": str(2**63)},
        {"limite": "0"},
        {"limite": "1001"},
        {"tipo": "cliente.borrado"},
    ],
)
def test_an_invalid_query_is_400(admin_api, query):
    response = admin_api.get(FEED, query)

    assert response.status_code == 400
    assert set(response.json()) == {"error", "detalles"}


def test_a_cursor_older_than_what_is_kept_is_410(admin_api, tenant):
    make_cliente(tenant, nombre="Ana")
    feed(admin_api)
    Secuencia.objects.for_tenant(tenant).update(purgada_hasta=10)

    response = admin_api.get(FEED, {"despues": 3})

    assert response.status_code == 410
    assert response.json() == {"error": "El cursor es más antiguo que los eventos guardados"}
    assert admin_api.get(FEED, {"despues": 10}).status_code == 200


def test_only_an_admin_reads_the_feed(api):
    response = api.get(FEED)

    assert response.status_code == 403
    assert response.json() == {"error": "Solo un administrador puede consultar los eventos"}


def test_another_tenants_events_never_appear(admin_api, tenant, other_tenant):
    make_cliente(other_tenant, nombre="Ajeno")
    make_venta(other_tenant)
    make_cliente(tenant, nombre="Propio")

    eventos = feed(admin_api)

    assert [e["datos"]["nombre"] for e in eventos] == ["Propio"]
    assert [e["secuencia"] for e in eventos] == [1]
