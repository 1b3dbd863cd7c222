"""Sales, their items and events: primary keys ``(tenant_id, id)``; references to customers
and sales kept by the composite keys alone (``TenantForeignKey``); on Citus, distributed by
tenant."""

import django.db.models.deletion
from django.db import migrations

import tenants.relations
from tenants.migration_operations import DistributeTenantTables, TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0006_tenant_primary_key"),
        ("documentos", "0002_tenant_primary_key"),
        ("ventas", "0005_numbers_events_same_tenant_users"),
    ]

    operations = [
        # The references keep only their composite keys: TenantPrimaryKey below drops (and,
        # reversed, restores) the single-column ones, in whichever app's migration runs first.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="venta",
                    name="cliente",
                    field=tenants.relations.TenantForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="%(app_label)s",
                        to="clientes.cliente",
                    ),
                ),
                migrations.AlterField(
                    model_name="ventaevento",
                    name="venta",
                    field=tenants.relations.TenantForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="eventos",
                        to="ventas.venta",
                    ),
                ),
                migrations.AlterField(
                    model_name="ventaitem",
                    name="venta",
                    field=tenants.relations.TenantForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="ventas.venta",
                    ),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="venta", name="ventas_venta_tenant_id_uniq"),
            ],
            database_operations=[
                TenantPrimaryKey(table="ventas_venta", replaces="ventas_venta_tenant_id_uniq"),
            ],
        ),
        TenantPrimaryKey(table="ventas_ventaitem"),
        TenantPrimaryKey(table="ventas_ventaevento"),
        DistributeTenantTables("ventas_venta", "ventas_ventaitem", "ventas_ventaevento"),
    ]
