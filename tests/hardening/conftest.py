"""Shared helpers of the hardening suite: snapshots of what is stored, to prove nothing changed,
the live service of the race modules, and the token-authenticated client and customer the
hostile-input modules aim at."""

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from tenants.models import ApiToken, Tenant, User
from tenants.scoping import TenantScopedModel
from tests.factories import make_full_cliente, make_token
from tests.hardening.live import Live, serving


def tenant_owned_models() -> list[type[TenantScopedModel]]:
    """Every concrete tenant-owned model (a new one is picked up automatically)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantScopedModel) and not model._meta.abstract
    ]


def tenant_snapshot(tenant: Tenant) -> dict[str, list[dict]]:
    """Every stored row that belongs to ``tenant``: its tenant-owned rows, users and tokens."""
    snapshot = {
        model._meta.label: list(
            model.objects.unscoped().filter(tenant=tenant).order_by("pk").values()
        )
        for model in tenant_owned_models()
    }
    snapshot["tenants.Tenant"] = list(Tenant.objects.filter(pk=tenant.pk).values())
    snapshot["tenants.User"] = list(User.objects.filter(tenant=tenant).order_by("pk").values())
    snapshot["tenants.ApiToken"] = list(
        ApiToken.objects.filter(user__tenant=tenant).order_by("pk").values()
    )
    return snapshot


def data_snapshot() -> dict[str, list[dict]]:
    """Every tenant-owned row of every tenant (for "nothing was written" checks)."""
    return {
        model._meta.label: list(model.objects.unscoped().order_by("pk").values())
        for model in tenant_owned_models()
    }


@pytest.fixture
def snapshot_of():
    return tenant_snapshot


@pytest.fixture
def all_data():
    return data_snapshot


@pytest.fixture(scope="module")
def service(django_db_setup):
    """gunicorn on the test database (``live.serving``): one for each module that uses it."""
    with serving() as server:
        yield server


@pytest.fixture
def live(service) -> Live:
    """The module's ``service``, and where its log stood when the test began."""
    return Live(service)


@pytest.fixture
def client(user) -> APIClient:
    """A member of ``tenant`` (API token), in place of pytest-django's ``client`` in this package.

    With ``raise_request_exception=False`` a crash shows up as a 500 answer (and fails
    ``status < 500``) rather than as an exception in the test.
    """
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user)}")
    return client


@pytest.fixture
def cliente(tenant):
    """Tienda A's customer with every field filled: what hostile updates aim at."""
    return make_full_cliente(tenant, nombre="Cliente Original")
