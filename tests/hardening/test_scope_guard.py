"""Corners of the failing-closed tenant scope (tenants.scoping) and of the write services."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from clientes.models import Cliente
from core.errors import DomainError
from cotizaciones.services import cotizacion_cancel
from tenants.scoping import TenantScopeError
from tests.factories import make_cliente, make_cotizacion, make_user, make_venta
from ventas.services import venta_cancel

pytestmark = pytest.mark.django_db


def test_a_tenant_filter_against_an_expression_does_not_count_as_scoped(tenant, other_tenant):
    make_cliente(tenant)
    make_cliente(other_tenant)

    with pytest.raises(TenantScopeError):
        list(Cliente.objects.filter(tenant=F("tenant")))


def test_explain_of_an_unscoped_query_is_refused():
    with pytest.raises(TenantScopeError):
        Cliente.objects.all().explain()


def test_an_empty_queryset_needs_no_tenant():
    assert list(Cliente.objects.none()) == []
    assert Cliente.objects.none().count() == 0


def test_a_sale_cannot_be_cancelled_by_a_user_of_another_tenant(tenant, other_tenant):
    venta = make_venta(tenant)

    with pytest.raises(DomainError):
        venta_cancel(venta=venta, por=make_user(other_tenant), motivo="x")

    venta.refresh_from_db()
    assert venta.cancelada_en is None


def test_a_quotation_cannot_be_cancelled_by_a_user_of_another_tenant(tenant, other_tenant):
    cotizacion = make_cotizacion(tenant)

    with pytest.raises(DomainError):
        cotizacion_cancel(cotizacion=cotizacion, por=make_user(other_tenant), motivo="x")

    cotizacion.refresh_from_db()
    assert cotizacion.estado == "PENDIENTE"


def test_a_full_save_finds_the_row_by_its_tenant_and_never_sets_the_tenant(tenant):
    cliente = make_cliente(tenant, nombre="Antes")
    cliente.nombre = "Después"

    with CaptureQueriesContext(connection) as queries:
        cliente.save()

    [update] = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assignments, where = update.split(" WHERE ")
    # Citus refuses to set its distribution column to a bound parameter.
    assert '"tenant_id"' not in assignments
    assert '"tenant_id"' in where
    cliente.refresh_from_db()
    assert (cliente.nombre, cliente.tenant_id) == ("Después", tenant.pk)
