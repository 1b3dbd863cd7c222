"""The normalized search columns stay right whatever path writes a customer.

They are generated columns computed by PostgreSQL, so the ORM, bulk inserts, raw SQL (COPY),
the admin and the CSV import all keep them in step with the fields.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from clientes.models import Cliente
from tenants.models import User
from tests.admin.helpers import CLIENTES, change_url, cliente_data
from tests.factories import PASSWORD, make_cliente

pytestmark = pytest.mark.django_db

URL = "/api/clientes"


def found_ids(api, term: str) -> set[int]:
    response = api.get(URL, {"busqueda": term})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()}


def test_created_through_the_api_is_found_by_every_field(api):
    body = {
        "nombre": "Íñigo Muñoz",
        "documento": "80.123.456-7",
        "email": "INIGO@Example.com",
        "telefono": "+57 300 123-4567",
    }
    cliente_id = api.post(URL, body, format="json").json()["id"]

    for term in ["inigo munoz", "801234567", "inigo@example", "3001234567", "300.123"]:
        assert found_ids(api, term) == {cliente_id}, term


def test_an_update_through_the_api_moves_the_search_columns(api):
    cliente_id = api.post(URL, {"nombre": "Ana Peña", "telefono": "311 000 1111"}, format="json")
    cliente_id = cliente_id.json()["id"]

    api.patch(
        f"{URL}/{cliente_id}",
        {"nombre": "Beatriz Ñañez", "telefono": "312-999-2222"},
        format="json",
    )

    assert found_ids(api, "pena") == set()
    assert found_ids(api, "3110001111") == set()
    assert found_ids(api, "beatriz nanez") == {cliente_id}
    assert found_ids(api, "3129992222") == {cliente_id}


def test_bulk_created_rows_are_found(api, tenant, other_tenant):
    # One tenant a call (TenantScopedQuerySet.bulk_create).
    rows = [
        Cliente.objects.bulk_create([Cliente(tenant=shop, nombre="Óscar Bulk", documento="9.9.9")])[
            0
        ]
        for shop in (tenant, other_tenant)
    ]

    assert found_ids(api, "oscar bulk") == {rows[0].pk}
    assert found_ids(api, "999") == {rows[0].pk}


def test_rows_inserted_with_raw_sql_like_copy_are_found(api, tenant):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clientes_cliente (tenant_id, nombre, telefono) VALUES (%s, %s, %s)"
            " RETURNING id",
            [tenant.pk, "Raúl Copiado", "300.555.0000"],
        )
        (cliente_id,) = cursor.fetchone()

    assert found_ids(api, "raul copiado") == {cliente_id}
    assert found_ids(api, "3005550000") == {cliente_id}


def test_an_admin_edit_moves_the_search_columns(api, tenant):
    cliente = make_cliente(tenant, nombre="Nombre Viejo", documento="111")
    superuser = User.objects.create_superuser("root@example.test", PASSWORD, nombre="Root")
    admin = Client()
    admin.force_login(superuser)

    response = admin.post(
        change_url(CLIENTES, cliente.pk),
        cliente_data(tenant=tenant.pk, nombre="José Nuevo", documento="2-2-2"),
    )

    assert response.status_code == 302, response.content
    assert found_ids(api, "nombre viejo") == set()
    assert found_ids(api, "jose nuevo") == {cliente.pk}
    assert found_ids(api, "222") == {cliente.pk}


def test_imported_rows_are_found(api, tenant, tmp_path):
    archivo = tmp_path / "clientes.csv"
    archivo.write_text("nombre,documento,telefono\nÁngela Importada,5.5.5,301 777 8888\n")

    call_command(
        "import_clientes",
        "--tenant",
        tenant.slug,
        str(archivo),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    (cliente_id,) = found_ids(api, "angela importada")
    assert found_ids(api, "555") == {cliente_id}
    assert found_ids(api, "3017778888") == {cliente_id}


def test_the_migrated_normalization_functions_are_the_ones_the_code_defines(db):
    """Migrations keep frozen SQL; a change in clientes.search needs a new migration."""
    from clientes.search import CREATE_FUNCTIONS_SQL
    from clientes.stored_answer import FUNCTION

    def bodies() -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'clientes\\_%%'"
                " AND proname <> %s",
                [FUNCTION],  # the stored answer's (tests/clientes/test_stored_answer.py)
            )
            return dict(cursor.fetchall())

    migrated = bodies()
    with connection.cursor() as cursor:
        cursor.execute(CREATE_FUNCTIONS_SQL)

    assert len(migrated) == 3
    assert bodies() == migrated
