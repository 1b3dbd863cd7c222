"""Admin users of the two kinds the issue names, logged-in Django test clients for them, and a
customer of each tenant.

- a platform superuser, who sees every tenant;
- a tenant's own administrator: staff, ADMIN role, ACTIVO, of ``tenant`` (Tienda A), not a
  superuser and without any Django model permission.
"""

import pytest
from django.test import Client

from tenants.models import User
from tests.factories import PASSWORD, make_cliente, make_user


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


# Django model permissions a platform operator may grant a tenant's ADMIN so they can manage
# their own users and tokens (and see their own empresa).
MANAGER_PERMISSIONS = [
    "tenants.view_user",
    "tenants.add_user",
    "tenants.change_user",
    "tenants.delete_user",
    "tenants.view_apitoken",
    "tenants.change_apitoken",
    "tenants.delete_apitoken",
    "tenants.view_tenant",
    "tenants.change_tenant",
]


def grant(user: User, *permissions: str) -> User:
    """Give ``user`` the Django permissions named ``app_label.codename``."""
    from django.contrib.auth.models import Permission

    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # a fresh instance: permissions are cached per object


@pytest.fixture
def user_manager(tenant) -> User:
    """Tienda A's administrator, given the permissions to manage users, tokens and tenants."""
    return grant(make_staff(tenant, rol=User.Rol.ADMIN), *MANAGER_PERMISSIONS)


@pytest.fixture
def manager(user_manager) -> Client:
    """The browser of Tienda A's administrator holding ``MANAGER_PERMISSIONS``."""
    return logged_in(user_manager)


def own_and_foreign(make, own: dict, foreign: dict):
    """The fixtures ``own`` and ``foreign``: what ``make(tenant, **fields)`` builds in Tienda A,
    the tenant administrator's own, and in Tienda B, which they must never reach."""

    @pytest.fixture(name="own")
    def own_fixture(tenant):
        return make(tenant, **own)

    @pytest.fixture(name="foreign")
    def foreign_fixture(other_tenant):
        return make(other_tenant, **foreign)

    return own_fixture, foreign_fixture


# Customers, for most of the folder; a module about other records declares its own pair.
own, foreign = own_and_foreign(
    make_cliente,
    own={"nombre": "Cliente Propio", "documento": "111"},
    foreign={"nombre": "Cliente Ajeno", "documento": "222"},
)
