"""GET /api/clientes/{id}/historial: recent sales, pending quotations, counts and summary."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from clientes.models import Cliente
from cotizaciones.services import cotizacion_cancel, cotizacion_convert
from tests.clientes.helpers import (
    CLIENTE_FIELDS,
    LIST_URL,
    assert_is_number,
    assert_iso_utc,
    cancel_on_sale_day,
    detail_url,
    historial_url,
    minutes,
    parse_iso,
    set_cotizacion_creado_en,
    set_venta_creado_en,
)
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.services import venta_cancel

pytestmark = pytest.mark.django_db

TOP_LEVEL_KEYS = CLIENTE_FIELDS | {"ventas", "cotizaciones", "_count", "resumen"}
VENTA_KEYS = {"id", "numero", "total", "notas", "creadoEn", "canceladaEn"}
COTIZACION_KEYS = {"id", "numero", "total", "notas", "estado", "validaHasta", "creadoEn"}
NO_ENCONTRADO = {"error": "Cliente no encontrado"}


@dataclass
class Ajeno:
    """Another tenant's customer with a full history; none of it may ever show up."""

    cliente_id: int
    venta_ids: set[int]
    cotizacion_ids: set[int]


@pytest.fixture
def ajeno(other_tenant) -> Ajeno:
    cliente = make_cliente(other_tenant, nombre="Ajeno", documento="1.020.345.678")
    ventas = [make_venta(other_tenant, cliente, total="999999.00") for _ in range(3)]
    venta_cancel(venta=ventas[0], por=None, motivo="prueba")
    cotizaciones = [make_cotizacion(other_tenant, cliente, total="888.00") for _ in range(3)]
    for i, venta in enumerate(ventas):
        set_venta_creado_en(other_tenant, venta, minutes(10_000 + i))
    for i, cotizacion in enumerate(cotizaciones):
        set_cotizacion_creado_en(other_tenant, cotizacion, minutes(10_000 + i))
    return Ajeno(
        cliente_id=cliente.pk,
        venta_ids={v.pk for v in ventas},
        cotizacion_ids={c.pk for c in cotizaciones},
    )


@pytest.fixture
def cliente(tenant):
    return make_cliente(
        tenant, nombre="José Álvarez", documento="1.020.345.678", email="jose@example.com"
    )


def historial(api, cliente, ajeno: Ajeno) -> dict:
    """The historial body, after checking that nothing of ``ajeno`` leaked into it."""
    response = api.get(historial_url(cliente.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert not {v["id"] for v in body["ventas"]} & ajeno.venta_ids
    assert not {c["id"] for c in body["cotizaciones"]} & ajeno.cotizacion_ids
    return body


def venta_at(tenant, cliente, minute: int, total="100.00"):
    venta = make_venta(tenant, cliente, total=total)
    set_venta_creado_en(tenant, venta, minutes(minute))
    return venta


def cotizacion_at(tenant, cliente, minute: int, total="100.00", **kwargs):
    cotizacion = make_cotizacion(tenant, cliente, total=total, **kwargs)
    set_cotizacion_creado_en(tenant, cotizacion, minutes(minute))
    return cotizacion


# -- shape -----------------------------------------------------------------------------------


def test_historial_has_exactly_the_documented_top_level_keys(api, tenant, cliente, ajeno):
    venta_at(tenant, cliente, 1)
    cotizacion_at(tenant, cliente, 1)

    body = historial(api, cliente, ajeno)

    assert set(body) == TOP_LEVEL_KEYS
    assert set(body["_count"]) == {"ventas", "cotizaciones"}
    assert set(body["resumen"]) == {"totalComprado", "ultimaCompra"}


def test_historial_customer_fields_equal_the_retrieve_body(api, tenant, cliente, ajeno):
    venta_at(tenant, cliente, 1)

    body = historial(api, cliente, ajeno)

    assert {k: body[k] for k in CLIENTE_FIELDS} == api.get(detail_url(cliente.pk)).json()


def test_historial_customer_fields_equal_retrieve_for_a_whole_second_creado_en(
    api, tenant, cliente, ajeno
):
    Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).update(creado_en=minutes(0))

    body = historial(api, cliente, ajeno)

    assert {k: body[k] for k in CLIENTE_FIELDS} == api.get(detail_url(cliente.pk)).json()


def test_historial_of_a_customer_without_history(api, cliente, ajeno):
    body = historial(api, cliente, ajeno)

    assert body["ventas"] == []
    assert body["cotizaciones"] == []
    assert body["_count"] == {"ventas": 0, "cotizaciones": 0}
    assert body["resumen"] == {"totalComprado": 0, "ultimaCompra": None}


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


def test_historial_shows_only_this_customers_sales(api, tenant, cliente, ajeno):
    own = venta_at(tenant, cliente, 1)
    vecino = make_cliente(tenant, nombre="Vecino")
    venta_at(tenant, vecino, 2)
    venta_at(tenant, None, 3)

    body = historial(api, cliente, ajeno)

    assert [row["id"] for row in body["ventas"]] == [own.pk]
    assert body["_count"]["ventas"] == 1
    assert body["resumen"]["totalComprado"] == 100


# -- cotizaciones ----------------------------------------------------------------------------


def test_historial_quotation_rows_have_exactly_the_documented_fields(api, tenant, cliente, ajeno):
    valida = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    cotizacion = cotizacion_at(
        tenant, cliente, 1, total="99000.50", notas="Incluye envío", valida_hasta=valida
    )

    (row,) = historial(api, cliente, ajeno)["cotizaciones"]

    assert set(row) == COTIZACION_KEYS
    assert row["id"] == cotizacion.pk
    assert row["total"] == 99000.5
    assert_is_number(row["total"])
    assert row["notas"] == "Incluye envío"
    assert row["estado"] == "PENDIENTE"
    assert_iso_utc(row["validaHasta"])
    assert parse_iso(row["validaHasta"]) == valida
    assert_iso_utc(row["creadoEn"])


def test_historial_quotation_without_dias_validez_is_valid_a_week(api, tenant, cliente, ajeno):
    cotizacion = cotizacion_at(tenant, cliente, 1)

    (row,) = historial(api, cliente, ajeno)["cotizaciones"]

    assert parse_iso(row["validaHasta"]) == cotizacion.valida_hasta


def test_historial_lists_only_pending_quotations(api, tenant, cliente, ajeno):
    pendiente = cotizacion_at(tenant, cliente, 1)
    cancelada = cotizacion_at(tenant, cliente, 2)
    convertida = cotizacion_at(tenant, cliente, 3)
    cotizacion_cancel(cotizacion=cancelada, por=None, motivo="No la quiso")
    cotizacion_convert(cotizacion=convertida)

    rows = historial(api, cliente, ajeno)["cotizaciones"]

    assert [row["id"] for row in rows] == [pendiente.pk]
    assert rows[0]["estado"] == "PENDIENTE"


def test_historial_lists_at_most_10_pending_quotations_newest_first(api, tenant, cliente, ajeno):
    # creadoEn order deliberately differs from id order.
    cotizaciones = {(i * 5) % 12: cotizacion_at(tenant, cliente, (i * 5) % 12) for i in range(12)}
    newest_first = [cotizaciones[m].pk for m in sorted(cotizaciones, reverse=True)]

    rows = historial(api, cliente, ajeno)["cotizaciones"]

    assert [row["id"] for row in rows] == newest_first[:10]


def test_historial_shows_only_this_customers_quotations(api, tenant, cliente, ajeno):
    own = cotizacion_at(tenant, cliente, 1)
    vecino = make_cliente(tenant, nombre="Vecino")
    cotizacion_at(tenant, vecino, 2)
    cotizacion_at(tenant, None, 3)

    body = historial(api, cliente, ajeno)

    assert [row["id"] for row in body["cotizaciones"]] == [own.pk]
    assert body["_count"]["cotizaciones"] == 1


# -- _count ----------------------------------------------------------------------------------


def test_count_ventas_counts_every_sale_including_cancelled_and_unlisted(
    api, tenant, cliente, ajeno
):
    ventas = [venta_at(tenant, cliente, i) for i in range(23)]
    for venta in ventas[:2]:
        cancel_on_sale_day(venta=venta, por=None, motivo="prueba")

    body = historial(api, cliente, ajeno)

    assert len(body["ventas"]) == 20
    assert body["_count"]["ventas"] == 23


def test_count_cotizaciones_counts_every_quotation_whatever_its_state(api, tenant, cliente, ajeno):
    for i in range(12):
        cotizacion_at(tenant, cliente, i)
    cotizacion_cancel(cotizacion=cotizacion_at(tenant, cliente, 20), por=None, motivo="prueba")
    cotizacion_convert(cotizacion=cotizacion_at(tenant, cliente, 21))

    body = historial(api, cliente, ajeno)

    assert len(body["cotizaciones"]) == 10
    assert body["_count"] == {"ventas": 1, "cotizaciones": 14}


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


# -- 404 -------------------------------------------------------------------------------------


def test_historial_of_another_tenants_customer_is_404(api, ajeno):
    response = api.get(historial_url(ajeno.cliente_id))

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO


@pytest.mark.parametrize("raw_id", ["abc", "0", "-1", "99999999999999999999"])
def test_historial_with_an_invalid_or_out_of_range_id_is_404(api, cliente, raw_id):
    response = api.get(f"{LIST_URL}/{raw_id}/historial")

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO


# -- cost ------------------------------------------------------------------------------------


def test_historial_query_count_does_not_grow_with_the_history(
    api, tenant, cliente, ajeno, django_assert_max_num_queries, django_assert_num_queries
):
    venta_at(tenant, cliente, 1)
    grande = make_cliente(tenant, nombre="Cliente frecuente")
    for i in range(30):
        venta = venta_at(tenant, grande, i)
        if i % 3 == 0:
            cancel_on_sale_day(venta=venta, por=None, motivo="prueba")
    for i in range(15):
        cotizacion = cotizacion_at(tenant, grande, i)
        if i % 5 == 0:
            cotizacion_cancel(cotizacion=cotizacion, por=None, motivo="prueba")

    # Four reads and the rate-limit counter (tenants.api.ratelimit without Redis).
    with django_assert_max_num_queries(5) as small:
        assert len(historial(api, cliente, ajeno)["ventas"]) == 1
    with django_assert_num_queries(len(small.captured_queries)):
        body = historial(api, grande, ajeno)

    assert len(body["ventas"]) == 20
    assert len(body["cotizaciones"]) == 10
    assert body["_count"] == {"ventas": 30, "cotizaciones": 15}
