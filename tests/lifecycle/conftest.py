"""Fixtures of the HTTP import's tests (tests/lifecycle/test_import_http*.py)."""

import pytest

from tenants.models import User
from tests.conftest import token_client
from tests.factories import make_cliente, make_user


@pytest.fixture
def admin_user(tenant):
    return make_user(tenant, rol=User.Rol.ADMIN, nombre="Admin Tienda A")


@pytest.fixture
def admin(admin_user):
    return token_client(admin_user)


@pytest.fixture
def ajeno(other_tenant):
    """Another tenant's customer with the documento the files below use."""
    return make_cliente(other_tenant, nombre="Ajeno", documento="1020345678", email="a@b.co")
