"""On Citus, ``lock_timeout`` bounds a wait for a row lock on a worker as it does on one
server (``config.postgres.base``): the wait ends with ``LockNotAvailable`` (the API's 409),
not at ``statement_timeout`` (503) or never."""

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

from clientes.models import Cliente
from devtools.databases import database_url
from tests.factories import make_cliente


@pytest.mark.django_db(transaction=True)
def test_on_citus_a_row_lock_wait_on_a_worker_ends_at_lock_timeout(
    citus, tenant, short_lock_timeout
):
    cliente = make_cliente(tenant)
    with psycopg.connect(database_url(connection.settings_dict)) as holder:
        holder.execute(
            "SELECT 1 FROM clientes_cliente WHERE tenant_id = %s AND id = %s FOR UPDATE",
            [tenant.pk, cliente.pk],
        )
        with pytest.raises(OperationalError) as caught, transaction.atomic():
            rows = Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk)
            list(rows.select_for_update())
    assert isinstance(caught.value.__cause__, psycopg.errors.LockNotAvailable)
