"""The customers' primary key is ``(tenant_id, id)`` (it replaces the unique constraint of the
same columns, the target of the composite keys from sales and quotations); on Citus the table
is distributed by tenant."""

from django.db import migrations

from tenants.migration_operations import DistributeTenantTables, TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0005_documento_canonico_text"),
        ("tenants", "0005_citus_reference_and_tenant_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="cliente", name="clientes_cliente_tenant_id_uniq"
                ),
            ],
            database_operations=[
                TenantPrimaryKey(
                    table="clientes_cliente", replaces="clientes_cliente_tenant_id_uniq"
                ),
            ],
        ),
        DistributeTenantTables("clientes_cliente"),
    ]
