"""What an accepted line does: create, update by canonical documento, or leave unchanged."""

import pytest
from django.db import transaction

from clientes.csv_import import cliente_import_csv
from tests.factories import make_cliente
from tests.importexport.helpers import (
    FIELDS,
    HEADER,
    customers,
    fields_only,
    run_import,
    write_csv,
)

pytestmark = pytest.mark.django_db


def test_new_customers_are_created_and_counted(tenant, tmp_path):
    path = write_csv(tmp_path, f"{HEADER}\nAna,1,ana@example.com,300,Calle 1,hola\nLuis,2,,,,\n")
    out, err = run_import(tenant, path)
    where = f"«{tenant.nombre}» ({tenant.slug})"
    assert out == f"Importación en {where}: 2 creados, 0 actualizados, 0 sin cambios.\n"
    assert err == ""
    assert fields_only(customers(tenant)) == [
        dict(zip(FIELDS, ["Ana", "1", "ana@example.com", "300", "Calle 1", "hola"], strict=True)),
        dict(zip(FIELDS, ["Luis", "2", None, None, None, None], strict=True)),
    ]


def test_values_are_trimmed_and_empty_cells_store_null(tenant, tmp_path):
    path = write_csv(tmp_path, f'{HEADER}\n  Ana  , 1.020 ,  ,"   ", ,"  nota  "\n')
    run_import(tenant, path)
    [row] = fields_only(customers(tenant))
    assert row == {
        "nombre": "Ana",
        "documento": "1.020",
        "email": None,
        "telefono": None,
        "direccion": None,
        "notas": "nota",
    }


def test_header_names_may_have_surrounding_spaces_and_a_bom(tenant, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf nombre , email\r\nAna,ana@example.com\r\n")
    run_import(tenant, path)
    assert [(c["nombre"], c["email"]) for c in customers(tenant)] == [("Ana", "ana@example.com")]


def test_only_the_header_imports_nothing(tenant, tmp_path):
    out, _ = run_import(tenant, write_csv(tmp_path, f"{HEADER}\n"))
    assert "0 creados, 0 actualizados, 0 sin cambios" in out


def test_blank_lines_are_skipped(tenant, tmp_path):
    path = write_csv(tmp_path, f"{HEADER}\n\nAna,1,,,,\n\n")
    out, _ = run_import(tenant, path)
    assert "1 creados" in out


def test_canonical_documento_updates_the_existing_customer(tenant, tmp_path):
    existing = make_cliente(tenant, nombre="José", documento="1020345678", email="old@example.com")
    path = write_csv(tmp_path, f"{HEADER}\nJosé Álvarez,1.020.345-678,jose@example.com,,,\n")
    out, _ = run_import(tenant, path)
    assert "0 creados, 1 actualizados, 0 sin cambios" in out
    [row] = customers(tenant)
    assert row["id"] == existing.pk
    assert row["nombre"] == "José Álvarez"
    assert row["email"] == "jose@example.com"
    assert row["documento"] == "1.020.345-678"  # stored as sent (trimmed), like the API


def test_canonical_match_ignores_case(tenant, tmp_path):
    existing = make_cliente(tenant, nombre="Ana", documento="ab-12")
    out, _ = run_import(tenant, write_csv(tmp_path, "nombre,documento\nAna B,AB 12\n"))
    assert "1 actualizados" in out
    assert [c["id"] for c in customers(tenant)] == [existing.pk]


def test_identical_row_is_unchanged_and_not_written(
    tenant, tmp_path, django_assert_max_num_queries
):
    make_cliente(tenant, nombre="Ana", documento="1", email="ana@example.com")
    path = write_csv(tmp_path, "nombre,documento,email\nAna,1,ana@example.com\n")
    # The tenant, the seen-documentos table (dropped, created), the canonical forms, the lookup.
    with django_assert_max_num_queries(8) as captured:
        out, _ = run_import(tenant, path)
    assert "0 creados, 0 actualizados, 1 sin cambios" in out
    assert not any(q["sql"].startswith(("UPDATE", "INSERT")) for q in captured.captured_queries)


def test_columns_absent_from_the_file_keep_their_values(tenant, tmp_path):
    make_cliente(tenant, nombre="Ana", documento="1", email="ana@example.com", notas="vip")
    run_import(tenant, write_csv(tmp_path, "nombre,documento\nAna María,1\n"))
    [row] = customers(tenant)
    assert (row["nombre"], row["email"], row["notas"]) == ("Ana María", "ana@example.com", "vip")


def test_empty_cell_clears_the_field_of_an_existing_customer(tenant, tmp_path):
    make_cliente(tenant, nombre="Ana", documento="1", email="ana@example.com")
    run_import(tenant, write_csv(tmp_path, "nombre,documento,email\nAna,1,\n"))
    assert customers(tenant)[0]["email"] is None


def test_rows_without_documento_are_always_inserted(tenant, tmp_path):
    make_cliente(tenant, nombre="Ana")
    out, _ = run_import(tenant, write_csv(tmp_path, f"{HEADER}\nAna,,,,,\nAna,,,,,\n"))
    assert "2 creados" in out
    assert [c["nombre"] for c in customers(tenant)] == ["Ana", "Ana", "Ana"]


def test_a_later_row_with_the_same_documento_is_rejected(tenant, tmp_path):
    path = write_csv(tmp_path, "nombre,documento,email\nAna,1-2,a@example.com\nAna B,12,\n")
    with path.open("rb") as file:
        result = cliente_import_csv(tenant=tenant, file=file)
    assert not result.saved
    [rejected] = result.rejected_lines
    assert (rejected.line, rejected.reason) == (
        3,
        "documento: Documento repetido en el archivo (línea 2)",
    )
    assert customers(tenant) == []


def test_a_repeated_documento_is_found_across_batches(tenant, tmp_path):
    path = write_csv(tmp_path, "nombre,documento\nAna,1\nLuis,2\nEva,3\nAna B,1\nAna C,1\nLuis,2\n")
    with path.open("rb") as file:
        result = cliente_import_csv(tenant=tenant, file=file, batch_size=2, dry_run=True)
    assert [(r.line, r.reason) for r in result.rejected_lines] == [
        (5, "documento: Documento repetido en el archivo (línea 2)"),
        (6, "documento: Documento repetido en el archivo (línea 2)"),
        (7, "documento: Documento repetido en el archivo (línea 3)"),
    ]


def test_two_imports_in_one_transaction_each_see_only_their_own_rows(tenant, tmp_path):
    path = write_csv(tmp_path, "nombre,documento\nAna,1\n")
    with transaction.atomic():
        for _ in range(2):
            with path.open("rb") as file:
                result = cliente_import_csv(tenant=tenant, file=file)
            assert result.saved and result.rejected == 0
    assert [(c["nombre"], c["documento"]) for c in customers(tenant)] == [("Ana", "1")]


def test_id_without_documento_updates_that_customer_of_the_tenant(tenant, tmp_path):
    existing = make_cliente(tenant, nombre="Ana")
    out, _ = run_import(tenant, write_csv(tmp_path, f"id,nombre\n{existing.pk},Ana María\n"))
    assert "0 creados, 1 actualizados" in out
    assert [(c["id"], c["nombre"]) for c in customers(tenant)] == [(existing.pk, "Ana María")]


def test_documento_wins_over_id(tenant, tmp_path):
    by_id = make_cliente(tenant, nombre="Ana", documento="1")
    by_doc = make_cliente(tenant, nombre="Luis", documento="2")
    run_import(tenant, write_csv(tmp_path, f"id,nombre,documento\n{by_id.pk},Luis B,2\n"))
    assert [(c["id"], c["nombre"]) for c in customers(tenant)] == [
        (by_id.pk, "Ana"),
        (by_doc.pk, "Luis B"),
    ]


def test_id_row_clearing_documento_frees_it_for_a_later_row(tenant, tmp_path):
    existing = make_cliente(tenant, nombre="Ana", documento="1")
    path = write_csv(tmp_path, f"id,nombre,documento\n{existing.pk},Ana,\n,Otra,1\n")
    out, _ = run_import(tenant, path)
    assert "1 creados, 1 actualizados" in out
    assert [(c["nombre"], c["documento"]) for c in customers(tenant)] == [
        ("Ana", None),
        ("Otra", "1"),
    ]


def test_creado_en_column_is_ignored(tenant, tmp_path):
    existing = make_cliente(tenant, nombre="Ana", documento="1")
    before = customers(tenant)[0]["creado_en"]
    path = write_csv(tmp_path, "nombre,documento,creadoEn\nAna B,1,2001-01-01T00:00:00Z\nEva,,x\n")
    run_import(tenant, path)
    rows = customers(tenant)
    assert (rows[0]["id"], rows[0]["creado_en"]) == (existing.pk, before)
    assert rows[1]["creado_en"].year > 2001


def test_dry_run_reports_counts_and_writes_nothing(tenant, tmp_path):
    make_cliente(tenant, nombre="Ana", documento="1")
    make_cliente(tenant, nombre="Luis", documento="2")
    before = customers(tenant)
    path = write_csv(tmp_path, "nombre,documento\nAna B,1\nLuis,2\nEva,3\n")
    out, err = run_import(tenant, path, "--dry-run")
    assert out == (
        f"Simulación en «{tenant.nombre}» ({tenant.slug}), no se guardó nada: se crearían 1, "
        "se actualizarían 1, 1 sin cambios, 0 rechazadas.\n"
    )
    assert err == ""
    assert customers(tenant) == before


def test_other_tenant_customer_with_same_documento_is_neither_read_nor_touched(
    tenant, other_tenant, tmp_path
):
    theirs = make_cliente(other_tenant, nombre="De B", documento="1020345678")
    before = customers(other_tenant)
    out, _ = run_import(tenant, write_csv(tmp_path, "nombre,documento\nDe A,1.020.345-678\n"))
    assert "1 creados, 0 actualizados" in out
    assert customers(other_tenant) == before
    [mine] = customers(tenant)
    assert mine["id"] != theirs.pk and mine["nombre"] == "De A"


def test_id_of_another_tenants_customer_creates_a_new_one(tenant, other_tenant, tmp_path):
    theirs = make_cliente(other_tenant, nombre="De B")
    before = customers(other_tenant)
    out, _ = run_import(tenant, write_csv(tmp_path, f"id,nombre\n{theirs.pk},De A\n"))
    assert "1 creados, 0 actualizados" in out
    assert customers(other_tenant) == before
    assert [c["nombre"] for c in customers(tenant)] == ["De A"]
