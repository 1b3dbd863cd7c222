"""Search and uniqueness normalization also folds combining accents and Unicode spaces.

Re-creates the normalization functions (``clientes.search``) and recomputes the stored
generated columns: PostgreSQL recomputes them on any UPDATE of the row.
"""

from django.db import migrations

# Frozen copy of clientes.search.CREATE_FUNCTIONS_SQL as of this migration; a test checks the
# migrated database still matches the code.
NORMALIZATION_FUNCTIONS_SQL = "\nCREATE OR REPLACE FUNCTION clientes_pliegue(t text) RETURNS text\n    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE\n    AS $$ SELECT lower(translate(\n        regexp_replace(t, E'[\\u0300-\\u036f]+', '', 'g'),\n        'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĲĳĴĵĶķĹĺĻļĽľĿŀŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž', 'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIIiJjKkLlLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZz'\n    )) $$;\nCREATE OR REPLACE FUNCTION clientes_sin_puntuacion(t text) RETURNS text\n    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE\n    AS $$ SELECT regexp_replace(clientes_pliegue(t), E'[\\u0009-\\u000d\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028-\\u2029\\u202f\\u205f\\u3000.-]+', '', 'g') $$;\nCREATE OR REPLACE FUNCTION clientes_documento_canonico(t text) RETURNS text\n    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE\n    AS $$ SELECT upper(regexp_replace(t, E'[\\u0009-\\u000d\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028-\\u2029\\u202f\\u205f\\u3000.-]+', '', 'g')) $$;\n"


class Migration(migrations.Migration):
    dependencies = [("clientes", "0002_initial")]

    operations = [
        migrations.RunSQL(NORMALIZATION_FUNCTIONS_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(
            "UPDATE clientes_cliente SET documento = documento", migrations.RunSQL.noop
        ),
    ]
