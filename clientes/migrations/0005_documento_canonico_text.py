"""``documento_canonico`` becomes ``text``: it can never overflow, whatever the collation.

``upper()`` under an ICU collation applies Unicode's full case mapping, which can lengthen a
string ("ß" -> "SS", "ﬃ" -> "FFI"): a 50-character ``documento`` could give a canonical form
of up to 150 characters and fail the write with "value too long for type character
varying(50)". ``texto_busqueda`` and ``codigos_busqueda`` are ``text`` already.

Django refuses to alter a ``GeneratedField`` in the database (it would drop and re-add the
column), so the state's ``AlterField`` goes with a plain ``ALTER COLUMN ... TYPE`` that keeps
the column, its values and the unique index on ``(tenant_id, documento_canonico)``.
"""

from django.db import migrations, models

import clientes.search


class Migration(migrations.Migration):
    dependencies = [("clientes", "0004_tenant_first_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE clientes_cliente ALTER COLUMN documento_canonico TYPE text",
                    "ALTER TABLE clientes_cliente ALTER COLUMN documento_canonico TYPE varchar(50)",
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="cliente",
                    name="documento_canonico",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=clientes.search.DocumentoCanonico(models.F("documento")),
                        output_field=models.TextField(),
                    ),
                )
            ],
        )
    ]
