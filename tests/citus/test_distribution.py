"""The schema is distributable by tenant, and on Citus it is distributed: every tenant table's
keys lead with ``tenant_id``; its migrations distribute it; on a coordinator every tenant table
is hash-distributed by ``tenant_id`` in one co-location group and the shared tables are
reference tables."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tenants.migration_operations import DistributeTenantTables, DistributionOperation
from tenants.scoping import TenantScopedModel

SHARED_TABLES = {
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "tenants_tenant",
    "tenants_user",
    "tenants_user_groups",
    "tenants_user_user_permissions",
    "tenants_apitoken",
    "django_admin_log",
}
# Read and written by the coordinator alone, on every request or login.
COORDINATOR_TABLES = {"django_migrations", "django_session", "tenants_ratelimit"}


def tables_with_tenant_id() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' "
            "AND t.table_type = 'BASE TABLE' AND c.table_name <> 'tenants_user'"
        )
        return {name for (name,) in cursor.fetchall()}


def constraints(table: str, kinds: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = ANY(%s)",
            [table, list(kinds)],
        )
        return cursor.fetchall()


def tenant_models_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, TenantScopedModel) and not model._meta.proxy
    }


@pytest.mark.django_db
def test_every_table_with_tenant_id_is_a_tenant_model():
    assert tables_with_tenant_id() == tenant_models_tables()


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(tenant_models_tables()))
def test_a_tenant_tables_primary_key_is_tenant_and_id(table):
    assert [definition for _, definition in constraints(table, "p")] == [
        "PRIMARY KEY (tenant_id, id)"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(tenant_models_tables()))
def test_a_tenant_tables_unique_indexes_lead_with_the_tenant(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexdef LIKE 'CREATE UNIQUE INDEX%%'",
            [table],
        )
        unique = cursor.fetchall()
    assert unique
    for name, definition in unique:
        columns = definition[definition.index("(") + 1 :]
        # (tenant_id) alone is a one-row-per-tenant rule (e.g. the feed's counter).
        assert columns.startswith(("tenant_id,", "tenant_id)")), f"{name}: {definition}"


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(tenant_models_tables()))
def test_a_tenant_tables_references_to_tenant_rows_carry_the_tenant(table):
    tenant_tables = tenant_models_tables()
    for name, definition in constraints(table, "f"):
        referenced = definition.split(" REFERENCES ")[1].split("(")[0]
        if referenced in tenant_tables:
            assert definition.startswith("FOREIGN KEY (tenant_id, "), f"{name}: {definition}"


def distribution_operations() -> list[DistributionOperation]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        operation
        for migration in loader.disk_migrations.values()
        for operation in migration.operations
        if isinstance(operation, DistributionOperation)
    ]


def test_every_tenant_table_is_distributed_by_a_migration():
    distributed = {
        table
        for operation in distribution_operations()
        if operation.kind == "tenant"
        for table in operation.tables
    }
    assert tenant_models_tables() <= distributed, tenant_models_tables() - distributed


def test_the_shared_tables_are_made_reference_tables_by_a_migration():
    reference = {
        table
        for operation in distribution_operations()
        if operation.kind == "reference"
        for table in operation.tables
    }
    assert reference == SHARED_TABLES


# --- on a coordinator ------------------------------------------------------------------------
def citus_tables() -> dict[str, tuple[str, str | None, int]]:
    """table -> (kind: h hash / n reference, distribution column, co-location group)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT logicalrelid::regclass::text, partmethod, "
            "column_to_column_name(logicalrelid, partkey), colocationid FROM pg_dist_partition"
        )
        return {table: (kind, column, group) for table, kind, column, group in cursor.fetchall()}


@pytest.mark.django_db
def test_on_citus_every_tenant_table_is_distributed_by_tenant_in_one_group(citus):
    placed = citus_tables()
    tenant_tables = tables_with_tenant_id()
    assert {placed[t][:2] for t in tenant_tables} == {("h", "tenant_id")}
    assert len({placed[t][2] for t in tenant_tables}) == 1


@pytest.mark.django_db
def test_on_citus_the_shared_tables_are_reference_tables(citus):
    placed = citus_tables()
    assert {table for table, (kind, _, _) in placed.items() if kind == "n"} == SHARED_TABLES
    assert not COORDINATOR_TABLES & set(placed)


@pytest.mark.django_db
def test_on_citus_distributing_again_changes_nothing(citus):
    before = citus_tables()
    with connection.schema_editor(atomic=False) as schema_editor:
        DistributeTenantTables(*sorted(tenant_models_tables())).code(apps, schema_editor)
    assert citus_tables() == before


def project_functions() -> set[str]:
    """The project's SQL functions (generated columns compute them, on the workers on Citus)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid::regprocedure::text FROM pg_proc WHERE proname LIKE 'clientes\\_%%'"
        )
        return {signature for (signature,) in cursor.fetchall()}


@pytest.mark.django_db
def test_on_citus_the_projects_functions_are_on_every_worker_and_on_those_added_later(citus):
    """A worker added later gets every object ``pg_dist_object`` lists before its shards."""
    functions = project_functions()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid::regprocedure::text FROM pg_catalog.pg_dist_object"
            " WHERE classid = 'pg_proc'::regclass"
        )
        distributed = {signature for (signature,) in cursor.fetchall()}
        cursor.execute(
            "SELECT nodename, nodeport, result FROM run_command_on_workers($$"
            " SELECT count(*) FROM pg_proc WHERE proname LIKE 'clientes\\_%'$$)"
        )
        on_workers = cursor.fetchall()

    assert len(functions) == 4
    assert functions <= distributed
    assert on_workers
    assert {result for _, _, result in on_workers} == {str(len(functions))}
