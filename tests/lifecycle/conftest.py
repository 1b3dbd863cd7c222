"""Fixtures of the HTTP import's tests (tests/lifecycle/test_import_http*.py)."""

import pytest

from tests.factories import make_cliente


@pytest.fixture
def ajeno(other_tenant):
    """Another tenant's customer with the documento the files below use."""
    return make_cliente(other_tenant, nombre="Ajeno", documento="1020345678", email="a@b.co")
