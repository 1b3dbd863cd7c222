"""``bulk_create`` takes one tenant's rows a call: on Citus a multi-row INSERT across shards
returns its rows in shard order, and Django would hand the objects each other's ids."""

import pytest

from clientes.models import Cliente
from tenants.scoping import TenantScopeError

pytestmark = pytest.mark.django_db


def test_a_bulk_create_of_two_tenants_rows_is_refused_and_writes_nothing(tenant, other_tenant):
    rows = [Cliente(tenant=tenant, nombre="A"), Cliente(tenant=other_tenant, nombre="B")]

    with pytest.raises(TenantScopeError):
        Cliente.objects.bulk_create(rows)

    assert not Cliente.objects.unscoped().exists()


def test_a_bulk_create_of_one_tenants_rows_gives_each_object_its_own_row(tenant):
    rows = Cliente.objects.bulk_create([Cliente(tenant=tenant, nombre=f"C{i}") for i in range(5)])

    stored = dict(Cliente.objects.for_tenant(tenant).values_list("pk", "nombre"))
    assert {row.pk: row.nombre for row in rows} == stored
