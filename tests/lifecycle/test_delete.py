"""DELETE /api/clientes/{id}: a mistake goes away (ADMIN only) when nothing names it; a
customer with sales or quotations stays, and the answer says how many stand in the way."""

import threading

import psycopg
import pytest
from django.db import connection

from clientes.models import Cliente, ClienteEvento
from devtools.databases import database_url
from tests.clients import token_client
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db

CON_DOCUMENTOS = "El cliente tiene ventas o cotizaciones: archívalo, fusiónalo o anonimízalo"


def test_a_customer_without_documents_is_deleted_with_its_history(admin_api, tenant, other_tenant):
    cliente = make_cliente(tenant, documento="900.1")
    admin_api.patch(f"/api/clientes/{cliente.pk}", {"notas": "x"}, format="json")
    ajeno = make_cliente(other_tenant, documento="900.1")

    response = admin_api.delete(f"/api/clientes/{cliente.pk}")

    assert (response.status_code, response.content) == (204, b"")
    assert not Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).exists()
    assert not ClienteEvento.objects.for_tenant(tenant).filter(cliente_id=cliente.pk).exists()
    assert admin_api.get(f"/api/clientes/{cliente.pk}").status_code == 404
    assert Cliente.objects.for_tenant(other_tenant).filter(pk=ajeno.pk).exists()


def test_its_documento_is_free_again(admin_api, tenant):
    cliente = make_cliente(tenant, documento="900.1")
    admin_api.delete(f"/api/clientes/{cliente.pk}")

    response = admin_api.post(
        "/api/clientes", {"nombre": "Otro", "documento": "9001"}, format="json"
    )

    assert response.status_code == 201


def test_a_customer_with_sales_or_quotations_is_409_with_how_many(admin_api, tenant):
    cliente = make_cliente(tenant)
    make_venta(tenant, cliente)
    make_venta(tenant, cliente)
    make_cotizacion(tenant, cliente)

    response = admin_api.delete(f"/api/clientes/{cliente.pk}")

    assert response.status_code == 409
    assert response.json() == {"error": CON_DOCUMENTOS, "ventas": 2, "cotizaciones": 1}
    assert Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).exists()
    assert ClienteEvento.objects.for_tenant(tenant).filter(cliente_id=cliente.pk).exists()


def test_only_an_admin_deletes(api, tenant):
    cliente = make_cliente(tenant)

    response = api.delete(f"/api/clientes/{cliente.pk}")

    assert response.status_code == 403
    assert response.json() == {"error": "Solo un administrador puede eliminar clientes"}
    assert Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).exists()


def test_another_tenants_customer_is_404(admin_api, other_tenant):
    ajeno = make_cliente(other_tenant)

    assert admin_api.delete(f"/api/clientes/{ajeno.pk}").status_code == 404
    assert Cliente.objects.for_tenant(other_tenant).filter(pk=ajeno.pk).exists()


def answer_while_deleted_by_another(cliente, request):
    """What ``request`` answers when another connection holds the customer's row, as a delete
    does, while the request is under way, then deletes it."""
    answers = []

    def run():
        answers.append(request())
        connection.close()

    with psycopg.connect(database_url(connection.settings_dict)) as holder:
        holder.execute(
            "SELECT 1 FROM clientes_cliente WHERE tenant_id = %s AND id = %s FOR UPDATE",
            [cliente.tenant_id, cliente.pk],
        )
        waiting = threading.Thread(target=run)
        waiting.start()
        waiting.join(timeout=1)
        holder.execute(
            "DELETE FROM clientes_clienteevento WHERE tenant_id = %s AND cliente_id = %s",
            [cliente.tenant_id, cliente.pk],
        )
        holder.execute(
            "DELETE FROM clientes_cliente WHERE tenant_id = %s AND id = %s",
            [cliente.tenant_id, cliente.pk],
        )
    waiting.join(timeout=30)
    return answers[0]


@pytest.mark.django_db(transaction=True)
def test_a_sale_racing_the_delete_never_leaves_a_document_without_its_customer(tenant, admin_user):
    """The delete holds the customer's row; the sale's insert waits on it, then finds no
    customer: it is refused (400), or it went first and the delete is a 409."""
    cliente = make_cliente(tenant)
    line = {"descripcion": "Cemento", "cantidad": 1, "precioUnitario": 100}

    venta = answer_while_deleted_by_another(
        cliente,
        lambda: token_client(admin_user).post(
            "/api/ventas", {"clienteId": cliente.pk, "items": [line]}, format="json"
        ),
    )

    assert venta.status_code == 400, venta.content
    assert venta.json() == {"error": "El cliente ya no existe en la empresa"}
    assert not Venta.objects.for_tenant(tenant).exists()


@pytest.mark.django_db(transaction=True)
def test_a_customer_deleted_while_a_request_waits_for_it_is_404(tenant, admin_user):
    cliente = make_cliente(tenant)

    response = answer_while_deleted_by_another(
        cliente, lambda: token_client(admin_user).delete(f"/api/clientes/{cliente.pk}")
    )

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente no encontrado"}
