"""Problems with the file as a whole: one-line CommandError, nothing written."""

import pytest
from django.core.management.base import CommandError

from tests.factories import make_cliente
from tests.importexport.helpers import HEADER, customers, run_import, write_csv

pytestmark = pytest.mark.django_db


def assert_one_line(exc_info, *fragments):
    message = str(exc_info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_unknown_tenant_is_an_error(tmp_path):
    path = write_csv(tmp_path, f"{HEADER}\nAna,,,,,\n")
    with pytest.raises(CommandError) as exc_info:
        run_import("no-existe", path)
    assert_one_line(exc_info, "No existe la empresa «no-existe»")


def test_missing_file_is_an_error(tenant, tmp_path):
    with pytest.raises(CommandError) as exc_info:
        run_import(tenant, tmp_path / "nada.csv")
    assert_one_line(exc_info, "No existe el archivo", "nada.csv")


def test_directory_instead_of_file_is_an_error(tenant, tmp_path):
    with pytest.raises(CommandError) as exc_info:
        run_import(tenant, tmp_path)
    assert_one_line(exc_info, "es un directorio")


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        pytest.param("", ["vacío"], id="empty"),
        pytest.param(
            "nombre,documento,ciudad\nAna,1,Bogotá\n",
            ["Columnas desconocidas", "«ciudad»"],
            id="unknown-column",
        ),
        pytest.param(
            "documento,email\n123,a@example.com\n",
            ["Falta la columna obligatoria «nombre»"],
            id="header-without-nombre",
        ),
        pytest.param(
            "nombre,email,email\nAna,a@example.com,b@example.com\n",
            ["Columnas repetidas", "email"],
            id="repeated-column",
        ),
        pytest.param(
            f"{HEADER}\nAna,1,,,,\n".encode() + "José,2,,,,\n".encode("latin-1"),
            ["UTF-8", "línea 3"],
            id="not-utf8-naming-the-line",
        ),
        pytest.param(
            f'{HEADER}\nAna,1,,,,\nLuis,2,,,,"sin cerrar\n',
            ["CSV mal formado en la línea 3"],
            id="unterminated-quote-naming-the-line",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_a_one_line_error_and_writes_nothing(
    tenant, tmp_path, content, fragments
):
    path = write_csv(tmp_path, content)
    with pytest.raises(CommandError) as exc_info:
        run_import(tenant, path)
    assert_one_line(exc_info, *fragments)
    assert customers(tenant) == []


def test_file_errors_leave_existing_customers_untouched(tenant, tmp_path):
    make_cliente(tenant, nombre="Ana", documento="1")
    path = write_csv(tmp_path, "nombre,documento,extra\nOtra Ana,1,x\n")
    with pytest.raises(CommandError):
        run_import(tenant, path)
    assert [c["nombre"] for c in customers(tenant)] == ["Ana"]


def test_documento_taken_by_a_concurrent_writer_is_a_one_line_error(tenant, tmp_path, monkeypatch):
    """Between our lookup and our insert another process saved the same documento."""
    from clientes import csv_import

    make_cliente(tenant, nombre="Guardado por la API", documento="7")
    unseen = lambda rows: [(f"no-lo-ve-{r.values['documento']}", r.line) for r in rows]  # noqa: E731
    monkeypatch.setattr(csv_import, "_canonical_forms", unseen)
    path = write_csv(tmp_path, "nombre,documento\nNuevo,8\nOtro,7\n")
    with pytest.raises(CommandError) as exc_info:
        run_import(tenant, path)
    assert_one_line(exc_info, "Otro proceso guardó un cliente", "no se guardó nada")
    assert [c["nombre"] for c in customers(tenant)] == ["Guardado por la API"]
