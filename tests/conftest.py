import pytest
from django.db import connection
from rest_framework.test import APIClient

from tenants.models import User
from tests.clients import token_client
from tests.factories import make_tenant, make_user


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
    """Skip on Citus: distributing a table is forward only, so no migration goes back past it
    there (README, "Scaling out on Citus"); on PostgreSQL every migration is reversible."""
    from django.db import connection

    from tenants.migration_operations import citus_installed

    if citus_installed(connection):
        pytest.skip("Citus: migrations that distribute tables are forward only")


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
