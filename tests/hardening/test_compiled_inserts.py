"""``INSERT``s compiled once per shape (``tenants.inserts``): the text Django's compiler
writes, bound to each row's own values, its tenant among them; what cannot be reused takes
Django's path."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models.functions import Now
from django.db.models.sql import InsertQuery
from django.test.utils import CaptureQueriesContext

import tenants.inserts
from clientes.models import Cliente

pytestmark = pytest.mark.django_db

GIVEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


@pytest.fixture(autouse=True)
def shapes(monkeypatch) -> dict:
    """The process's kept shapes, empty for each test."""
    kept: dict = {}
    monkeypatch.setattr(tenants.inserts, "_shapes", kept)
    return kept


def _cliente(tenant, nombre: str, **fields) -> Cliente:
    return Cliente(tenant=tenant, nombre=nombre, **fields)


def _djangos_text(obj) -> str:
    fields = [f for f in obj._meta.local_concrete_fields if not f.generated and not f.primary_key]
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(using="default")
    compiler.returning_fields = obj._meta.db_returning_fields
    [(sql, _params)] = compiler.as_sql()
    return sql


def _stored(*nombres) -> set[tuple]:
    rows = Cliente.objects.unscoped().filter(nombre__in=nombres)
    return set(rows.values_list("nombre", "tenant_id"))


def test_the_kept_text_is_the_one_djangos_compiler_writes(tenant, shapes):
    _cliente(tenant, "Ana", creado_en=GIVEN).save()

    [text] = shapes.values()
    assert text == _djangos_text(_cliente(tenant, "Otra", creado_en=GIVEN))


def test_a_kept_shape_is_not_compiled_again(tenant, shapes, monkeypatch):
    _cliente(tenant, "Primera").save()

    def compile_again(*args):
        raise AssertionError("compiled again")

    monkeypatch.setattr(tenants.inserts, "_compiled", compile_again)
    _cliente(tenant, "Segunda").save()

    assert len(shapes) == 1
    assert _stored("Segunda") == {("Segunda", tenant.pk)}


def test_rows_of_two_tenants_bound_to_one_shape_each_keep_their_own_tenant(
    tenant, other_tenant, shapes
):
    with CaptureQueriesContext(connection) as queries:
        _cliente(tenant, "Mía").save()
        _cliente(other_tenant, "Suya").save()

    assert len(shapes) == 1
    assert len(queries.captured_queries) == 2
    assert _stored("Mía", "Suya") == {("Mía", tenant.pk), ("Suya", other_tenant.pk)}
    assert list(Cliente.objects.for_tenant(tenant).values_list("nombre", flat=True)) == ["Mía"]


def test_the_returned_columns_reach_the_instance(tenant):
    cliente = _cliente(tenant, "Ana", documento="1.020-345")
    cliente.save()

    stored = Cliente.objects.for_tenant(tenant).get(pk=cliente.pk)
    assert isinstance(cliente.creado_en, datetime)
    assert cliente.creado_en == stored.creado_en
    assert cliente.archivado is False
    assert cliente.documento_canonico == stored.documento_canonico == "1020345"


def test_a_column_at_its_database_default_and_the_same_column_given_are_two_shapes(tenant, shapes):
    _cliente(tenant, "Dada", creado_en=GIVEN).save()
    _cliente(tenant, "Por defecto").save()

    assert len(shapes) == 2
    creados = dict(Cliente.objects.for_tenant(tenant).values_list("nombre", "creado_en"))
    assert creados["Dada"] == GIVEN
    assert creados["Por defecto"] > GIVEN


def test_an_expression_value_takes_djangos_path(tenant, shapes):
    cliente = _cliente(tenant, "Ahora", creado_en=Now())
    cliente.save()

    assert shapes == {}
    assert _stored("Ahora") == {("Ahora", tenant.pk)}
    assert isinstance(cliente.creado_en, datetime)


def test_a_raw_save_takes_djangos_path(tenant, shapes):
    _cliente(tenant, "Fixture", creado_en=GIVEN, actualizado_en=GIVEN).save_base(raw=True)

    assert shapes == {}
    assert _stored("Fixture") == {("Fixture", tenant.pk)}


def test_a_field_whose_placeholder_depends_on_its_value_is_never_reused(
    tenant, shapes, monkeypatch
):
    notas = Cliente._meta.get_field("notas")
    monkeypatch.setattr(notas, "get_placeholder", lambda *args: "%s", raising=False)

    _cliente(tenant, "Marcada", notas="x").save()

    assert list(shapes.values()) == [None]
    assert _stored("Marcada") == {("Marcada", tenant.pk)}


def test_a_bulk_create_of_one_row_binds_a_kept_shape(tenant, shapes):
    [cliente] = Cliente.objects.bulk_create([_cliente(tenant, "Sola")])

    assert len(shapes) == 1
    assert Cliente.objects.for_tenant(tenant).get(pk=cliente.pk).nombre == "Sola"


def test_several_rows_bind_one_kept_text_whatever_their_number(tenant, shapes, monkeypatch):
    times = {"creado_en": GIVEN, "actualizado_en": GIVEN}
    first = Cliente.objects.bulk_create([_cliente(tenant, n, **times) for n in ("A", "B")])

    def compile_again(*args):
        raise AssertionError("compiled again")

    monkeypatch.setattr(tenants.inserts, "_compiled", compile_again)
    second = Cliente.objects.bulk_create([_cliente(tenant, n, **times) for n in ("C", "D", "E")])

    [text] = shapes.values()
    assert "UNNEST" in text
    stored = dict(Cliente.objects.for_tenant(tenant).values_list("pk", "nombre"))
    assert {row.pk: row.nombre for row in first + second} == stored
    assert _stored("A", "E") == {("A", tenant.pk), ("E", tenant.pk)}


def test_several_rows_with_a_column_at_its_database_default_take_djangos_path(tenant, shapes):
    with CaptureQueriesContext(connection) as queries:
        rows = Cliente.objects.bulk_create([_cliente(tenant, "Una"), _cliente(tenant, "Dos")])

    assert shapes == {}
    assert len(queries.captured_queries) == 1  # both rows in one statement
    stored = dict(Cliente.objects.for_tenant(tenant).values_list("pk", "nombre"))
    assert {row.pk: row.nombre for row in rows} == stored
