"""Compiled SQL reused by shape (``tenants.compiled``) keeps the tenancy gate: a shape never
holds a tenant, and an unscoped queryset is never compiled."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from clientes.models import Cliente
from tenants.compiled import CompiledShapes, compile_scoped
from tenants.scoping import TenantScopeError
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db


def _ids(sql: str, params: list) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _customers_of(*, tenant, cursor=None):
    customers = Cliente.objects.for_tenant(tenant)
    if cursor is not None:
        customers = customers.filter(id__lt=cursor)
    return customers.order_by("-id").values("id")


def test_a_shape_compiled_for_one_tenant_returns_nothing_of_it_bound_for_another(
    tenant, other_tenant
):
    mine = make_cliente(tenant, nombre="Mía")
    theirs = make_cliente(other_tenant, nombre="Suya")
    shapes = CompiledShapes("test")

    first = shapes.sql_and_params("all", _customers_of, tenant=tenant.pk, cursor=None)
    second = shapes.sql_and_params("all", _customers_of, tenant=other_tenant.pk, cursor=None)

    assert first[0] == second[0]  # the same compiled SQL, only the parameters differ
    assert _ids(*first) == {mine.pk}
    assert _ids(*second) == {theirs.pk}


def test_the_compiled_sql_holds_no_tenant_id(tenant):
    shapes = CompiledShapes("test")

    _sql, params = shapes.sql_and_params("all", _customers_of, tenant=tenant.pk, cursor=None)

    compiled = shapes._compiled[("all", ("tenant",))]
    assert tenant.pk not in compiled.params
    assert params.count(tenant.pk) == 1


def test_every_bound_value_takes_its_own_place(tenant):
    older = make_cliente(tenant, nombre="Antes")
    newer = make_cliente(tenant, nombre="Después")
    shapes = CompiledShapes("test")

    page = shapes.sql_and_params("page", _customers_of, tenant=tenant.pk, cursor=newer.pk)

    assert _ids(*page) == {older.pk}


def test_a_value_given_as_none_is_another_shape(tenant):
    shapes = CompiledShapes("test")

    without = shapes.sql_and_params("page", _customers_of, tenant=tenant.pk, cursor=None)
    with_cursor = shapes.sql_and_params("page", _customers_of, tenant=tenant.pk, cursor=5)

    assert without[0] != with_cursor[0]
    assert len(shapes._compiled) == 2


def test_moments_are_bound_too(tenant):
    make_cliente(tenant, nombre="Hoy")
    shapes = CompiledShapes("test")

    def created_before(*, tenant, now):
        return Cliente.objects.for_tenant(tenant).filter(creado_en__lt=now).values("id")

    past = datetime(2000, 1, 1, tzinfo=UTC)
    future = datetime(2999, 1, 1, tzinfo=UTC)
    assert _ids(*shapes.sql_and_params("t", created_before, tenant=tenant.pk, now=past)) == set()
    assert len(_ids(*shapes.sql_and_params("t", created_before, tenant=tenant.pk, now=future))) == 1


def _named(*, tenant, nombre):
    return Cliente.objects.for_tenant(tenant).filter(nombre=nombre).values("id")


def test_texts_are_bound_too(tenant):
    ana = make_cliente(tenant, nombre="Ana")
    luis = make_cliente(tenant, nombre="Luis")
    shapes = CompiledShapes("test")

    assert _ids(*shapes.sql_and_params("t", _named, tenant=tenant.pk, nombre="Ana")) == {ana.pk}
    assert _ids(*shapes.sql_and_params("t", _named, tenant=tenant.pk, nombre="Luis")) == {luis.pk}
    assert len(shapes._compiled) == 1


def test_a_text_the_build_changed_is_refused(tenant):
    shapes = CompiledShapes("test")

    def upper_cased(*, tenant, nombre):
        return _named(tenant=tenant, nombre=nombre.upper())

    with pytest.raises(ValueError, match="nombre did not reach the SQL unchanged"):
        shapes.sql_and_params("t", upper_cased, tenant=tenant.pk, nombre="Ana")

    assert shapes._compiled == {}


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda *, tenant: Cliente.objects.values("id"), id="no tenant"),
        pytest.param(lambda *, tenant: Cliente.objects.unscoped().values("id"), id="unscoped"),
        pytest.param(
            lambda *, tenant: Cliente.objects.filter(tenant_id__gte=tenant).values("id"),
            id="a range of tenants",
        ),
    ],
)
def test_the_gate_refuses_an_unscoped_shape(build, tenant):
    shapes = CompiledShapes("test")

    with pytest.raises(TenantScopeError):
        shapes.sql_and_params("bad", build, tenant=tenant.pk)

    assert shapes._compiled == {}


def test_a_shape_whose_tenant_is_a_constant_is_refused(tenant, other_tenant):
    shapes = CompiledShapes("test")

    def fixed_tenant(*, tenant):
        return Cliente.objects.for_tenant(other_tenant).values("id")

    with pytest.raises(TenantScopeError, match="does not bind the tenant"):
        shapes.sql_and_params("fixed", fixed_tenant, tenant=tenant.pk)


def test_a_shape_needs_the_tenant():
    with pytest.raises(TenantScopeError):
        CompiledShapes("test").sql_and_params("x", _customers_of, tenant=None, cursor=None)


def test_compile_scoped_refuses_a_queryset_of_no_tenant():
    with pytest.raises(TenantScopeError):
        compile_scoped(Cliente.objects.values("id"))
