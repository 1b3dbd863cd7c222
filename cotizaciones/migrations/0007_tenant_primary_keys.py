"""Quotations, their items and events: primary keys ``(tenant_id, id)``; references kept by
the composite keys alone (``TenantForeignKey``); the sale a quotation became unique per
tenant; on Citus, distributed by tenant."""

import django.db.models.deletion
from django.db import migrations, models

import tenants.relations
from tenants.migration_operations import DistributeTenantTables, TenantPrimaryKey


class Migration(migrations.Migration):
    dependencies = [
        ("clientes", "0006_tenant_primary_key"),
        ("cotizaciones", "0006_numbers_events_same_tenant_users"),
        ("ventas", "0006_tenant_primary_keys"),
    ]

    operations = [
        # The references keep only their composite keys: TenantPrimaryKey below drops (and,
        # reversed, restores) the single-column ones, in whichever app's migration runs first.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="cotizacion",
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
                    model_name="cotizacion",
                    name="venta",
                    field=tenants.relations.TenantOneToOneField(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cotizacion_origen",
                        to="ventas.venta",
                    ),
                ),
                migrations.AlterField(
                    model_name="cotizacionevento",
                    name="cotizacion",
                    field=tenants.relations.TenantForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="eventos",
                        to="cotizaciones.cotizacion",
                    ),
                ),
                migrations.AlterField(
                    model_name="cotizacionitem",
                    name="cotizacion",
                    field=tenants.relations.TenantForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="cotizaciones.cotizacion",
                    ),
                ),
            ],
        ),
        # UNIQUE (venta_id) becomes UNIQUE (tenant_id, venta_id): Citus needs the tenant in
        # every unique index of a distributed table.
        migrations.AddConstraint(
            model_name="cotizacion",
            constraint=models.UniqueConstraint(
                fields=("tenant", "venta"), name="cotizaciones_cotizacion_venta_uniq"
            ),
        ),
        migrations.RunSQL(
            "ALTER TABLE cotizaciones_cotizacion DROP CONSTRAINT cotizaciones_cotizacion_venta_id_key",
            "ALTER TABLE cotizaciones_cotizacion ADD CONSTRAINT cotizaciones_cotizacion_venta_id_key "
            "UNIQUE (venta_id)",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="cotizacion", name="cotizaciones_cotizacion_tenant_id_uniq"
                ),
            ],
            database_operations=[
                TenantPrimaryKey(
                    table="cotizaciones_cotizacion",
                    replaces="cotizaciones_cotizacion_tenant_id_uniq",
                ),
            ],
        ),
        TenantPrimaryKey(table="cotizaciones_cotizacionitem"),
        TenantPrimaryKey(table="cotizaciones_cotizacionevento"),
        DistributeTenantTables(
            "cotizaciones_cotizacion",
            "cotizaciones_cotizacionitem",
            "cotizaciones_cotizacionevento",
        ),
    ]
