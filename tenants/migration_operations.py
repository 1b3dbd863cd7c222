"""Migration operations for tenant integrity and distribution that Django cannot express.

Every tenant table follows the same three steps in its migrations, so that it can be
distributed by tenant on Citus (see the README, "Scaling out on Citus") and stays correct on
one PostgreSQL server:

1. ``TenantPrimaryKey``: its primary key is ``(tenant_id, id)``;
2. ``DistributeTenantTables``: on Citus, it is distributed by ``tenant_id``, co-located with
   every other tenant table (a no-op on plain PostgreSQL);
3. ``SameTenantForeignKey``: its references to other tenant rows are composite keys
   ``(tenant_id, x) -> (tenant_id, id)``.

Shared tables (tenants, users, tokens, Django's auth and admin log) become reference tables
(``ReferenceTables``): a copy on every node, so a tenant table may keep keys to them.
"""

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


def citus_installed(connection) -> bool:
    """Whether the database has the ``citus`` extension (it is a coordinator)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        return cursor.fetchone() is not None


def _foreign_keys_on(cursor, table: str, index_owner: str) -> list[tuple[str, str, str]]:
    """``(table, name, definition)`` of the foreign keys that reference ``table`` through the
    index of its constraint ``index_owner``."""
    cursor.execute(
        """
        SELECT fk.conrelid::regclass::text, fk.conname, pg_get_constraintdef(fk.oid)
        FROM pg_constraint fk
        JOIN pg_constraint target ON target.conindid = fk.conindid
        WHERE fk.contype = 'f' AND fk.confrelid = %s::regclass
          AND target.conrelid = %s::regclass AND target.conname = %s
        ORDER BY 1, 2
        """,
        [table, table, index_owner],
    )
    return cursor.fetchall()


def _primary_key_name(cursor, table: str) -> str:
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
        [table],
    )
    return cursor.fetchone()[0]


def _key_columns(definition: str) -> list[str]:
    """The referencing columns of a ``FOREIGN KEY (a, b) REFERENCES …`` definition."""
    inside = definition[definition.index("(") + 1 : definition.index(")")]
    return [column.strip() for column in inside.split(",")]


def _to_tenant_key(schema_editor, table: str) -> None:
    """``(tenant_id, id)`` becomes the primary key of ``table`` instead of ``id``."""
    with schema_editor.connection.cursor() as cursor:
        primary_key = _primary_key_name(cursor, table)
        single = _foreign_keys_on(cursor, table, primary_key)
        composite = {
            (referencing, tuple(_key_columns(definition)))
            for referencing, _, definition in _foreign_keys_to_pair(cursor, table)
        }
        for referencing, name, definition in single:
            (column,) = _key_columns(definition)
            if (referencing, ("tenant_id", column)) not in composite:
                raise RuntimeError(f"{referencing}.{column}: no (tenant_id, {column}) key")
            schema_editor.execute(f'ALTER TABLE {referencing} DROP CONSTRAINT "{name}"')
        _rebuild_key(schema_editor, cursor, table, "tenant_id, id", unique=None)


def _to_id_key(schema_editor, table: str, unique: str | None) -> None:
    """``id`` becomes the primary key of ``table`` again, with ``unique`` on ``(tenant_id,
    id)`` and the single-column keys beside each composite one."""
    with schema_editor.connection.cursor() as cursor:
        composite = _foreign_keys_to_pair(cursor, table)
        _rebuild_key(schema_editor, cursor, table, "id", unique=unique)
        for referencing, name, definition in composite:
            column = _key_columns(definition)[1]
            schema_editor.execute(
                f'ALTER TABLE {referencing} ADD CONSTRAINT "{name[:56]}_single" '
                f"FOREIGN KEY ({column}) REFERENCES {table} (id) DEFERRABLE INITIALLY DEFERRED"
            )


def _foreign_keys_to_pair(cursor, table: str) -> list[tuple[str, str, str]]:
    """The foreign keys referencing ``(tenant_id, id)`` of ``table``."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN "
        "('p', 'u') AND pg_get_constraintdef(oid) LIKE '%%(tenant_id, id)'",
        [table],
    )
    return [fk for (owner,) in cursor.fetchall() for fk in _foreign_keys_on(cursor, table, owner)]


def _rebuild_key(schema_editor, cursor, table: str, columns: str, unique: str | None) -> None:
    """Make ``columns`` the primary key of ``table``; the foreign keys to ``(tenant_id, id)``
    are dropped and made again on the key that then holds those columns."""
    composite = _foreign_keys_to_pair(cursor, table)
    for referencing, name, _ in composite:
        schema_editor.execute(f'ALTER TABLE {referencing} DROP CONSTRAINT "{name}"')
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN "
        "('p', 'u') AND pg_get_constraintdef(oid) IN ('PRIMARY KEY (id)', "
        "'PRIMARY KEY (tenant_id, id)', 'UNIQUE (tenant_id, id)')",
        [table],
    )
    for (name,) in cursor.fetchall():
        schema_editor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    schema_editor.execute(
        f'ALTER TABLE {table} ADD CONSTRAINT "{table}_pkey" PRIMARY KEY ({columns})'
    )
    if unique:
        schema_editor.execute(
            f'ALTER TABLE {table} ADD CONSTRAINT "{unique}" UNIQUE (tenant_id, id)'
        )
    for referencing, name, definition in composite:
        schema_editor.execute(f'ALTER TABLE {referencing} ADD CONSTRAINT "{name}" {definition}')


def TenantPrimaryKey(*, table: str, replaces: str | None = None) -> migrations.RunPython:
    """The primary key of a tenant table becomes ``(tenant_id, id)``.

    ``replaces``: the table's ``UNIQUE (tenant_id, id)`` constraint, now redundant; the
    composite foreign keys that referenced it reference the primary key instead. The
    single-column foreign keys to ``id`` are dropped: each is doubled by a composite key
    (checked), and the models declare them ``TenantForeignKey``. Reversed, ``id`` is the
    primary key again, ``replaces`` is restored and so are the single-column keys.
    """

    def forwards(apps, schema_editor):
        _to_tenant_key(schema_editor, table)

    def backwards(apps, schema_editor):
        _to_id_key(schema_editor, table, replaces)

    return migrations.RunPython(forwards, backwards, elidable=False)


def _prepare_citus(schema_editor) -> bool:
    """Whether the database is a Citus coordinator; if so, set it up for distribution."""
    connection = schema_editor.connection
    if not citus_installed(connection):
        return False
    with connection.cursor() as cursor:
        # A plain table keeping a foreign key to a reference table stays a plain table (Citus
        # would otherwise make it a "citus local" table, which cannot be distributed later).
        # Set for the database too: tenant tables created by later migrations need it.
        cursor.execute("SET citus.enable_local_reference_table_foreign_keys TO off")
        cursor.execute(
            "SELECT format('ALTER DATABASE %I SET citus.enable_local_reference_table_foreign_keys"
            " TO off', current_database())"
        )
        schema_editor.execute(cursor.fetchone()[0])
    return True


def _undistributed(cursor, tables) -> list[str]:
    """Those of ``tables`` that Citus does not know yet (reference or distributed)."""
    cursor.execute(
        "SELECT t FROM unnest(%s::text[]) AS t WHERE NOT EXISTS ("
        "  SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass)",
        [list(tables)],
    )
    return [row[0] for row in cursor.fetchall()]


def _colocation_anchor(cursor) -> str:
    """A tenant table already distributed, whose co-location group the next one joins;
    ``default`` for the first."""
    cursor.execute(
        "SELECT logicalrelid::regclass::text FROM pg_dist_partition "
        "WHERE partmethod = 'h' AND column_to_column_name(logicalrelid, partkey) = 'tenant_id' "
        "ORDER BY colocationid, logicalrelid LIMIT 1"
    )
    row = cursor.fetchone()
    return row[0] if row else "default"


def _forward_only(apps, schema_editor):
    """Citus has no way back from a distributed table but copying it; not done here."""


class DistributionOperation(migrations.RunPython):
    """A migration step that places ``tables`` on a Citus cluster (``kind``: ``reference`` or
    ``tenant``); ``tests/citus`` finds every tenant table in one of them."""

    def __init__(self, kind: str, tables: tuple[str, ...], forwards):
        super().__init__(forwards, _forward_only, elidable=False)
        self.kind = kind
        self.tables = tables


def ReferenceTables(*tables: str) -> DistributionOperation:
    """On Citus, ``tables`` (shared by every tenant) become reference tables: a copy on every
    node. Without the ``citus`` extension, nothing happens. Idempotent; forward only."""

    def forwards(apps, schema_editor):
        if not _prepare_citus(schema_editor):
            return
        with schema_editor.connection.cursor() as cursor:
            for table in _undistributed(cursor, tables):
                cursor.execute("SELECT create_reference_table(%s::regclass)", [table])

    return DistributionOperation("reference", tables, forwards)


def DistributeTenantTables(*tables: str) -> DistributionOperation:
    """On Citus, ``tables`` are distributed by ``tenant_id``, all in one co-location group, so
    a tenant's rows of every table live on one shard group. Without the ``citus`` extension,
    nothing happens. Idempotent; forward only."""

    def forwards(apps, schema_editor):
        if not _prepare_citus(schema_editor):
            return
        with schema_editor.connection.cursor() as cursor:
            for table in _undistributed(cursor, tables):
                cursor.execute(
                    "SELECT create_distributed_table(%s::regclass, 'tenant_id', "
                    "colocate_with => %s)",
                    [table, _colocation_anchor(cursor)],
                )

    return DistributionOperation("tenant", tables, forwards)
