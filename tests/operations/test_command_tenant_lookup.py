"""Every operator command that names a tenant finds it the same way, with one error text."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_tenant

pytestmark = pytest.mark.django_db

COMMANDS = [
    ("export_clientes", "--tenant"),
    ("export_ventas", "--tenant"),
    ("import_clientes", "--tenant", "no-importa.csv"),
    ("create_user", "--tenant", "--email", "a@b.test", "--nombre", "A"),
    ("suspend_tenant", "--slug"),
    ("reactivate_tenant", "--slug"),
]


def run(name: str, option: str, *rest: str, slug: str) -> None:
    call_command(name, option, slug, *rest, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_unknown_tenant_is_the_same_one_line_error(command):
    make_tenant(nombre="Otra", slug="otra")

    with pytest.raises(CommandError) as error:
        run(*command, slug="no-existe")

    assert str(error.value) == "No existe la empresa «no-existe»"


@pytest.mark.parametrize("command", [COMMANDS[0], COMMANDS[4]], ids=lambda c: c[0])
def test_surrounding_spaces_in_the_slug_are_ignored(command):
    make_tenant(nombre="Tienda", slug="tienda")

    run(*command, slug="  tienda ")
