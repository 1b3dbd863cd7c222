"""A customer's stored answer (``clientes.stored_answer``) stays its answer whatever writes it.

It is a generated column computed by PostgreSQL: after the API, the admin, bulk inserts,
COPY, ``QuerySet.update``, the CSV import, archiving or erasure, a customers' page is byte
for byte its customers' details.
"""

from datetime import UTC, datetime

import orjson
import pytest
from django.db import connection
from django.test import Client

from clientes.models import Cliente
from clientes.representation import CLIENTE_FIELDS, as_api_answer
from clientes.stored_answer import COLUMNS, FUNCTION, drop_function_sql, function_sql
from tenants.models import User
from tests.admin.helpers import CLIENTES, change_url, cliente_data
from tests.factories import PASSWORD, make_cliente
from tests.importexport.helpers import run_import, write_csv

pytestmark = pytest.mark.django_db

URL = "/api/clientes"
# What only the database holds: the API refuses control characters.
TEXT = '«comillas " barra \\ línea\nnueva\ttab \x01 ñandú 😀 </script> \u2028 %_»'
TYPED = '«comillas " barra \\ ñandú 😀 </script> %_»'


@pytest.fixture(autouse=True)
def _another_shops_customer(other_tenant) -> None:
    """In every test: the pages compared hold none of it."""
    make_cliente(other_tenant, nombre="Ajena")


def page_rows(api) -> dict[int, dict]:
    """Each customer of a page (every customer: ``archivado=todos``), by id."""
    response = api.get(URL, {"archivado": "todos"})
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in orjson.loads(response.content)}


def assert_pages_show_the_details(api, *ids: int) -> None:
    """The page (only these customers, newest first) is their details' bytes, joined."""
    page = api.get(URL, {"archivado": "todos"})
    details = [api.get(f"{URL}/{pk}") for pk in sorted(ids, reverse=True)]
    assert all(detail.status_code == 200 for detail in details)
    assert page.content == b"[" + b",".join(detail.content for detail in details) + b"]"


def test_created_through_the_api_the_page_shows_the_detail(api):
    body = {"nombre": TYPED, "documento": "80.123-7", "email": "a@example.test", "notas": TYPED}

    cliente_id = api.post(URL, body, format="json").json()["id"]

    assert_pages_show_the_details(api, cliente_id)


def test_an_update_through_the_api_is_on_the_page(api):
    cliente_id = api.post(URL, {"nombre": "Ana"}, format="json").json()["id"]

    api.patch(f"{URL}/{cliente_id}", {"nombre": "Beatriz", "telefono": TYPED}, format="json")

    assert_pages_show_the_details(api, cliente_id)
    assert page_rows(api)[cliente_id]["telefono"] == TYPED


def test_an_archived_customer_is_shown_archived(api, tenant):
    cliente = make_cliente(tenant)

    api.patch(f"{URL}/{cliente.pk}", {"archivado": True}, format="json")

    assert_pages_show_the_details(api, cliente.pk)
    assert page_rows(api)[cliente.pk]["archivado"] is True


def test_an_erased_customer_keeps_nothing_of_the_person(admin_api, tenant):
    cliente = make_cliente(tenant, nombre="Persona Borrable", email="borrable@example.test")

    admin_api.post(f"{URL}/{cliente.pk}/anonimizar")

    assert_pages_show_the_details(admin_api, cliente.pk)
    stored = Cliente.objects.for_tenant(tenant).get(pk=cliente.pk).representacion
    assert "Borrable" not in stored
    assert "borrable@example.test" not in stored


def test_a_queryset_update_is_on_the_page(api, tenant):
    cliente = make_cliente(tenant)

    Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).update(direccion=TEXT, notas=None)

    assert_pages_show_the_details(api, cliente.pk)


def test_bulk_created_rows_are_on_the_page(api, tenant, other_tenant):
    rows = [
        Cliente.objects.bulk_create([Cliente(tenant=shop, nombre=TEXT)])[0]
        for shop in (tenant, other_tenant)
    ]

    assert_pages_show_the_details(api, rows[0].pk)


def test_rows_written_with_copy_are_on_the_page(api, tenant):
    statement = "COPY clientes_cliente (tenant_id, nombre, notas) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write_row((tenant.pk, "Raúl Copiado", TEXT))

    (cliente_id,) = page_rows(api)
    assert_pages_show_the_details(api, cliente_id)


def test_an_admin_edit_is_on_the_page(api, tenant):
    cliente = make_cliente(tenant, nombre="Nombre Viejo")
    superuser = User.objects.create_superuser("root@example.test", PASSWORD, nombre="Root")
    admin = Client()
    admin.force_login(superuser)

    response = admin.post(
        change_url(CLIENTES, cliente.pk), cliente_data(tenant=tenant.pk, nombre="José Nuevo")
    )

    assert response.status_code == 302, response.content
    assert_pages_show_the_details(api, cliente.pk)
    assert page_rows(api)[cliente.pk]["nombre"] == "José Nuevo"


def test_imported_rows_are_on_the_page(api, tenant, tmp_path):
    run_import(tenant, write_csv(tmp_path, "nombre,telefono\nÁngela Importada,301 777 8888\n"))

    (cliente_id,) = page_rows(api)
    assert_pages_show_the_details(api, cliente_id)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, 600, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_times_are_written_as_the_detail_writes_them(api, tenant, moment):
    cliente = make_cliente(tenant)

    Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).update(
        creado_en=moment, actualizado_en=moment, anonimizado_en=moment
    )

    assert_pages_show_the_details(api, cliente.pk)


def test_the_stored_answer_does_not_depend_on_the_sessions_settings(tenant):
    """IMMUTABLE is true of the function: a writer's time zone, date style and string
    literals change nothing. (Called by itself: on Citus a write would also move the date,
    README, "Scaling out on Citus".)"""
    cliente = make_cliente(tenant, nombre=TEXT)
    Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).update(
        creado_en=datetime(2026, 7, 8, 9, 10, 11, 120000, tzinfo=UTC)
    )
    stored = Cliente.objects.for_tenant(tenant).get(pk=cliente.pk)
    call = f"SELECT {FUNCTION}({', '.join(['%s'] * len(COLUMNS))})"

    with connection.cursor() as cursor:
        cursor.execute(
            "SET TimeZone = 'America/Bogota'; SET DateStyle = 'SQL, DMY';"
            " SET standard_conforming_strings = off"
        )
        try:
            cursor.execute(call, [getattr(stored, column) for column in COLUMNS])
            (written,) = cursor.fetchone()
        finally:
            cursor.execute("RESET TimeZone; RESET DateStyle; RESET standard_conforming_strings")

    assert written == stored.representacion
    assert orjson.loads(written) == as_api_answer(stored)
    assert orjson.loads(written)["creadoEn"] == "2026-07-08T09:10:11.120000Z"


def test_the_functions_arguments_are_the_answer_fields_columns_in_wire_order():
    assert tuple(field.column for field in CLIENTE_FIELDS) == COLUMNS


def test_the_migrated_function_is_the_one_the_code_defines():
    """Migrations keep frozen SQL; a change in a customer's answer needs a new migration."""

    def functions() -> list[tuple[str, str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_function_identity_arguments(oid), provolatile, prosrc"
                " FROM pg_proc WHERE proname = %s",
                [FUNCTION],
            )
            return cursor.fetchall()

    migrated = functions()
    with connection.cursor() as cursor:
        cursor.execute(function_sql())

    assert len(migrated) == 1
    assert migrated[0][1] == "i"  # IMMUTABLE, as a generated column requires
    assert functions() == migrated
    assert f"{FUNCTION}({migrated[0][0]})" == drop_function_sql().removeprefix(
        "DROP FUNCTION IF EXISTS "
    ).replace("varchar", "character varying")
