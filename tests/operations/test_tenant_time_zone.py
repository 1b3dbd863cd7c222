"""create_tenant --zona-horaria: the shop's calendar, an IANA time zone."""

import pytest
from django.core.management.base import CommandError

from tenants.models import DEFAULT_TIME_ZONE, Tenant
from tenants.services import tenant_create
from tests.operations.helpers import run_command

pytestmark = pytest.mark.django_db

MARS = "zona_horaria: «Mars/Olympus» no es una zona horaria IANA (por ejemplo America/Bogota)."


def run(*args) -> tuple[str, str]:
    return run_command("create_tenant", "--slug", "tienda", "--nombre", "Mi Tienda", *args)


def test_without_the_option_the_zone_is_america_bogota():
    out, err = run()

    tenant = Tenant.objects.get(slug="tienda")
    assert tenant.zona_horaria == DEFAULT_TIME_ZONE == "America/Bogota"
    assert out.splitlines() == [str(tenant.pk)]
    assert "America/Bogota" in err


@pytest.mark.parametrize("zona", ["Europe/Madrid", "UTC", "America/Argentina/Buenos_Aires"])
def test_the_option_sets_the_zone(zona):
    out, err = run("--zona-horaria", zona)

    tenant = Tenant.objects.get(slug="tienda")
    assert tenant.zona_horaria == zona
    assert str(tenant.tz) == zona
    assert out.splitlines() == [str(tenant.pk)]
    assert zona in err


def test_an_unknown_zone_is_a_one_line_error_and_nothing_is_created():
    with pytest.raises(CommandError) as excinfo:
        run("--zona-horaria", "Mars/Olympus")

    assert str(excinfo.value) == MARS
    assert excinfo.value.returncode != 0
    assert not Tenant.objects.exists()


def test_an_empty_zone_is_an_error_and_nothing_is_created():
    with pytest.raises(CommandError, match=r"^zona_horaria: "):
        run("--zona-horaria", "")

    assert not Tenant.objects.exists()


def test_the_service_defaults_to_america_bogota_and_takes_a_zone():
    assert tenant_create(slug="a", nombre="A").zona_horaria == "America/Bogota"
    assert tenant_create(slug="b", nombre="B", zona_horaria="Europe/Madrid").zona_horaria == (
        "Europe/Madrid"
    )
