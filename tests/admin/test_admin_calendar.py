"""The admin shows every page in its empresa's calendar, the one its rules use: a Bogota sale
made at 22:00 reads 22:00, falls under "Hoy" that evening and not the next morning, and the
cancel action (same day in the empresa's zone) agrees with what the page shows. A platform
superuser sees a row's page in its empresa's zone, a changelist filtered by one empresa in that
zone, and UTC otherwise."""

import html
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.admin.helpers import VENTAS, change_url
from tests.clients import token_client
from tests.factories import make_cliente, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")
MADE = datetime(2026, 3, 10, 22, 0, tzinfo=BOGOTA)  # 2026-03-11 03:00 UTC
SAME_EVENING = datetime(2026, 3, 10, 23, 0, tzinfo=BOGOTA)  # already the 11th in UTC
NEXT_MORNING = datetime(2026, 3, 11, 8, 0, tzinfo=BOGOTA)


@pytest.fixture
def venta(tenant):
    venta = make_venta(tenant, make_cliente(tenant))
    Venta.objects.for_tenant(tenant).filter(pk=venta.pk).update(creado_en=MADE)
    return venta


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def listed_today(client, query: str = "") -> set[int]:
    """The sales under the changelist's own "Hoy" link of ``creado_en``."""
    page = client.get(VENTAS + query)
    changelist = page.context["cl"]
    spec = next(s for s in changelist.filter_specs if getattr(s, "field_path", "") == "creado_en")
    hoy = next(c for c in spec.choices(changelist) if c["display"] == "Hoy")
    today = client.get(VENTAS + hoy["query_string"])
    return {row.pk for row in today.context["cl"].result_list}


def test_a_sale_shows_its_time_in_the_empresas_zone(staff, venta):
    page = text(staff.get(VENTAS))

    assert "22:00" in page
    assert "03:00" not in page


def test_hoy_is_the_empresas_day_that_evening(staff, venta):
    with time_machine.travel(SAME_EVENING, tick=False):
        assert listed_today(staff) == {venta.pk}


def test_hoy_is_the_empresas_day_the_next_morning(staff, venta):
    with time_machine.travel(NEXT_MORNING, tick=False):  # in UTC still the sale's day
        assert listed_today(staff) == set()


def test_the_cancel_action_agrees_with_hoy(staff, venta):
    with time_machine.travel(SAME_EVENING, tick=False):
        assert listed_today(staff) == {venta.pk}
        staff.post(
            VENTAS,
            {"action": "cancelar", "_selected_action": [venta.pk], "post": "yes", "motivo": "x"},
        )

    venta.refresh_from_db()
    assert venta.cancelada


def test_the_date_hierarchy_and_times_follow_the_zone_on_the_change_page(staff, venta):
    page = text(staff.get(change_url(VENTAS, venta.pk)))

    assert "22:00" in page
    assert "03:00" not in page


def test_a_superuser_sees_a_rows_page_in_its_empresas_zone(root, venta):
    page = text(root.get(change_url(VENTAS, venta.pk)))

    assert "22:00" in page
    assert "03:00" not in page


def test_a_superuser_sees_a_changelist_of_one_empresa_in_its_zone(root, venta):
    filtered = text(root.get(VENTAS, {"tenant__id__exact": venta.tenant_id}))
    everyone = text(root.get(VENTAS))

    assert "22:00" in filtered and "03:00" not in filtered
    assert "03:00" in everyone and "22:00" not in everyone  # every shop's rows: UTC


def test_the_api_keeps_answering_in_utc_after_an_admin_page(staff, tenant_admin, venta):
    staff.get(VENTAS)

    detail = token_client(tenant_admin).get(f"/api/ventas/{venta.pk}").json()

    assert detail["creadoEn"] == "2026-03-11T03:00:00Z"
