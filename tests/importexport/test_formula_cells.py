"""Formula cells: every CSV export writes a leading ``'`` before a text cell a spreadsheet would
run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR), the import removes it, and export then
import still changes nothing."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from clientes.csv_cells import (
    FORMULA_TRIGGERS,
    csv_record,
    neutralize_formula,
    restore_formula,
)
from comercial.services import NewItem
from tenants.models import User
from tests.factories import make_cliente, make_user
from tests.importexport.helpers import (
    FIELDS,
    customers,
    fields_only,
    run_export,
    run_import,
    write_csv,
)
from ventas.services import venta_create

TRIGGERS = list(FORMULA_TRIGGERS)
TRIGGER_IDS = ["equals", "plus", "minus", "at", "tab", "cr"]
PHONE = "+57 300 123 4567"


def export_rows(tenant) -> list[dict]:
    return list(csv.DictReader(io.StringIO(run_export(tenant, "csv"))))


def run_ventas(tenant, fmt: str = "csv") -> str:
    out = io.StringIO()
    call_command(
        "export_ventas", "--tenant", tenant.slug, "--format", fmt, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def ventas_rows(tenant) -> list[dict]:
    return list(csv.DictReader(io.StringIO(run_ventas(tenant))))


def sell(tenant, *, cliente_nombre: str, vendedor_nombre: str, descripcion: str):
    """A sale whose customer, seller and item carry these texts exactly as given."""
    cliente = make_cliente(tenant, nombre=cliente_nombre)
    vendedor = make_user(tenant)
    # The user service trims names; store the seller's name untrimmed, as it is given.
    User.objects.filter(pk=vendedor.pk).update(nombre=vendedor_nombre)
    vendedor.refresh_from_db()
    item = NewItem(descripcion, Decimal("2"), Decimal("1500.50"))
    return venta_create(tenant=tenant, cliente=cliente, vendedor=vendedor, items=[item])


# --- export_clientes --------------------------------------------------------------------


@pytest.mark.parametrize("trigger", TRIGGERS, ids=TRIGGER_IDS)
def test_clientes_csv_export_prefixes_every_text_cell_starting_with_a_trigger(tenant, trigger):
    values = {f: f"{trigger}{f}(1)" for f in FIELDS}
    make_cliente(tenant, **values)
    [row] = export_rows(tenant)
    assert {f: row[f] for f in FIELDS} == {f: "'" + v for f, v in values.items()}


def test_clientes_csv_export_leaves_other_cells_as_they_are(tenant):
    cliente = make_cliente(
        tenant, nombre="a=b", documento="1-2", email="x@y.co", telefono="300 123 4567",
        direccion="'hola", notas=" =no empieza por el signo",
    )  # fmt: skip
    [row] = export_rows(tenant)
    assert row["id"] == str(cliente.pk)
    assert row["creadoEn"].startswith(str(cliente.creado_en.year))
    assert {f: row[f] for f in FIELDS} == {f: getattr(cliente, f) for f in FIELDS}


def test_clientes_csv_export_adds_an_apostrophe_to_one_that_precedes_a_trigger(tenant):
    make_cliente(tenant, nombre="'=x", notas="''+y")
    [row] = export_rows(tenant)
    assert (row["nombre"], row["notas"]) == ("''=x", "'''+y")


def test_clientes_json_export_keeps_formula_values_as_stored(tenant):
    make_cliente(tenant, nombre="=HYPERLINK(1)", telefono=PHONE)
    [obj] = json.loads(run_export(tenant, "json"))
    assert (obj["nombre"], obj["telefono"]) == ("=HYPERLINK(1)", PHONE)


# --- export_ventas ----------------------------------------------------------------------


@pytest.mark.parametrize("trigger", TRIGGERS, ids=TRIGGER_IDS)
def test_ventas_csv_export_prefixes_every_text_cell_starting_with_a_trigger(tenant, trigger):
    sell(
        tenant,
        cliente_nombre=f"{trigger}cliente",
        vendedor_nombre=f"{trigger}vendedor",
        descripcion=f"{trigger}SUM(A1:A9)",
    )
    [row] = ventas_rows(tenant)
    assert (row["clienteNombre"], row["vendedorNombre"], row["descripcion"]) == (
        f"'{trigger}cliente",
        f"'{trigger}vendedor",
        f"'{trigger}SUM(A1:A9)",
    )


def test_ventas_csv_export_never_prefixes_numbers_ids_or_timestamps(tenant):
    venta = sell(tenant, cliente_nombre="=c", vendedor_nombre="=v", descripcion="=d")
    [row] = ventas_rows(tenant)
    item = venta.items.get()
    columns = ("numero", "ventaId", "clienteId", "vendedorId", "total", "cancelada")
    assert [row[c] for c in columns] == [
        str(venta.numero), str(venta.pk), str(venta.cliente_id), str(venta.vendedor_id),
        "3001.00", "no",
    ]  # fmt: skip
    columns = ("cantidad", "precioUnitario", "subtotal")
    assert [row[c] for c in columns] == [format(item.cantidad, "f"), "1500.50", "3001.00"]
    assert row["creadoEn"].startswith(str(venta.creado_en.year))


def test_ventas_csv_export_adds_an_apostrophe_to_one_that_precedes_a_trigger(tenant):
    sell(tenant, cliente_nombre="'=c", vendedor_nombre="'hola", descripcion="''-d")
    [row] = ventas_rows(tenant)
    assert (row["clienteNombre"], row["vendedorNombre"], row["descripcion"]) == (
        "''=c",
        "'hola",
        "'''-d",
    )


def test_ventas_json_export_keeps_formula_values_as_stored(tenant):
    sell(tenant, cliente_nombre="=c", vendedor_nombre="+v", descripcion="@d")
    [obj] = json.loads(run_ventas(tenant, "json"))
    assert (obj["cliente"]["nombre"], obj["vendedor"]["nombre"]) == ("=c", "+v")
    assert obj["items"][0]["descripcion"] == "@d"


# --- import_clientes --------------------------------------------------------------------


@pytest.mark.parametrize("trigger", "=+-@", ids=TRIGGER_IDS[:4])
def test_import_removes_the_apostrophe_before_a_trigger(tenant, tmp_path, trigger):
    columns = [f for f in FIELDS if f != "email"]  # "@x@y" is no address; "+x@y" is below
    cells = [f"'{trigger}{c}" for c in columns]
    path = write_csv(tmp_path, f"{','.join(columns)}\n{','.join(cells)}\n")
    out, err = run_import(tenant, path)
    assert "1 creados" in out, out + err
    [stored] = customers(tenant)
    assert [stored[c] for c in columns] == [f"{trigger}{c}" for c in columns]


def test_import_removes_the_apostrophe_before_validating(tenant, tmp_path):
    # 200 characters after the apostrophe fit; the tab is then trimmed, as the API trims.
    nombre = "=" + "x" * 199
    path = write_csv(tmp_path, f"nombre,notas\n'{nombre},\"'\t=1\"\n")
    out, err = run_import(tenant, path)
    assert "1 creados" in out, out + err
    [stored] = customers(tenant)
    assert (stored["nombre"], stored["notas"]) == (nombre, "=1")


def test_import_keeps_an_apostrophe_that_precedes_no_trigger(tenant, tmp_path):
    path = write_csv(tmp_path, "nombre,notas,direccion\n'hola,'',' =x\n")
    run_import(tenant, path)
    [stored] = customers(tenant)
    assert (stored["nombre"], stored["notas"], stored["direccion"]) == ("'hola", "''", "' =x")


def test_import_removes_only_one_of_several_apostrophes_before_a_trigger(tenant, tmp_path):
    path = write_csv(tmp_path, "nombre,notas\n''=x,'''+y\n")
    run_import(tenant, path)
    [stored] = customers(tenant)
    assert (stored["nombre"], stored["notas"]) == ("'=x", "''+y")


# --- export then import -----------------------------------------------------------------


@pytest.fixture
def formula_customers(tenant):
    make_cliente(tenant, nombre="Ana", telefono=PHONE)
    make_cliente(tenant, nombre='=HYPERLINK("http://x")', documento="-123", telefono="+1 555")
    make_cliente(tenant, nombre="@SUM(A1)", email="+tag@example.com", notas="-5\r\n=1+1")
    make_cliente(tenant, nombre="'=literal", documento="'+57", direccion="''-x")
    make_cliente(tenant, nombre="'hola", notas="'")


def test_phone_with_a_country_code_survives_export_then_import(tenant, other_tenant, tmp_path):
    make_cliente(tenant, nombre="Ana", telefono=PHONE)
    exported = run_export(tenant)
    assert f",'{PHONE}," in exported
    run_import(other_tenant, write_csv(tmp_path, exported))
    assert [c["telefono"] for c in customers(other_tenant)] == [PHONE]


def test_export_then_import_into_the_same_tenant_changes_nothing(
    tenant, formula_customers, tmp_path
):
    before = customers(tenant)
    out, err = run_import(tenant, write_csv(tmp_path, run_export(tenant)))
    assert "0 creados, 0 actualizados, 5 sin cambios" in out, out + err
    assert customers(tenant) == before


def test_export_then_import_into_an_empty_tenant_copies_the_values_exactly(
    tenant, other_tenant, formula_customers, tmp_path
):
    out, err = run_import(other_tenant, write_csv(tmp_path, run_export(tenant)))
    assert "5 creados" in out, out + err
    assert fields_only(customers(other_tenant)) == fields_only(customers(tenant))


# --- tenancy ----------------------------------------------------------------------------


def test_exports_never_show_another_tenants_formula_values(tenant, other_tenant):
    make_cliente(tenant, nombre="=mio")
    sell(tenant, cliente_nombre="=c", vendedor_nombre="=v", descripcion="=d")
    make_cliente(other_tenant, nombre="=ajeno", telefono=PHONE)
    sell(other_tenant, cliente_nombre="=otro", vendedor_nombre="=otra", descripcion="=secreto")
    texts = run_export(tenant) + run_export(tenant, "json") + run_ventas(tenant)
    texts += run_ventas(tenant, "json")
    assert "mio" in texts and "=d" in texts
    for foreign in ("ajeno", PHONE, "otro", "otra", "secreto"):
        assert foreign not in texts


# --- the rule itself --------------------------------------------------------------------

# Text weighted towards the interesting starts: apostrophes, triggers, then anything.
texts = st.one_of(
    st.text(),
    st.builds(
        lambda quotes, trigger, rest: quotes + trigger + rest,
        st.text(alphabet="'", max_size=4),
        st.sampled_from([*TRIGGERS, ""]),
        st.text(),
    ),
)


@given(texts)
def test_restore_undoes_neutralize_for_every_string(value):
    assert restore_formula(neutralize_formula(value)) == value


@given(texts)
def test_a_neutralised_value_never_starts_with_a_trigger(value):
    assert neutralize_formula(value)[:1] not in TRIGGERS


@given(texts)
def test_restore_leaves_alone_every_value_neutralize_leaves_alone(value):
    if neutralize_formula(value) == value:
        assert restore_formula(value) == value


@given(st.lists(texts, min_size=1, max_size=4))
def test_csv_reader_reads_back_every_record_the_exports_write(cells):
    [read] = csv.reader(io.StringIO(csv_record(cells), newline=""), strict=True)
    assert read == cells


@given(st.lists(texts, min_size=1, max_size=4))
def test_a_neutralised_record_read_back_and_restored_is_the_original(values):
    record = csv_record([neutralize_formula(v) for v in values])
    [cells] = csv.reader(io.StringIO(record, newline=""), strict=True)
    assert [restore_formula(c) for c in cells] == values
