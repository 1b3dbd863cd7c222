"""Tests that only mean something on a Citus coordinator (``DATABASE_URL`` pointing at one,
as the third CI pass does). ``make pytest-citus`` runs the suite there and says so
(``CLIENTES_EXPECT_CITUS``); every other run leaves these tests out (``tests/conftest.py``)."""

import pytest
from django.db import connection

from tenants.migration_operations import citus_installed


@pytest.fixture
def citus(db):
    """The test database is a Citus coordinator (only the Citus pass selects these tests)."""
    if not citus_installed(connection):
        pytest.fail("make pytest-citus: DATABASE_URL is not a Citus coordinator")


def multi_shard_executions() -> int:
    """Queries of this database that Citus has run on more than one shard, so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query_execution_multi_shard FROM citus_stat_counters "
            "WHERE name = current_database()"
        )
        return cursor.fetchone()[0]
