from django.db import migrations

from tenants.migration_operations import SameTenantForeignKey


class Migration(migrations.Migration):
    dependencies = [
        ("cotizaciones", "0002_initial"),
        ("clientes", "0002_initial"),
        ("ventas", "0002_same_tenant_keys"),
    ]

    operations = [
        SameTenantForeignKey(
            table="cotizaciones_cotizacion",
            column="cliente_id",
            references="clientes_cliente",
            name="cotizaciones_cotizacion_cliente_mismo_tenant_fk",
        ),
        SameTenantForeignKey(
            table="cotizaciones_cotizacion",
            column="venta_id",
            references="ventas_venta",
            name="cotizaciones_cotizacion_venta_mismo_tenant_fk",
        ),
        SameTenantForeignKey(
            table="cotizaciones_cotizacionitem",
            column="cotizacion_id",
            references="cotizaciones_cotizacion",
            name="cotizaciones_cotizacionitem_cotizacion_mismo_tenant_fk",
        ),
    ]
