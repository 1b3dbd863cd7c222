"""Lines that break the API's rules: reported with their line number, nothing written."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clientes.import_results import MAX_DETAILED_REJECTIONS
from tests.factories import make_cliente
from tests.importexport.helpers import HEADER, customers, write_csv

pytestmark = pytest.mark.django_db


def import_failing(tenant, path, *args) -> tuple[str, str]:
    """Runs an import expected to fail; returns (CommandError message, stderr)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as exc_info:
        call_command(
            "import_clientes",
            "--tenant",
            tenant.slug,
            str(path),
            *args,
            stdout=io.StringIO(),
            stderr=err,
        )
    return str(exc_info.value), err.getvalue()


def test_rejected_lines_are_reported_with_their_line_numbers(tenant, tmp_path):
    path = write_csv(
        tmp_path,
        f"{HEADER}\n"
        "Ana,1,,,,\n"  # 2
        ",2,,,,\n"  # 3: no nombre
        "Luis,3,no-es-un-email,,,\n"  # 4
        'Eva,4,,,,"dos\nlíneas"\n'  # 5-6
        "Raúl,---,,,,\n",  # 7: a documento without letters or digits
    )
    message, report = import_failing(tenant, path)
    assert "3 líneas rechazadas" in message and "no se guardó nada" in message
    assert report.splitlines() == [
        "Línea 3: nombre: Este campo no puede estar en blanco.",
        "Línea 4: email: Introduzca una dirección de correo electrónico válida.",
        "Línea 7: documento: Debe contener letras o números.",
    ]


def test_a_rejected_line_means_nothing_is_written(tenant, tmp_path):
    existing = make_cliente(tenant, nombre="Ana", documento="1")
    path = write_csv(tmp_path, f"{HEADER}\nAna María,1,,,,\nNuevo,2,,,,\n,3,,,,\n")
    import_failing(tenant, path)
    assert [(c["id"], c["nombre"]) for c in customers(tenant)] == [(existing.pk, "Ana")]


def test_wrong_number_of_cells_is_a_rejected_line(tenant, tmp_path):
    path = write_csv(tmp_path, f"{HEADER}\nAna,1,,,\nLuis,2,,,,,\n")
    _, report = import_failing(tenant, path)
    assert report.splitlines() == [
        "Línea 2: Tiene 5 columnas y la cabecera tiene 6",
        "Línea 3: Tiene 7 columnas y la cabecera tiene 6",
    ]


def test_too_long_value_is_a_rejected_line(tenant, tmp_path):
    path = write_csv(tmp_path, f"nombre\n{'x' * 201}\n")
    _, report = import_failing(tenant, path)
    assert report == "Línea 2: nombre: No puede tener más de 200 caracteres.\n"


def test_control_characters_are_a_rejected_line(tenant, tmp_path):
    path = write_csv(tmp_path, "nombre,telefono\nAna,300\x07123\n")
    _, report = import_failing(tenant, path)
    assert report == "Línea 2: telefono: Contiene caracteres de control no permitidos.\n"


def test_invalid_id_is_a_rejected_line(tenant, tmp_path):
    path = write_csv(tmp_path, "id,nombre\nabc,Ana\n-3,Luis\n")
    _, report = import_failing(tenant, path)
    assert report.splitlines() == [
        "Línea 2: id: Debe ser un número entero positivo.",
        "Línea 3: id: Debe ser un número entero positivo.",
    ]


def test_report_lists_the_first_rejected_lines_and_counts_the_rest(tenant, tmp_path):
    extra = 5
    bad = "\n".join(",," for _ in range(MAX_DETAILED_REJECTIONS + extra))
    path = write_csv(tmp_path, f"nombre,documento,email\n{bad}\n")
    message, report = import_failing(tenant, path)
    lines = report.splitlines()
    assert len(lines) == MAX_DETAILED_REJECTIONS + 1
    assert lines[-1] == f"… y {extra} líneas rechazadas más"
    assert f"{MAX_DETAILED_REJECTIONS + extra} líneas rechazadas" in message


def test_dry_run_with_rejected_lines_reports_counts_and_fails(tenant, tmp_path):
    path = write_csv(tmp_path, f"{HEADER}\nAna,1,,,,\n,2,,,,\n")
    message, report = import_failing(tenant, path, "--dry-run")
    assert "1 línea rechazada:" in message
    assert report == "Línea 3: nombre: Este campo no puede estar en blanco.\n"
    assert customers(tenant) == []
