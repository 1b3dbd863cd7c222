"""Migration operations for tenant integrity that Django's model layer cannot express."""

from django.db import migrations


def SameTenantForeignKey(
    *, table: str, column: str, references: str, name: str
) -> migrations.RunSQL:
    """A composite foreign key ``(tenant_id, column) -> references (tenant_id, id)``.

    Django has no composite foreign keys; this one makes PostgreSQL itself refuse a row that
    points at another tenant's row. NULL in ``column`` is allowed (MATCH SIMPLE).
    """
    return migrations.RunSQL(
        sql=(
            f"ALTER TABLE {table} ADD CONSTRAINT {name} "
            f"FOREIGN KEY (tenant_id, {column}) REFERENCES {references} (tenant_id, id)"
        ),
        reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {name}",
    )
