"""GET /api/clientes/{id}/historial: the pending quotations."""

from datetime import UTC, datetime, timedelta

import pytest

from cotizaciones.services import cotizacion_cancel, cotizacion_convert
from tests.clientes.helpers import (
    assert_is_number,
    assert_iso_utc,
    cotizacion_at,
    historial,
    parse_iso,
)

pytestmark = pytest.mark.django_db

COTIZACION_KEYS = {"id", "numero", "total", "notas", "estado", "validaHasta", "creadoEn"}


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
