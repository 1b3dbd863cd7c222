"""An archived customer keeps everything and answers as usual, but nothing new is sold or
quoted to it; a quotation it already has can still become a sale."""

import pytest

from clientes.models import Cliente
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db

LINE = {"descripcion": "Cemento", "cantidad": 1, "precioUnitario": 100}
ARCHIVADO = ["El cliente está archivado"]


@pytest.fixture
def archivado(tenant):
    cliente = make_cliente(tenant, nombre="Archivado")
    make_venta(tenant, cliente)
    Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).update(archivado=True)
    return Cliente.objects.for_tenant(tenant).get(pk=cliente.pk)


@pytest.mark.parametrize("path", ["/api/ventas", "/api/cotizaciones"])
def test_a_new_sale_or_quotation_for_an_archived_customer_is_400(api, tenant, archivado, path):
    before = Venta.objects.for_tenant(tenant).count()

    response = api.post(path, {"clienteId": archivado.pk, "items": [LINE]}, format="json")

    assert response.status_code == 400
    assert response.json()["detalles"] == {"clienteId": ARCHIVADO}
    assert Venta.objects.for_tenant(tenant).count() == before


def test_an_archived_customer_still_answers_by_id_and_historial(api, archivado):
    detail = api.get(f"/api/clientes/{archivado.pk}").json()
    historial = api.get(f"/api/clientes/{archivado.pk}/historial").json()

    assert detail["archivado"] is True
    assert historial["_count"]["ventas"] == 1


def test_a_quotation_of_an_archived_customer_can_still_be_converted(api, user, tenant):
    cliente = make_cliente(tenant)
    cotizacion = make_cotizacion(tenant, cliente, vendedor=user)
    api.patch(f"/api/clientes/{cliente.pk}", {"archivado": True}, format="json")

    response = api.post(f"/api/cotizaciones/{cotizacion.pk}/convertir")

    assert response.status_code == 201, response.content


def test_any_member_archives_and_unarchives(api, tenant):
    cliente = make_cliente(tenant)

    archived = api.patch(f"/api/clientes/{cliente.pk}", {"archivado": True}, format="json")
    back = api.patch(f"/api/clientes/{cliente.pk}", {"archivado": False}, format="json")

    assert (archived.status_code, archived.json()["archivado"]) == (200, True)
    assert (back.status_code, back.json()["archivado"]) == (200, False)
