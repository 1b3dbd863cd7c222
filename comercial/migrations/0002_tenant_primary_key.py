"""The numbering's primary key is ``(tenant_id, id)``; on Citus it is distributed by tenant."""

from django.db import migrations

from tenants.migration_operations import DistributeTenantTables, TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("documentos", "0001_initial"),
        ("tenants", "0005_citus_reference_and_tenant_keys"),
    ]

    operations = [
        TenantPrimaryKey(table="documentos_numeracion"),
        DistributeTenantTables("documentos_numeracion"),
    ]
