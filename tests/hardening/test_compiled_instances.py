"""Instances read through a compiled shape (``CompiledShapes.instances``): the rows the ORM
would give, related and annotated alike, of the bound tenant only; what the shape cannot
keep is read by the ORM."""

import pytest
from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from clientes.models import Cliente
from eventos.models import Evento
from tenants.compiled import CompiledShapes
from tenants.scoping import TenantScopeError
from tests.factories import make_cliente, make_venta
from ventas.models import Venta, VentaItem

pytestmark = pytest.mark.django_db


def _one(*, tenant, pk):
    return Cliente.objects.for_tenant(tenant).filter(pk=pk)


def _field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_an_instance_read_by_a_shape_is_the_row_the_orm_reads(tenant):
    cliente = make_cliente(tenant, nombre="Ana", documento="1.020-345", notas="x")

    read = CompiledShapes("test").instance("one", _one, tenant=tenant.pk, pk=cliente.pk)

    orm = Cliente.objects.for_tenant(tenant).get(pk=cliente.pk)
    assert _field_values(read) == _field_values(orm)
    assert read._state.adding is False
    assert read._state.db == "default"


def test_another_tenants_row_is_none_through_the_same_shape(tenant, other_tenant):
    mine = make_cliente(tenant, nombre="Mía")
    theirs = make_cliente(other_tenant, nombre="Suya")
    shapes = CompiledShapes("test")

    assert shapes.instance("one", _one, tenant=tenant.pk, pk=mine.pk).nombre == "Mía"
    assert shapes.instance("one", _one, tenant=tenant.pk, pk=theirs.pk) is None
    assert shapes.instance("one", _one, tenant=other_tenant.pk, pk=theirs.pk).nombre == "Suya"
    assert len(shapes._compiled) == 1


def test_select_related_instances_come_with_the_row(tenant):
    venta = make_venta(tenant, make_cliente(tenant, nombre="Comprador"))

    def with_cliente(*, tenant, pk):
        return Venta.objects.for_tenant(tenant).select_related("cliente").filter(pk=pk)

    read = CompiledShapes("test").instance("v", with_cliente, tenant=tenant.pk, pk=venta.pk)

    with CaptureQueriesContext(connection) as queries:
        assert read.cliente.nombre == "Comprador"
    assert queries.captured_queries == []


def test_prefetched_rows_come_with_the_instances(tenant):
    venta = make_venta(tenant, total="12.50")

    def with_items(*, tenant, pk):
        return Venta.objects.for_tenant(tenant).prefetch_related("items").filter(pk=pk)

    read = CompiledShapes("test").instance("v", with_items, tenant=tenant.pk, pk=venta.pk)

    with CaptureQueriesContext(connection) as queries:
        assert [str(item.subtotal) for item in read.items.all()] == ["12.50"]
    assert queries.captured_queries == []


def test_a_prefetch_with_its_own_queryset_is_read_by_the_orm(tenant, other_tenant):
    venta = make_venta(tenant, total="12.50")
    shapes = CompiledShapes("test")

    def with_own_items(*, tenant, pk):
        mine = VentaItem.objects.for_tenant(tenant)
        return (
            Venta.objects.for_tenant(tenant).prefetch_related(Prefetch("items", mine)).filter(pk=pk)
        )

    read = shapes.instance("v", with_own_items, tenant=tenant.pk, pk=venta.pk)

    assert [str(item.subtotal) for item in read.items.all()] == ["12.50"]
    assert shapes._compiled[("v", ("pk", "tenant"))].rows is None


def test_annotations_reach_the_instances(tenant):
    cliente = make_cliente(tenant, nombre="Ana")

    def annotated(*, tenant, pk):
        return _one(tenant=tenant, pk=pk).annotate(doble=F("id") * 2)

    read = CompiledShapes("test").instance("a", annotated, tenant=tenant.pk, pk=cliente.pk)

    assert read.doble == cliente.pk * 2


@pytest.mark.django_db(transaction=True)  # autocommit outside the block, as in production
def test_a_kept_locking_shape_still_needs_a_transaction(tenant):
    cliente = make_cliente(tenant)
    shapes = CompiledShapes("test")

    def locked(*, tenant, pk):
        return _one(tenant=tenant, pk=pk).select_for_update()

    with transaction.atomic():
        assert shapes.instance("l", locked, tenant=tenant.pk, pk=cliente.pk) == cliente

    with pytest.raises(TransactionManagementError):
        shapes.instance("l", locked, tenant=tenant.pk, pk=cliente.pk)


def test_a_shape_whose_columns_django_converts_is_read_by_the_orm(tenant):
    make_cliente(tenant, nombre="Ana")  # publishes cliente.creado, whose datos is JSON
    shapes = CompiledShapes("test")

    def events(*, tenant):
        return Evento.objects.for_tenant(tenant)

    [evento] = shapes.instances("e", events, tenant=tenant.pk)

    assert evento.datos["nombre"] == "Ana"
    assert shapes._compiled[("e", ("tenant",))].rows is None


def test_an_instance_shape_refuses_an_unscoped_queryset():
    with pytest.raises(TenantScopeError):
        CompiledShapes("test").instance("bad", lambda *, tenant: Cliente.objects.all(), tenant=1)
