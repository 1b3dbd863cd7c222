"""POST /api/clientes/{id}/anonimizar: the person is erased (ADMIN only, irreversible). The
customer keeps its id, sales and quotations under ``Cliente anonimizado #{id}``, and nothing
of its former values is left anywhere in the database."""

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from clientes.models import Cliente
from tenants.models import User
from tests.clients import token_client
from tests.factories import make_user
from ventas.models import Venta

pytestmark = pytest.mark.django_db

DISTINCT = {
    "nombre": "Zoraida Quintanilla Ybarra",
    "documento": "77.665.544-3",
    "email": "zoraida.qy@correo-unico.example",
    "telefono": "+57 318 765 4321",
    "direccion": "Carrera 99 # 88-77 Barrio Único",
    "notas": "Prefiere llamadas después de las 19:00 (Zoraida)",
}
LINE = {"descripcion": "Cemento", "cantidad": 1, "precioUnitario": 100}


@pytest.fixture
def persona(admin_api, admin_user, tenant):
    """A customer whose values appear everywhere a customer can appear: its answers and
    history, sales and quotations, stored Idempotency-Key answers, the admin's log."""
    body = dict(DISTINCT, email="vieja@correo-unico.example")
    created = admin_api.post("/api/clientes", body, format="json", HTTP_IDEMPOTENCY_KEY="alta-1")
    pk = created.json()["id"]
    admin_api.patch(f"/api/clientes/{pk}", {"email": DISTINCT["email"]}, format="json")
    for path in ("/api/ventas", "/api/cotizaciones"):
        body = {"clienteId": pk, "items": [LINE]}
        admin_api.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=path)
    LogEntry.objects.create(
        user_id=admin_user.pk,
        content_type_id=ContentType.objects.get_for_model(Cliente).pk,
        object_id=str(pk),
        object_repr=DISTINCT["nombre"],
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"fields": ["{DISTINCT["nombre"]}"]}}}}]',
    )
    return pk


def every_text_json_and_binary_value() -> list[tuple[str, str, str]]:
    """(table, column, value as text) of every text, JSON and binary column of every table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')"
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')  # noqa: S608
            found.extend((table, column, _as_text(value)) for (value,) in cursor.fetchall())
        return found


def _as_text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def traces(values) -> list[str]:
    everything = every_text_json_and_binary_value()
    return [
        f"{table}.{column} holds {value!r}"
        for table, column, text in everything
        for value in values
        if value and value.lower() in text.lower()
    ]


def test_erasure_leaves_no_trace_of_the_former_values(admin_api, tenant, persona):
    former = [*DISTINCT.values(), "vieja@correo-unico.example", "Zoraida", "77.665.544-3"]
    assert traces(former), "the fixture should have spread the values around"

    response = admin_api.post(f"/api/clientes/{persona}/anonimizar")

    assert response.status_code == 200, response.content
    assert traces(former) == []


def test_the_customer_is_anonymized_archived_and_keeps_its_documents(admin_api, tenant, persona):
    ventas_before = list(Venta.objects.for_tenant(tenant).values_list("id", "numero", "total"))

    body = admin_api.post(f"/api/clientes/{persona}/anonimizar").json()

    assert body["nombre"] == f"Cliente anonimizado #{persona}"
    for field in ("documento", "email", "telefono", "direccion", "notas"):
        assert body[field] is None, field
    assert body["archivado"] is True
    assert body["anonimizadoEn"].endswith("Z")
    assert list(Venta.objects.for_tenant(tenant).values_list("id", "numero", "total")) == (
        ventas_before
    )
    [venta] = admin_api.get("/api/ventas").json()
    assert venta["cliente"] == {"id": persona, "nombre": f"Cliente anonimizado #{persona}"}


def test_its_history_keeps_what_changed_without_the_values(admin_api, persona):
    admin_api.post(f"/api/clientes/{persona}/anonimizar")

    eventos = admin_api.get(f"/api/clientes/{persona}/eventos").json()

    assert [e["tipo"] for e in eventos] == ["CREADO", "ACTUALIZADO", "ANONIMIZADO"]
    assert eventos[1]["cambios"] == {"email": [None, None]}
    assert eventos[2]["cambios"] is None


def test_a_replayed_answer_shows_the_anonymized_customer(admin_api, persona):
    admin_api.post(f"/api/clientes/{persona}/anonimizar")

    replay = admin_api.post(
        "/api/ventas",
        {"clienteId": persona, "items": [LINE]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="/api/ventas",
    )

    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json()["cliente"]["nombre"] == f"Cliente anonimizado #{persona}"


def test_erasing_again_is_409_and_an_erased_customer_is_not_unarchived(admin_api, persona):
    admin_api.post(f"/api/clientes/{persona}/anonimizar")

    again = admin_api.post(f"/api/clientes/{persona}/anonimizar")
    unarchive = admin_api.patch(f"/api/clientes/{persona}", {"archivado": False}, format="json")
    rename = admin_api.patch(f"/api/clientes/{persona}", {"nombre": "Zoraida"}, format="json")

    assert (again.status_code, again.json()) == (409, {"error": "El cliente ya está anonimizado"})
    assert unarchive.status_code == 409
    assert rename.status_code == 409


def test_only_an_admin_erases(api, tenant, persona):
    response = api.post(f"/api/clientes/{persona}/anonimizar")

    assert response.status_code == 403
    assert response.json() == {"error": "Solo un administrador puede anonimizar clientes"}
    assert Cliente.objects.for_tenant(tenant).get(pk=persona).anonimizado_en is None


def test_another_tenants_customer_is_404(other_tenant, persona):
    outsider = token_client(make_user(other_tenant, rol=User.Rol.ADMIN))

    assert outsider.post(f"/api/clientes/{persona}/anonimizar").status_code == 404
