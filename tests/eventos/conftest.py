import pytest
from django.db import connection


@pytest.fixture
def worker_connections_closed():
    """After a test that ran the worker in this process: its threads keep their database
    connections (as a long-lived worker should); end them so the test database can go."""
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid::integer) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
