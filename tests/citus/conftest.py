"""Tests that only mean something on a Citus coordinator (``DATABASE_URL`` pointing at one,
as the third CI pass does); elsewhere they skip. ``make pytest-citus`` runs the suite there,
and says so (``CLIENTES_EXPECT_CITUS``): there they fail rather than skip without a cluster."""

import os

import pytest
from django.db import connection

from tenants.migration_operations import citus_installed


@pytest.fixture
def citus(db):
    """The test database is a Citus coordinator; skip otherwise (fail where one is expected)."""
    if citus_installed(connection):
        return
    if os.environ.get("CLIENTES_EXPECT_CITUS"):
        pytest.fail("make pytest-citus: DATABASE_URL is not a Citus coordinator")
    pytest.skip("not a Citus coordinator (DATABASE_URL of a plain PostgreSQL)")


def multi_shard_executions() -> int:
    """Queries of this database that Citus has run on more than one shard, so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query_execution_multi_shard FROM citus_stat_counters "
            "WHERE name = current_database()"
        )
        return cursor.fetchone()[0]
