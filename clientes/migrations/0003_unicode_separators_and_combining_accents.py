"""Search and uniqueness normalization also folds combining accents and Unicode spaces.

Re-creates the normalization functions (``clientes.search``) and recomputes the stored
generated columns: PostgreSQL recomputes them on any UPDATE of the row.
"""

from django.db import migrations

import clientes.search


class Migration(migrations.Migration):
    dependencies = [("clientes", "0002_initial")]

    operations = [
        migrations.RunSQL(clientes.search.CREATE_FUNCTIONS_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(
            "UPDATE clientes_cliente SET documento = documento", migrations.RunSQL.noop
        ),
    ]
