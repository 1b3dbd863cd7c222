import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tenants.models import User
from tests.clients import token_client
from tests.factories import make_tenant, make_user

# The Citus pass says it is one (``make pytest-citus``); every other run is on PostgreSQL.
ON_CITUS = bool(os.environ.get("CLIENTES_EXPECT_CITUS"))
# A test asking for one of these fixtures belongs to that backend's pass only.
CITUS_ONLY, POSTGRESQL_ONLY = "citus", "reversible_migrations"


def pytest_collection_modifyitems(config, items):
    """Each backend's own tests are left out of the other backend's pass (deselected, not
    skipped): the Citus ones out of a PostgreSQL run, the migrations' reversal out of the
    Citus run, where distributing a table is forward only."""
    other = POSTGRESQL_ONLY if ON_CITUS else CITUS_ONLY
    left_out = [item for item in items if other in item.fixturenames]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if other not in item.fixturenames]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at production strength costs ~0.5 s a hash here; the tests hash a lot."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttle_cache(monkeypatch):
    """Throttle counters live in the cache; each test starts with none, and with the count
    of requests that prunes expired counters (every 1,000th) at zero, so a test's queries do
    not depend on how many requests the tests before it sent."""
    import itertools

    from django.core.cache import cache

    from tenants.api import ratelimit

    monkeypatch.setattr(ratelimit, "_requests", itertools.count(1))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tenant(db):
    return make_tenant(nombre="Tienda A")


@pytest.fixture
def other_tenant(db):
    return make_tenant(nombre="Tienda B")


@pytest.fixture
def user(tenant):
    return make_user(tenant)


@pytest.fixture
def other_user(other_tenant):
    return make_user(other_tenant)


@pytest.fixture
def api(user) -> APIClient:
    """A member of ``tenant``, authenticated with an API token."""
    return token_client(user)


@pytest.fixture
def admin_user(tenant) -> User:
    """An ADMIN of ``tenant`` (in place of pytest-django's superuser of that name)."""
    return make_user(tenant, rol=User.Rol.ADMIN)


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    """A token client of ``admin_user``, an ADMIN of ``tenant``."""
    return token_client(admin_user)


@pytest.fixture
def colega(tenant) -> User:
    """Another USUARIO of ``tenant``, beside ``user``."""
    return make_user(tenant)


@pytest.fixture
def other_api(other_user) -> APIClient:
    """A member of ``other_tenant``."""
    return token_client(other_user)


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def reversible_migrations(db):
    """Migrations run backwards: on PostgreSQL only (the Citus pass leaves the tests asking
    for this out), since distributing a table is forward only there (README, "Scaling out on
    Citus")."""
    from tenants.migration_operations import citus_installed

    if citus_installed(connection):
        pytest.fail("a Citus coordinator: run the suite there as make pytest-citus does")


@pytest.fixture
def short_lock_timeout():
    """The test's connection, reopened with a 200 ms ``lock_timeout`` (and a 10 s statement
    one): a wait for a row another connection holds ends fast, as ``DB_LOCK_TIMEOUT_MS`` does."""
    from django.db import connection

    options = connection.settings_dict["OPTIONS"]
    original = options.get("options", "")
    options["options"] = f"{original} -c lock_timeout=200 -c statement_timeout=10000"
    connection.close()
    yield
    options["options"] = original
    connection.close()


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
