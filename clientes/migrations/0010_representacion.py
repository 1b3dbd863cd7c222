"""A customer's answer stored as JSON text in its row, computed by PostgreSQL on every write
(``clientes.stored_answer``): a page of customers joins these texts.

Adding a stored generated column rewrites the table under an exclusive lock: on a large table,
run it when a pause of writes and reads is acceptable.
"""

from django.db import migrations, models

import clientes.stored_answer

# Frozen copies of clientes.stored_answer.function_sql() and drop_function_sql() as of this
# migration; a test checks the migrated function is the one the code defines.
FUNCTION_SQL = "CREATE OR REPLACE FUNCTION clientes_representacion(bigint, varchar, varchar, varchar, varchar, varchar, text, boolean, timestamp with time zone, timestamp with time zone, timestamp with time zone) RETURNS text\n    LANGUAGE sql IMMUTABLE PARALLEL SAFE\n    AS $$ SELECT ('{\"id\":' || COALESCE($1::text, 'null') || ',\"nombre\":' || CASE WHEN $2 IS NULL THEN 'null' WHEN $2 ~ E'[\\\\x01-\\\\x1f\"\\\\\\\\]' THEN to_json($2)::text ELSE '\"' || $2 || '\"' END || ',\"documento\":' || CASE WHEN $3 IS NULL THEN 'null' WHEN $3 ~ E'[\\\\x01-\\\\x1f\"\\\\\\\\]' THEN to_json($3)::text ELSE '\"' || $3 || '\"' END || ',\"email\":' || CASE WHEN $4 IS NULL THEN 'null' WHEN $4 ~ E'[\\\\x01-\\\\x1f\"\\\\\\\\]' THEN to_json($4)::text ELSE '\"' || $4 || '\"' END || ',\"telefono\":' || CASE WHEN $5 IS NULL THEN 'null' WHEN $5 ~ E'[\\\\x01-\\\\x1f\"\\\\\\\\]' THEN to_json($5)::text ELSE '\"' || $5 || '\"' END || ',\"direccion\":' || CASE WHEN $6 IS NULL THEN 'null' WHEN $6 ~ E'[\\\\x01-\\\\x1f\"\\\\\\\\]' THEN to_json($6)::text ELSE '\"' || $6 || '\"' END || ',\"notas\":' || CASE WHEN $7 IS NULL THEN 'null' WHEN $7 ~ E'[\\\\x01-\\\\x1f\"\\\\\\\\]' THEN to_json($7)::text ELSE '\"' || $7 || '\"' END || ',\"archivado\":' || CASE $8 WHEN true THEN 'true' WHEN false THEN 'false' ELSE 'null' END || ',\"creadoEn\":' || COALESCE('\"' || replace(to_char($9 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z') || '\"', 'null') || ',\"actualizadoEn\":' || COALESCE('\"' || replace(to_char($10 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z') || '\"', 'null') || ',\"anonimizadoEn\":' || COALESCE('\"' || replace(to_char($11 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z') || '\"', 'null') || '}') $$"
DROP_FUNCTION_SQL = "DROP FUNCTION IF EXISTS clientes_representacion(bigint, varchar, varchar, varchar, varchar, varchar, text, boolean, timestamp with time zone, timestamp with time zone, timestamp with time zone)"


class Migration(migrations.Migration):
    # Each step in its own transaction: on Citus, a transaction that created a function runs
    # its later DDL one shard at a time, and adding the column rewrites every shard.
    atomic = False

    dependencies = [("clientes", "0009_merged_ids")]

    operations = [
        migrations.RunSQL(FUNCTION_SQL, DROP_FUNCTION_SQL),
        migrations.AddField(
            model_name="cliente",
            name="representacion",
            field=models.GeneratedField(
                db_persist=True,
                expression=clientes.stored_answer.Representacion(
                    models.F("id"),
                    models.F("nombre"),
                    models.F("documento"),
                    models.F("email"),
                    models.F("telefono"),
                    models.F("direccion"),
                    models.F("notas"),
                    models.F("archivado"),
                    models.F("creado_en"),
                    models.F("actualizado_en"),
                    models.F("anonimizado_en"),
                ),
                output_field=models.TextField(),
                verbose_name="representación",
            ),
        ),
    ]
