"""export_ventas: the tenant's sales with their items on standard output, CSV or JSON."""

import csv
import io
import json
from datetime import UTC
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext

from comercial.services import NewItem
from cotizaciones.services import cotizacion_convert
from tenants.models import User
from tests.factories import make_cliente, make_cotizacion, make_tenant, make_user, make_venta
from ventas import transfer
from ventas.management.commands.export_ventas import Command
from ventas.models import Venta, VentaItem
from ventas.services import venta_cancel, venta_create

pytestmark = pytest.mark.django_db

HEADER = (
    "numero,ventaId,creadoEn,clienteId,clienteNombre,vendedorId,vendedorNombre,total,"
    "cancelada,descripcion,cantidad,precioUnitario,subtotal"
)
# 3 × 1234567890.12 = 3703703670.36 and 0.1 × 0.30 = 0.03, exactly.
LINES = (("Café, molido", "3", "1234567890.12"), ("Panela", "0.1", "0.30"), ("Arroz", "2.5", "10"))


def run(tenant, *args) -> tuple[str, str]:
    """``export_ventas --tenant SLUG [args]`` (a Tenant or a slug); (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export_ventas", "--tenant", getattr(tenant, "slug", tenant), *args, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def csv_rows(tenant, *args) -> list[dict]:
    return list(csv.DictReader(io.StringIO(run(tenant, "--format", "csv", *args)[0])))


def exported(tenant, *args) -> list[dict]:
    return json.loads(run(tenant, "--format", "json", *args)[0], parse_float=Decimal)


def sell(tenant, *lines, **kwargs) -> Venta:
    items = [NewItem(d, Decimal(c), Decimal(p)) for d, c, p in lines]
    return venta_create(tenant=tenant, items=items, **kwargs)


def at(venta: Venta, instant: str) -> Venta:
    Venta.objects.for_tenant(venta.tenant_id).filter(pk=venta.pk).update(creado_en=instant)
    return venta


@pytest.fixture
def ventas(tenant, user):
    cliente = make_cliente(tenant, nombre="José Álvarez")
    first = sell(tenant, *LINES, cliente=cliente, vendedor=user, notas='dice "hola"')
    second = sell(tenant, ("Queso", "1", "15600"))
    return first, second


# -- CSV -----------------------------------------------------------------------------------


def test_csv_has_the_documented_header_and_is_the_default(tenant, ventas):
    out, _ = run(tenant)
    assert out.splitlines()[0] == HEADER == ",".join(transfer.CSV_COLUMNS)
    assert out == run(tenant, "--format", "csv")[0]
    assert HEADER.replace(",", ", ") in Command.help  # the command's help lists the columns


def test_csv_has_one_row_per_item_in_order_with_the_sale_repeated(tenant, user, ventas):
    first, second = ventas
    venta_cancel(venta=second, por=make_user(tenant, rol=User.Rol.ADMIN), motivo="Devolución")
    rows = csv_rows(tenant)
    stored = Venta.objects.for_tenant(tenant).get(pk=first.pk)
    sale = {
        "numero": str(first.numero),
        "ventaId": str(first.pk),
        "creadoEn": stored.creado_en.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "clienteId": str(first.cliente_id),
        "clienteNombre": "José Álvarez",
        "vendedorId": str(user.pk),
        "vendedorNombre": user.nombre,
        "total": "3703703695.39",
        "cancelada": "no",
    }
    assert rows[:3] == [
        {**sale, "descripcion": "Café, molido", "cantidad": "3.000"}
        | {"precioUnitario": "1234567890.12", "subtotal": "3703703670.36"},
        {**sale, "descripcion": "Panela", "cantidad": "0.100"}
        | {"precioUnitario": "0.30", "subtotal": "0.03"},
        {**sale, "descripcion": "Arroz", "cantidad": "2.500"}
        | {"precioUnitario": "10.00", "subtotal": "25.00"},
    ]
    assert (rows[3]["ventaId"], rows[3]["cancelada"]) == (str(second.pk), "sí")
    assert (rows[3]["clienteId"], rows[3]["clienteNombre"], rows[3]["vendedorId"]) == ("", "", "")
    assert len(rows) == 4


def test_a_sale_without_items_is_one_row_with_empty_item_cells(tenant):
    venta = Venta.objects.for_tenant(tenant).create(tenant=tenant, numero=1, total=0)
    [row] = csv_rows(tenant)
    assert row["ventaId"] == str(venta.pk)
    assert [row[c] for c in ("descripcion", "cantidad", "precioUnitario", "subtotal")] == [""] * 4


# -- JSON ----------------------------------------------------------------------------------


def test_json_is_the_api_detail_without_events(tenant, user, api, ventas):
    admin = make_user(tenant, rol=User.Rol.ADMIN)
    cancelled = make_venta(tenant, vendedor=user)
    venta_cancel(venta=cancelled, por=admin, motivo="Devolución")
    converted, _ = cotizacion_convert(cotizacion=make_cotizacion(tenant, vendedor=user), por=user)
    objects = json.loads(run(tenant, "--format", "json")[0])
    mine = [o for o in objects if o["vendedor"] is not None]
    assert [o["id"] for o in mine] == [ventas[0].pk, cancelled.pk, converted.pk]
    for obj in mine:
        detail = api.get(f"/api/ventas/{obj['id']}").json()
        del detail["eventos"]
        assert obj == detail
    assert mine[1]["canceladaPor"] == {"id": admin.pk, "nombre": admin.nombre}
    assert mine[2]["cotizacionId"] is not None


def test_json_money_is_exact_numbers_equal_to_the_database(tenant, ventas):
    out, _ = run(tenant, "--format", "json")
    assert '"subtotal":3703703670.36' in out and '"subtotal":0.03' in out
    objects = json.loads(out, parse_float=Decimal)
    for obj in objects:
        venta = Venta.objects.for_tenant(tenant).get(pk=obj["id"])
        assert [obj[f] for f in ("numero", "total", "notas")] == [
            venta.numero,
            venta.total,
            venta.notas,
        ]
        items = VentaItem.objects.for_tenant(tenant).filter(venta=venta).order_by("id")
        fields = ("id", "descripcion", "cantidad", "subtotal")
        assert obj["items"] == list(items.values(*fields, precioUnitario=F("precio_unitario")))
    assert objects[0]["total"] == Decimal("3703703695.39")
    assert objects[0]["cliente"] == {"id": ventas[0].cliente_id, "nombre": "José Álvarez"}


def test_json_is_one_sale_per_line_and_the_summary_is_on_stderr(tenant, ventas):
    out, err = run(tenant, "--format", "json")
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:-1]] == [v.pk for v in ventas]
    assert err == f"2 ventas (4 ítems) de «{tenant.nombre}» exportadas (json).\n"


def test_empty_tenant_is_an_empty_array_or_only_the_header(tenant):
    assert exported(tenant) == []
    assert run(tenant)[0] == HEADER + "\n"


def test_another_tenants_sales_are_never_exported(tenant, other_tenant, ventas):
    sell(other_tenant, ("Ajeno", "1", "5"))
    assert [o["id"] for o in exported(tenant)] == [v.pk for v in ventas]
    rows = csv_rows(tenant)
    assert len(rows) == 4 and {int(r["ventaId"]) for r in rows} == {v.pk for v in ventas}


# -- days in the tenant's time zone ----------------------------------------------------------


@pytest.fixture
def days(tenant):
    return {
        "feb28": at(sell(tenant, ("A", "1", "1")), "2026-03-01T04:59:00+00:00"),
        "mar1": at(sell(tenant, ("B", "1", "1")), "2026-03-02T03:00:00+00:00"),
        "mar2": at(sell(tenant, ("C", "1", "1")), "2026-03-02T05:00:00+00:00"),
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--desde", "2026-03-01", "--hasta", "2026-03-01"), ["mar1"]),
        (("--desde", "2026-03-01"), ["mar1", "mar2"]),
        (("--hasta", "2026-03-01"), ["feb28", "mar1"]),
        (("--hasta", "2026-02-28"), ["feb28"]),
        (("--desde", "2026-03-03"), []),
        ((), ["feb28", "mar1", "mar2"]),
    ],
)
def test_desde_and_hasta_are_inclusive_days_in_the_tenant_zone(tenant, days, args, expected):
    assert [o["id"] for o in exported(tenant, *args)] == [days[k].pk for k in expected]
    assert [int(r["ventaId"]) for r in csv_rows(tenant, *args)] == [days[k].pk for k in expected]


def test_days_follow_the_tenants_own_zone():
    utc = make_tenant()
    utc.zona_horaria = "UTC"
    utc.save(update_fields=["zona_horaria"])
    early = at(sell(utc, ("B", "1", "1")), "2026-03-02T03:00:00+00:00")
    late = at(sell(utc, ("C", "1", "1")), "2026-03-02T23:59:59+00:00")
    got = exported(utc, "--desde", "2026-03-02", "--hasta", "2026-03-02")
    assert [o["id"] for o in got] == [early.pk, late.pk]


@pytest.mark.parametrize("value", ["2026-02-30", "01/03/2026", "2026-3-1", "", "mañana"])
@pytest.mark.parametrize("option", ["--desde", "--hasta"])
def test_an_invalid_date_is_a_one_line_error(tenant, option, value):
    with pytest.raises(CommandError) as excinfo:
        run(tenant, option, value)
    message = str(excinfo.value)
    assert message.startswith(f"Fecha no válida en {option}: «{value}»") and "\n" not in message


def test_reversed_days_and_an_unknown_tenant_are_errors(tenant):
    with pytest.raises(CommandError) as reversed_days:
        run(tenant, "--desde", "2026-03-02", "--hasta", "2026-03-01")
    assert str(reversed_days.value) == "--desde (2026-03-02) es posterior a --hasta (2026-03-01)"
    with pytest.raises(CommandError) as unknown:
        run("nadie")
    assert str(unknown.value) == "No existe la empresa «nadie»"


# -- queries and streaming -------------------------------------------------------------------


def add_sales(tenant, count: int) -> None:
    """``count`` sales of two items each, written in bulk (the services are too slow here)."""
    start = Venta.objects.for_tenant(tenant).count()
    sales = Venta.objects.for_tenant(tenant).bulk_create(
        Venta(tenant=tenant, numero=start + n + 1, total=Decimal("3.00")) for n in range(count)
    )
    one, two = Decimal(1), Decimal(2)
    VentaItem.objects.for_tenant(tenant).bulk_create(
        VentaItem(
            tenant=tenant, venta=v, descripcion=d, cantidad=one, precio_unitario=p, subtotal=p
        )
        for v in sales
        for d, p in (("Ítem 1", one), ("Ítem 2", two))
    )


def queries_of_export(tenant, fmt: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        run(tenant, "--format", fmt)
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_queries_do_not_grow_with_the_number_of_sales(tenant, fmt, monkeypatch):
    add_sales(tenant, 10)
    small = queries_of_export(tenant, fmt)
    add_sales(tenant, 40)
    assert queries_of_export(tenant, fmt) == small <= 3  # tenant, sales cursor, one chunk
    monkeypatch.setattr(transfer, "EXPORT_CHUNK_SIZE", 10)
    assert queries_of_export(tenant, fmt) == small + 4  # one items query per extra chunk


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_streams_in_chunks_through_iterator(tenant, fmt, monkeypatch):
    add_sales(tenant, 2500)
    monkeypatch.setattr(transfer, "EXPORT_CHUNK_SIZE", 300)
    chunk_sizes = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunk_sizes.append((self.model, chunk_size))
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    if fmt == "csv":
        rows = csv_rows(tenant)
        assert len(rows) == 5000 and len({r["ventaId"] for r in rows}) == 2500
    else:
        objects = exported(tenant)
        assert len(objects) == 2500 and all(len(o["items"]) == 2 for o in objects)
    assert chunk_sizes[0] == (Venta, 300)
    assert chunk_sizes[1:] == [(VentaItem, 300)] * 9  # ceil(2500 / 300) chunks


def test_the_first_sale_is_written_before_the_rest_is_read(tenant, monkeypatch):
    add_sales(tenant, 100)
    monkeypatch.setattr(transfer, "EXPORT_CHUNK_SIZE", 10)
    queries_at_write = []  # how many queries had run when each piece was written
    with CaptureQueriesContext(connection) as queries:
        output = io.StringIO()
        output.write = lambda text: queries_at_write.append(len(queries))
        count = transfer.venta_export_json(tenant=tenant, output=output)
    assert (count.ventas, count.items) == (100, 200)
    assert queries_at_write[0] == 2  # the sales cursor and the first chunk's items only
    assert len(queries) == 11
