"""GET /api/clientes/{id}/datos-personales: everything the shop holds about a person, for an
access request (ADMIN only), streamed: the customer, its history, and every sale and
quotation that names it exactly as their own details answer them."""

import orjson
import pytest

from tests.factories import make_cliente, make_cotizacion, make_venta

pytestmark = pytest.mark.django_db

CLIENTES = "/api/clientes"


def personal_data(client, pk: int):
    response = client.get(f"{CLIENTES}/{pk}/datos-personales")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, orjson.loads(body)


def test_the_document_holds_the_customer_and_its_history(admin_api, tenant):
    pk = admin_api.post(CLIENTES, {"nombre": "Ana", "email": "ana@a.co"}, format="json").json()[
        "id"
    ]
    admin_api.patch(f"{CLIENTES}/{pk}", {"telefono": "300 1"}, format="json")

    response, document = personal_data(admin_api, pk)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert list(document) == ["generadoEn", "cliente", "eventos", "ventas", "cotizaciones"]
    assert document["generadoEn"].endswith("Z")
    assert document["cliente"] == admin_api.get(f"{CLIENTES}/{pk}").json()
    assert document["eventos"] == admin_api.get(f"{CLIENTES}/{pk}/eventos").json()
    assert [e["tipo"] for e in document["eventos"]] == ["CREADO", "ACTUALIZADO"]
    assert (document["ventas"], document["cotizaciones"]) == ([], [])


def test_every_sale_is_as_its_detail_answers_it_oldest_first(admin_api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Ana")
    ventas = [make_venta(tenant, cliente, total=total) for total in ("10.50", "20.00", "3.25")]
    admin_api.post(f"/api/ventas/{ventas[1].pk}/cancelar", {"motivo": "Error"}, format="json")
    make_venta(tenant, make_cliente(tenant, nombre="Otro"))
    make_venta(other_tenant, make_cliente(other_tenant, nombre="Ana"))

    _, document = personal_data(admin_api, cliente.pk)

    assert document["ventas"] == [admin_api.get(f"/api/ventas/{v.pk}").json() for v in ventas]
    assert [len(v["eventos"]) for v in document["ventas"]] == [1, 2, 1]


def test_every_quotation_is_as_its_detail_answers_it(admin_api, tenant, other_tenant):
    cliente = make_cliente(tenant, nombre="Ana")
    pendiente = make_cotizacion(tenant, cliente, total="99.99")
    convertida = make_cotizacion(tenant, cliente, total="5.00")
    admin_api.post(f"/api/cotizaciones/{convertida.pk}/convertir")
    make_cotizacion(other_tenant, make_cliente(other_tenant, nombre="Ana"))

    _, document = personal_data(admin_api, cliente.pk)

    expected = [admin_api.get(f"/api/cotizaciones/{c.pk}").json() for c in (pendiente, convertida)]
    assert document["cotizaciones"] == expected
    assert [v["cotizacionId"] for v in document["ventas"]] == [convertida.pk]


def test_thousands_of_documents_are_streamed_in_a_few_queries(
    admin_api, tenant, django_assert_max_num_queries
):
    cliente = make_cliente(tenant, nombre="Ana")
    for _ in range(1200):
        make_venta(tenant, cliente)

    with django_assert_max_num_queries(20):
        _, document = personal_data(admin_api, cliente.pk)

    assert len(document["ventas"]) == 1200


def test_only_an_admin_reads_it(api, tenant):
    cliente = make_cliente(tenant, nombre="Ana")

    response = api.get(f"{CLIENTES}/{cliente.pk}/datos-personales")

    assert response.status_code == 403
    assert response.json() == {
        "error": "Solo un administrador puede consultar los datos personales"
    }


def test_another_tenants_customer_is_404(admin_api, other_tenant):
    ajeno = make_cliente(other_tenant, nombre="Ana")

    response = admin_api.get(f"{CLIENTES}/{ajeno.pk}/datos-personales")

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente no encontrado"}


def test_a_merged_id_answers_308_to_the_survivors_document(admin_api, tenant):
    superviviente = make_cliente(tenant, nombre="Ana")
    duplicado = make_cliente(tenant, nombre="Ana B")
    admin_api.post(
        f"{CLIENTES}/{superviviente.pk}/fusionar", {"duplicadoId": duplicado.pk}, format="json"
    )

    response = admin_api.get(f"{CLIENTES}/{duplicado.pk}/datos-personales")

    assert response.status_code == 308
    assert response["Location"] == f"{CLIENTES}/{superviviente.pk}/datos-personales"
