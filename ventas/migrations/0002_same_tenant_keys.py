from django.db import migrations

from tenants.migration_operations import SameTenantForeignKey


class Migration(migrations.Migration):
    dependencies = [
        ("ventas", "0001_initial"),
        ("clientes", "0002_initial"),
    ]

    operations = [
        SameTenantForeignKey(
            table="ventas_venta",
            column="cliente_id",
            references="clientes_cliente",
            name="ventas_venta_cliente_mismo_tenant_fk",
        ),
        SameTenantForeignKey(
            table="ventas_ventaitem",
            column="venta_id",
            references="ventas_venta",
            name="ventas_ventaitem_venta_mismo_tenant_fk",
        ),
    ]
