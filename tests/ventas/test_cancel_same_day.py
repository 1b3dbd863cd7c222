"""A sale is cancelled only on the calendar day it was made, in the tenant's time zone.

The database stamps ``creado_en`` with its own clock, so each test creates the sale, moves
its ``creado_en`` to a chosen instant, and then freezes Python's clock to cancel.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import make_venta
from tests.ventas.helpers import OTRO_DIA, cancel_url, set_creado_en, set_zone, stored_state

pytestmark = pytest.mark.django_db

US = timedelta(microseconds=1)
# America/Bogota is UTC-5 all year: 1 March 2026 there runs from 05:00Z to 05:00Z on 2 March.
BOGOTA_1_MARZO = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
BOGOTA_2_MARZO = BOGOTA_1_MARZO + timedelta(days=1)


def cancel_at(client, tenant, made: datetime, now: datetime):
    """Cancel, as ``client`` at ``now``, a sale of ``tenant`` made at ``made``."""
    venta = make_venta(tenant)
    set_creado_en(tenant, venta.pk, made)
    with time_machine.travel(now, tick=False):
        response = client.post(cancel_url(venta.pk), {"motivo": "Error"}, format="json")
    return venta, response


def test_a_sale_of_2359_cancelled_at_235959_local_time_is_200(admin_api, tenant):
    set_zone(tenant, "America/Bogota")
    made = BOGOTA_2_MARZO - timedelta(minutes=1)  # 1 March, 23:59 in Bogotá

    _, response = cancel_at(admin_api, tenant, made, BOGOTA_2_MARZO - timedelta(seconds=1))

    assert response.status_code == 200, response.content
    assert response.json()["canceladaEn"] == "2026-03-02T04:59:59Z"
    assert response.json()["eventos"][-1]["en"] == "2026-03-02T04:59:59Z"


def test_a_sale_of_2359_cancelled_at_0000_of_the_next_local_day_is_409(admin_api, tenant):
    set_zone(tenant, "America/Bogota")
    made = BOGOTA_2_MARZO - timedelta(minutes=1)

    venta, response = cancel_at(admin_api, tenant, made, BOGOTA_2_MARZO)

    assert response.status_code == 409
    assert response.json() == OTRO_DIA
    assert stored_state(tenant, venta.pk)["cancelada_en"] is None
    assert stored_state(tenant, venta.pk)["eventos"] == ["CREADA"]


def test_the_first_and_last_instants_of_a_local_day_are_the_same_day(admin_api, tenant):
    set_zone(tenant, "America/Bogota")

    _, response = cancel_at(admin_api, tenant, BOGOTA_1_MARZO, BOGOTA_2_MARZO - US)

    assert response.status_code == 200, response.content


def test_a_sale_of_a_previous_day_is_409_whatever_the_hour(admin_api, tenant):
    set_zone(tenant, "America/Bogota")
    made = BOGOTA_1_MARZO + timedelta(hours=12)

    _, response = cancel_at(admin_api, tenant, made, made + timedelta(days=3))

    assert response.status_code == 409
    assert response.json() == OTRO_DIA


def test_a_failed_same_day_check_changes_nothing(admin_api, tenant):
    venta = make_venta(tenant)
    set_creado_en(tenant, venta.pk, BOGOTA_1_MARZO)
    before = stored_state(tenant, venta.pk)

    with time_machine.travel(BOGOTA_2_MARZO + timedelta(hours=1), tick=False):
        response = admin_api.post(cancel_url(venta.pk), {"motivo": "Tarde"}, format="json")

    assert response.status_code == 409
    assert stored_state(tenant, venta.pk) == before


# -- the tenant's zone decides ---------------------------------------------------------------

# 04:59Z and 05:00Z on 2 March: one UTC day, but 23:59 on 1 March and 00:00 on 2 March in Bogotá.
SPLIT_IN_BOGOTA = (BOGOTA_2_MARZO - timedelta(minutes=1), BOGOTA_2_MARZO)
# 23:59Z on 1 March and 00:00Z on 2 March: two UTC days, but 18:59 and 19:00 of 1 March in Bogotá.
SPLIT_IN_UTC = (datetime(2026, 3, 1, 23, 59, tzinfo=UTC), datetime(2026, 3, 2, 0, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("zona", "instants", "status"),
    [
        ("UTC", SPLIT_IN_BOGOTA, 200),
        ("America/Bogota", SPLIT_IN_BOGOTA, 409),
        ("UTC", SPLIT_IN_UTC, 409),
        ("America/Bogota", SPLIT_IN_UTC, 200),
    ],
)
def test_the_same_instants_give_the_answer_of_the_tenants_zone(
    admin_api, tenant, zona, instants, status
):
    set_zone(tenant, zona)
    made, now = instants

    _, response = cancel_at(admin_api, tenant, made, now)

    assert response.status_code == status, response.content


def test_the_default_zone_of_a_tenant_is_bogota(admin_api, tenant):
    made, now = SPLIT_IN_UTC

    _, response = cancel_at(admin_api, tenant, made, now)

    assert tenant.zona_horaria == "America/Bogota"
    assert response.status_code == 200, response.content
