"""The UNLOGGED table of the shared request-rate counters (``tenants.api.ratelimit``).

Raw SQL: it is no model (the ORM never reads it) and Django cannot create UNLOGGED tables.
``tenants.api.ratelimit`` reads and writes it with raw SQL as well.
"""

from django.db import migrations

CREATE_TABLE_SQL = """
CREATE UNLOGGED TABLE IF NOT EXISTS tenants_ratelimit (
    key text PRIMARY KEY,
    bucket bigint NOT NULL,
    hits integer NOT NULL,
    expires_at double precision NOT NULL
) WITH (fillfactor = 70);
"""
DROP_TABLE_SQL = "DROP TABLE IF EXISTS tenants_ratelimit;"


class Migration(migrations.Migration):
    dependencies = [("tenants", "0003_tenant_estado")]

    operations = [migrations.RunSQL(CREATE_TABLE_SQL, DROP_TABLE_SQL)]
