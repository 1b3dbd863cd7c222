"""An answer that asks the client to try again is not what its ``Idempotency-Key`` stands for:
a sale refused because the tenant's numbering row stayed locked past ``lock_timeout`` (409
``El recurso está ocupado``, ``Retry-After``) is not stored, so the till's retry with the same
key, as the answer told it, records the sale."""

import psycopg
import pytest
from django.db import connection

from devtools.databases import database_url
from tenants.models import IdempotentRequest
from tests.clients import token_client
from tests.factories import make_tenant, make_user
from ventas.models import Venta

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "caja-1:venta-7"
OCUPADO = {"error": "El recurso está ocupado; intente de nuevo"}
BODY = {"items": [{"descripcion": "Cemento gris 50 kg", "cantidad": 2, "precioUnitario": 32900}]}


def post_sale(client):
    return client.post("/api/ventas", BODY, format="json", HTTP_IDEMPOTENCY_KEY=KEY)


def test_a_sale_refused_behind_a_locked_counter_runs_again_on_retry(short_lock_timeout):
    tenant = make_tenant()
    client = token_client(make_user(tenant))
    assert client.post("/api/ventas", BODY, format="json").status_code == 201  # the counter row

    with psycopg.connect(database_url(connection.settings_dict)) as holder:
        holder.execute(
            "SELECT 1 FROM documentos_numeracion WHERE tenant_id = %s FOR UPDATE", [tenant.pk]
        )
        busy = post_sale(client)
    retried = post_sale(client)
    replayed = post_sale(client)

    assert (busy.status_code, busy.json()) == (409, OCUPADO)
    assert int(busy["Retry-After"]) > 0
    assert retried.status_code == 201, retried.content
    assert retried.get("Idempotent-Replayed") is None
    assert replayed.status_code == 201 and replayed["Idempotent-Replayed"] == "true"
    assert replayed.json() == retried.json()
    assert Venta.objects.for_tenant(tenant).count() == 2
    stored = IdempotentRequest.objects.for_tenant(tenant).get(clave=KEY)
    assert stored.status == 201
