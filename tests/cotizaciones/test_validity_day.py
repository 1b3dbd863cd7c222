"""POST /api/cotizaciones with ``validaHasta`` as a date alone: the quotation is valid through
the end of that day where the shop is (its time zone), not until UTC midnight, which in Bogota
is the evening of the day before."""

from datetime import datetime, time, timedelta

import pytest
import time_machine

from tests.clients import token_client
from tests.comercial.helpers import assert_validation_error, frozen_now, parse_iso
from tests.cotizaciones.helpers import created_at, nothing_stored, post_cotizacion, stored
from tests.factories import make_tenant, make_user

pytestmark = pytest.mark.django_db


def test_a_date_alone_is_valid_through_the_end_of_that_day_in_the_tenants_zone(api, tenant):
    now = frozen_now()
    day = (now.astimezone(tenant.tz) + timedelta(days=3)).date()

    body = created_at(now, api, validaHasta=day.isoformat())

    end_of_day = datetime.combine(day, time.max, tzinfo=tenant.tz)
    assert parse_iso(body["validaHasta"]) == end_of_day
    assert stored(tenant, body["id"]).valida_hasta == end_of_day
    # Bogota is UTC-5 all year: the day ends at 04:59:59.999999Z of the next one.
    assert body["validaHasta"] == f"{day + timedelta(days=1)}T04:59:59.999999Z"


def test_the_same_date_ends_at_each_tenants_own_midnight(api):
    madrid = make_tenant(zona_horaria="Europe/Madrid")
    now = frozen_now()
    day = (now + timedelta(days=10)).date()

    bogota_end = created_at(now, api, validaHasta=day.isoformat())["validaHasta"]
    madrid_end = created_at(now, token_client(make_user(madrid)), validaHasta=day.isoformat())[
        "validaHasta"
    ]

    assert parse_iso(madrid_end) == datetime.combine(day, time.max, tzinfo=madrid.tz)
    assert parse_iso(bogota_end) != parse_iso(madrid_end)


@pytest.mark.parametrize("value", ["2027-02-30", "2027-13-01", "27-01-01"])
def test_an_impossible_date_is_400(api, tenant, value):
    response = post_cotizacion(api, validaHasta=value)

    assert_validation_error(response, "validaHasta")
    assert nothing_stored(tenant)


def test_a_day_already_over_in_the_tenants_zone_is_400(api, tenant):
    now = frozen_now()
    yesterday = now.astimezone(tenant.tz).date() - timedelta(days=1)

    with time_machine.travel(now, tick=False):
        response = post_cotizacion(api, validaHasta=yesterday.isoformat())

    assert_validation_error(response, "validaHasta")
    assert nothing_stored(tenant)
