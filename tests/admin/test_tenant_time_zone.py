"""A platform superuser sets a tenant's time zone in the admin; an unknown zone is a form
error and changes nothing."""

import pytest

from tenants.models import Tenant
from tests.admin.helpers import EMPRESAS, change_url, form_errors

pytestmark = pytest.mark.django_db


def tenant_data(tenant: Tenant, **changes) -> dict:
    return {
        "slug": tenant.slug,
        "nombre": tenant.nombre,
        "creado_en_0": "2026-01-01",
        "creado_en_1": "00:00:00",
        "zona_horaria": tenant.zona_horaria,
        "estado": tenant.estado,
        **changes,
    }


def test_new_tenants_keep_the_default_time_zone(tenant):
    assert tenant.zona_horaria == "America/Bogota"


def test_superuser_sets_an_iana_time_zone(root, tenant):
    response = root.post(change_url(EMPRESAS, tenant.pk), tenant_data(tenant, zona_horaria="UTC"))

    assert response.status_code == 302, form_errors(response)
    tenant.refresh_from_db()
    assert tenant.zona_horaria == "UTC"


def test_an_unknown_time_zone_is_a_form_error_and_changes_nothing(root, tenant):
    response = root.post(
        change_url(EMPRESAS, tenant.pk), tenant_data(tenant, zona_horaria="Mars/Olympus")
    )

    assert response.status_code == 200
    assert "zona horaria IANA" in str(form_errors(response)["zona_horaria"])
    tenant.refresh_from_db()
    assert tenant.zona_horaria == "America/Bogota"
