"""GET /api/clientes/{id}/historial: the recent sales and the summary of purchases."""

from datetime import timedelta

import pytest

from tests.clientes.helpers import (
    assert_is_number,
    assert_iso_utc,
    cancel_on_sale_day,
    historial,
    minutes,
    parse_iso,
    set_venta_creado_en,
    venta_at,
)
from tests.factories import make_venta

pytestmark = pytest.mark.django_db

VENTA_KEYS = {"id", "numero", "total", "notas", "creadoEn", "canceladaEn"}


# -- ventas ----------------------------------------------------------------------------------


def test_historial_venta_rows_have_exactly_the_documented_fields(api, tenant, cliente, ajeno):
    venta = make_venta(tenant, cliente, total="150000.00", notas="Pago en efectivo")

    (row,) = historial(api, cliente, ajeno)["ventas"]

    assert set(row) == VENTA_KEYS
    assert row["id"] == venta.pk
    assert row["notas"] == "Pago en efectivo"
    assert row["canceladaEn"] is None
    assert_iso_utc(row["creadoEn"])


def test_historial_sale_totals_are_json_numbers(api, tenant, cliente, ajeno):
    venta_at(tenant, cliente, 2, total="150000.00")
    venta_at(tenant, cliente, 1, total="99000.50")

    ventas = historial(api, cliente, ajeno)["ventas"]

    for row in ventas:
        assert_is_number(row["total"])
    assert [row["total"] for row in ventas] == [150000.0, 99000.5]


def test_historial_lists_the_20_most_recent_sales_newest_first(api, tenant, cliente, ajeno):
    # creadoEn order deliberately differs from id order.
    ventas = {(i * 7) % 25: venta_at(tenant, cliente, (i * 7) % 25) for i in range(25)}
    newest_first = [ventas[m].pk for m in sorted(ventas, reverse=True)]

    rows = historial(api, cliente, ajeno)["ventas"]

    assert [row["id"] for row in rows] == newest_first[:20]
    assert parse_iso(rows[0]["creadoEn"]) == minutes(24)


def test_historial_breaks_creado_en_ties_by_id_descending(api, tenant, cliente, ajeno):
    older = venta_at(tenant, cliente, 1)
    tied = [venta_at(tenant, cliente, 5) for _ in range(3)]
    newest = venta_at(tenant, cliente, 9)

    rows = historial(api, cliente, ajeno)["ventas"]

    expected = [newest.pk, *sorted((v.pk for v in tied), reverse=True), older.pk]
    assert [row["id"] for row in rows] == expected


def test_historial_includes_cancelled_sales_with_cancelada_en(api, tenant, cliente, ajeno):
    kept = venta_at(tenant, cliente, 1)
    cancelled = venta_at(tenant, cliente, 2)
    cancel_on_sale_day(venta=cancelled, por=None, motivo="Devolución")

    rows = {row["id"]: row for row in historial(api, cliente, ajeno)["ventas"]}

    assert set(rows) == {kept.pk, cancelled.pk}
    assert rows[kept.pk]["canceladaEn"] is None
    assert_iso_utc(rows[cancelled.pk]["canceladaEn"])


# -- resumen ---------------------------------------------------------------------------------


def test_total_comprado_sums_the_sales_that_are_not_cancelled(api, tenant, cliente, ajeno):
    venta_at(tenant, cliente, 1, total="100.10")
    venta_at(tenant, cliente, 2, total="200.20")
    cancelled = venta_at(tenant, cliente, 3, total="1000.00")
    cancel_on_sale_day(venta=cancelled, por=None, motivo="prueba")

    resumen = historial(api, cliente, ajeno)["resumen"]

    assert_is_number(resumen["totalComprado"])
    assert resumen["totalComprado"] == 300.3


def test_total_comprado_includes_sales_beyond_the_20_listed(api, tenant, cliente, ajeno):
    for i in range(22):
        venta_at(tenant, cliente, i, total="10.00")

    resumen = historial(api, cliente, ajeno)["resumen"]

    assert resumen["totalComprado"] == 220


def test_resumen_is_0_and_null_when_every_sale_is_cancelled(api, tenant, cliente, ajeno):
    for i in range(2):
        cancel_on_sale_day(venta=venta_at(tenant, cliente, i), por=None, motivo="prueba")

    resumen = historial(api, cliente, ajeno)["resumen"]

    assert_is_number(resumen["totalComprado"])
    assert resumen == {"totalComprado": 0, "ultimaCompra": None}


def test_ultima_compra_is_creado_en_of_the_newest_sale_not_cancelled(api, tenant, cliente, ajeno):
    venta_at(tenant, cliente, 1)
    latest_kept = venta_at(tenant, cliente, 5)
    cancel_on_sale_day(venta=venta_at(tenant, cliente, 9), por=None, motivo="prueba")

    body = historial(api, cliente, ajeno)

    ultima = body["resumen"]["ultimaCompra"]
    assert_iso_utc(ultima)
    assert parse_iso(ultima) == minutes(5)
    row = next(row for row in body["ventas"] if row["id"] == latest_kept.pk)
    assert ultima == row["creadoEn"]


def test_ultima_compra_keeps_sub_second_precision(api, tenant, cliente, ajeno):
    when = minutes(3) + timedelta(microseconds=123456)
    set_venta_creado_en(tenant, make_venta(tenant, cliente), when)

    ultima = historial(api, cliente, ajeno)["resumen"]["ultimaCompra"]

    assert parse_iso(ultima) == when
