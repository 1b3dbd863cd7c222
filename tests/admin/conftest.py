"""Admin users of the two kinds the issue names, and logged-in Django test clients for them.

- a platform superuser, who sees every tenant;
- a tenant's own administrator: staff, ADMIN role, ACTIVO, of ``tenant`` (Tienda A), not a
  superuser and without any Django model permission.
"""

import pytest
from django.test import Client

from tenants.models import User
from tests.factories import PASSWORD, make_user


def make_staff(tenant, **kwargs) -> User:
    user = make_user(tenant, **kwargs)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("plataforma@example.test", PASSWORD, nombre="Plataforma")


@pytest.fixture
def tenant_admin(tenant) -> User:
    user = make_staff(tenant, rol=User.Rol.ADMIN)
    assert not user.is_superuser
    assert not user.user_permissions.exists()
    assert not user.groups.exists()
    return user


@pytest.fixture
def root(superuser) -> Client:
    """The platform superuser's browser."""
    return logged_in(superuser)


@pytest.fixture
def staff(tenant_admin) -> Client:
    """Tienda A's administrator's browser."""
    return logged_in(tenant_admin)
