"""Migration operations for the documents of ``ventas`` and ``cotizaciones``."""

from django.db import migrations

NUMERACION_TABLE = "documentos_numeracion"
# Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: a data change leaves trigger events
# pending until commit, and PostgreSQL refuses to ALTER a table that has some. Checking them
# at once lets the schema changes after the data changes run in the same migration.
IMMEDIATE = "SET CONSTRAINTS ALL IMMEDIATE"


def NumberExistingDocuments(*, table: str, tipo: str) -> migrations.RunSQL:
    """Number a table's rows 1, 2, 3 … per tenant in ``(creado_en, id)`` order, and start
    the tenant's counter of ``tipo`` after the last one."""
    return migrations.RunSQL(
        sql=[
            IMMEDIATE,
            f"UPDATE {table} AS d SET numero = n.numero FROM ("
            f"  SELECT id, row_number() OVER (PARTITION BY tenant_id ORDER BY creado_en, id)"
            f"  AS numero FROM {table}) AS n WHERE d.id = n.id",
            f"INSERT INTO {NUMERACION_TABLE} (tenant_id, tipo, ultimo) "
            f"SELECT tenant_id, '{tipo}', max(numero) FROM {table} GROUP BY tenant_id "
            f"ON CONFLICT (tenant_id, tipo) DO UPDATE SET ultimo = EXCLUDED.ultimo",
        ],
        reverse_sql=f"DELETE FROM {NUMERACION_TABLE} WHERE tipo = '{tipo}'",
    )


def RecordPastEvents(*, table: str, events: str, parent: str, converted: bool = False):
    """The events of documents that existed before events were recorded: CREADA by the
    seller at ``creado_en``, CANCELADA and (quotations) CONVERTIDA when they happened."""
    columns = f"INSERT INTO {events} (tenant_id, {parent}, tipo, usuario_id, en, motivo) "
    sql = [
        IMMEDIATE,
        columns + f"SELECT tenant_id, id, 'CREADA', vendedor_id, creado_en, NULL FROM {table}",
        columns + f"SELECT tenant_id, id, 'CANCELADA', cancelada_por_id, cancelada_en, "
        f"motivo_cancelacion FROM {table} WHERE cancelada_en IS NOT NULL",
    ]
    if converted:
        sql.append(
            columns + f"SELECT tenant_id, id, 'CONVERTIDA', vendedor_id, convertida_en, NULL "
            f"FROM {table} WHERE convertida_en IS NOT NULL"
        )
    return migrations.RunSQL(sql=sql, reverse_sql=f"DELETE FROM {events}")
