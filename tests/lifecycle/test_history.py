"""GET /api/clientes/{id}/eventos: a customer's changes, oldest first, each written with the
change (by the API, the admin and the import alike), naming the user who made it."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from clientes.models import ClienteEvento
from tests.admin.conftest import make_staff
from tests.admin.helpers import CLIENTES as CLIENTES_ADMIN
from tests.admin.helpers import change_url, cliente_data, form_errors
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db

CLIENTES = "/api/clientes"


def eventos(client, pk: int) -> list[dict]:
    response = client.get(f"{CLIENTES}/{pk}/eventos")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_customer_created_through_the_api_has_its_creado_event(api, user):
    pk = api.post(CLIENTES, {"nombre": "Ana"}, format="json").json()["id"]

    [creado] = eventos(api, pk)

    assert creado["tipo"] == "CREADO"
    assert creado["usuario"] == {"id": user.pk, "nombre": user.nombre}
    assert creado["cambios"] is None
    assert creado["en"].endswith("Z")


def test_an_update_records_what_changed_before_and_after(api, tenant):
    pk = api.post(CLIENTES, {"nombre": "Ana", "email": "ana@a.co"}, format="json").json()["id"]

    api.patch(f"{CLIENTES}/{pk}", {"nombre": "Ana María", "email": "ana@a.co"}, format="json")

    assert [e["tipo"] for e in eventos(api, pk)] == ["CREADO", "ACTUALIZADO"]
    assert eventos(api, pk)[1]["cambios"] == {"nombre": ["Ana", "Ana María"]}


def test_an_update_that_changes_nothing_records_nothing(api, tenant):
    pk = api.post(CLIENTES, {"nombre": "Ana"}, format="json").json()["id"]

    api.put(f"{CLIENTES}/{pk}", {"nombre": "Ana", "notas": ""}, format="json")

    assert [e["tipo"] for e in eventos(api, pk)] == ["CREADO"]


def test_archiving_and_unarchiving_are_events_of_their_own(api, tenant):
    pk = api.post(CLIENTES, {"nombre": "Ana"}, format="json").json()["id"]

    api.patch(f"{CLIENTES}/{pk}", {"archivado": True, "notas": "se fue"}, format="json")
    api.patch(f"{CLIENTES}/{pk}", {"archivado": False}, format="json")

    tipos = [(e["tipo"], e["cambios"]) for e in eventos(api, pk)]
    assert tipos == [
        ("CREADO", None),
        ("ACTUALIZADO", {"notas": [None, "se fue"]}),
        ("ARCHIVADO", None),
        ("DESARCHIVADO", None),
    ]


def test_a_command_import_records_creado_and_actualizado_without_a_user(tenant, api, tmp_path):
    existing = make_cliente(tenant, nombre="Ana", documento="1")
    path = tmp_path / "clientes.csv"
    path.write_text("nombre,documento\nAna María,1\nBeto,2\n")

    call_command("import_clientes", "--tenant", tenant.slug, str(path), stdout=io.StringIO())

    actualizado = eventos(api, existing.pk)[-1]
    assert (actualizado["tipo"], actualizado["usuario"]) == ("ACTUALIZADO", None)
    assert actualizado["cambios"] == {"nombre": ["Ana", "Ana María"]}
    beto = ClienteEvento.objects.for_tenant(tenant).get(cliente__documento="2")
    assert (beto.tipo, beto.usuario_id) == ("CREADO", None)


def test_an_admin_change_is_recorded_with_the_admin_user(tenant, api):
    staff = make_staff(tenant, rol="ADMIN")
    browser = Client()
    browser.force_login(staff)
    cliente = make_cliente(tenant, nombre="Ana")

    response = browser.post(
        change_url(CLIENTES_ADMIN, cliente.pk), cliente_data(nombre="Ana Admin")
    )
    assert response.status_code == 302, form_errors(response)

    ultimo = eventos(api, cliente.pk)[-1]
    assert ultimo["tipo"] == "ACTUALIZADO"
    assert ultimo["usuario"] == {"id": staff.pk, "nombre": staff.nombre}
    assert ultimo["cambios"]["nombre"] == ["Ana", "Ana Admin"]


def test_another_tenants_customer_has_no_events_to_show(api, other_tenant):
    ajeno = make_cliente(other_tenant)

    response = api.get(f"{CLIENTES}/{ajeno.pk}/eventos")

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente no encontrado"}


def test_the_history_reads_in_a_fixed_number_of_queries(api, tenant, django_assert_max_num_queries):
    pk = api.post(CLIENTES, {"nombre": "Ana"}, format="json").json()["id"]
    for n in range(10):
        api.patch(f"{CLIENTES}/{pk}", {"notas": f"nota {n}"}, format="json")

    with django_assert_max_num_queries(3):  # the token (and counter), the customer, its events
        assert len(eventos(api, pk)) == 11
