"""POST /api/cotizaciones: what only quotations have, their validity (``diasValidez``,
``validaHasta``) and a numbering of their own. What every document's create does is in the
document battery (``tests/comercial``); a date alone as ``validaHasta``:
``test_validity_day.py``."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.comercial.helpers import (
    assert_iso_utc,
    assert_validation_error,
    created,
    frozen_now,
    iso,
    parse_iso,
    written,
)
from tests.cotizaciones.helpers import created_at, nothing_stored, post_cotizacion, stored
from tests.factories import make_venta

pytestmark = pytest.mark.django_db


# -- validity ----------------------------------------------------------------------------------


def test_valida_hasta_is_answered_as_iso_utc_with_z(api):
    assert_iso_utc(created(post_cotizacion(api))["validaHasta"])


def test_without_dias_validez_or_valida_hasta_it_is_valid_7_days(api, tenant):
    now = frozen_now()

    body = created_at(now, api)

    assert parse_iso(body["validaHasta"]) == now + timedelta(days=7)
    assert stored(tenant, body["id"]).valida_hasta == now + timedelta(days=7)


@pytest.mark.parametrize("dias", [1, 30, 365])
def test_dias_validez_from_1_to_365_sets_valida_hasta_that_many_days_ahead(api, tenant, dias):
    now = frozen_now()

    body = created_at(now, api, diasValidez=dias)

    assert parse_iso(body["validaHasta"]) == now + timedelta(days=dias)
    assert stored(tenant, body["id"]).valida_hasta == now + timedelta(days=dias)


@pytest.mark.parametrize("dias", [0, -1, 366, 7.5, "7", True, [7]])
def test_dias_validez_that_is_not_a_whole_number_from_1_to_365_is_400(api, tenant, dias):
    response = post_cotizacion(api, diasValidez=dias)

    assert_validation_error(response, "diasValidez")
    assert nothing_stored(tenant)


@pytest.mark.parametrize(
    "ahead",
    [timedelta(seconds=1), timedelta(days=10), timedelta(days=365)],
    ids=["one-second", "ten-days", "365-days"],
)
def test_valida_hasta_after_now_and_at_most_365_days_ahead_is_stored(api, tenant, ahead):
    now = frozen_now()

    body = created_at(now, api, validaHasta=iso(now + ahead))

    assert parse_iso(body["validaHasta"]) == now + ahead
    assert stored(tenant, body["id"]).valida_hasta == now + ahead


def test_valida_hasta_with_an_offset_is_answered_in_utc(api):
    now = frozen_now()
    bogota = (now + timedelta(days=2)).astimezone(ZoneInfo("America/Bogota"))

    body = created_at(now, api, validaHasta=bogota.isoformat())

    assert body["validaHasta"].endswith("Z")
    assert parse_iso(body["validaHasta"]) == now + timedelta(days=2)


@pytest.mark.parametrize(
    "offset",
    [timedelta(0), -timedelta(seconds=1), -timedelta(days=3), timedelta(days=365, seconds=1)],
    ids=["now", "one-second-ago", "past", "365-days-and-a-second"],
)
def test_valida_hasta_not_after_now_or_beyond_365_days_is_400(api, tenant, offset):
    now = frozen_now()

    with time_machine.travel(now, tick=False):
        response = post_cotizacion(api, validaHasta=iso(now + offset))

    assert_validation_error(response, "validaHasta")
    assert nothing_stored(tenant)


@pytest.mark.parametrize("value", ["mañana", "2030-13-01T00:00:00Z", 12345, True])
def test_valida_hasta_that_is_not_a_time_is_400(api, tenant, value):
    response = post_cotizacion(api, validaHasta=value)

    assert_validation_error(response, "validaHasta")
    assert nothing_stored(tenant)


def test_dias_validez_and_valida_hasta_together_are_400(api, tenant):
    in_a_week = datetime.now(UTC) + timedelta(days=7)

    response = post_cotizacion(api, diasValidez=7, validaHasta=iso(in_a_week))

    assert response.status_code == 400, response.content
    assert set(response.json()["detalles"]) & {"diasValidez", "validaHasta"}
    assert nothing_stored(tenant)


# -- numero ------------------------------------------------------------------------------------


def test_numero_is_independent_of_the_sales_numbering(api, tenant, user):
    make_venta(tenant, vendedor=user)
    make_venta(tenant, vendedor=user)

    assert created(post_cotizacion(api))["numero"] == 1


def test_a_refused_validity_writes_nothing_and_leaves_no_gap_in_numero(api):
    before = written()

    assert post_cotizacion(api, diasValidez=0).status_code == 400

    assert written() == before
    assert created(post_cotizacion(api))["numero"] == 1
