"""POST /api/cotizaciones/{id}/convertir: what it refuses (409, 404) and writes then (nothing),
and what it costs in SQL. The sale it makes: ``test_convert.py``."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.comercial.helpers import frozen_now, written
from tests.cotizaciones import helpers as quotations
from tests.factories import make_user, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db

# -- refusals ------------------------------------------------------------------------------------


def refusal(client, pk) -> tuple[int, dict]:
    """The status and body of converting ``pk``, once nothing was written by it."""
    before = written()
    response = quotations.convert(client, pk)
    assert written() == before
    return response.status_code, response.json()


def test_converting_twice_is_409_and_makes_one_sale(api, tenant, cotizacion):
    quotations.converted(quotations.convert(api, cotizacion["id"]))

    assert refusal(api, cotizacion["id"]) == (409, quotations.YA_CONVERTIDA)
    assert Venta.objects.for_tenant(tenant).count() == 1


def test_converting_a_cancelled_quotation_is_409_and_writes_nothing(admin_api, user, tenant):
    cancelada = quotations.make_cancelada(tenant, user)

    assert refusal(admin_api, cancelada.pk) == (409, quotations.ESTA_CANCELADA)


def test_a_quotation_valid_until_exactly_now_is_vencida_and_409(api, tenant, cotizacion):
    now = frozen_now()
    quotations.set_valida_hasta(tenant, quotations.stored(tenant, cotizacion["id"]), now)

    with time_machine.travel(now, tick=False):
        assert refusal(api, cotizacion["id"]) == (409, quotations.VENCIDA)


def test_a_quotation_valid_one_microsecond_past_now_converts(api, tenant, cotizacion):
    now = frozen_now()
    quotations.set_valida_hasta(
        tenant, quotations.stored(tenant, cotizacion["id"]), now + timedelta(microseconds=1)
    )

    with time_machine.travel(now, tick=False):
        response = quotations.convert(api, cotizacion["id"])

    assert quotations.converted(response)[1]["estado"] == "CONVERTIDA"


def test_a_long_expired_quotation_is_409_and_leaves_no_gap_in_the_sales(api, tenant, user):
    cotizacion = quotations.make(tenant, user)
    quotations.set_valida_hasta(tenant, cotizacion, frozen_now() - timedelta(days=30))

    assert refusal(api, cotizacion.pk) == (409, quotations.VENCIDA)
    assert quotations.stored(tenant, cotizacion.pk).estado == "PENDIENTE"
    assert make_venta(tenant, vendedor=user).numero == 1


def test_a_converted_quotation_is_never_vencida_nor_convertible_again(api, user, tenant):
    cotizacion = quotations.make_convertida(tenant, user)
    quotations.set_valida_hasta(tenant, cotizacion, frozen_now() - timedelta(days=30))

    assert refusal(api, cotizacion.pk) == (409, quotations.YA_CONVERTIDA)
    assert api.get(quotations.detail_url(cotizacion.pk)).json()["vencida"] is False


def test_another_usuarios_quotation_is_404_and_writes_nothing(api, tenant, admin_user):
    for vendedor in (make_user(tenant), admin_user):
        ajena = quotations.make(tenant, vendedor)

        assert refusal(api, ajena.pk) == (404, quotations.NO_ENCONTRADA)


def test_another_tenants_quotation_is_404_and_writes_nothing(admin_api, other_tenant, other_user):
    ajena = quotations.make(other_tenant, other_user)

    assert refusal(admin_api, ajena.pk) == (404, quotations.NO_ENCONTRADA)


def test_converting_makes_as_many_queries_for_30_items_as_for_1(
    api, tenant, user, django_assert_num_queries
):
    small, large = quotations.make(tenant, user), quotations.make(tenant, user, precios=["1"] * 30)
    with CaptureQueriesContext(connection) as one_item:
        quotations.converted(quotations.convert(api, small.pk))

    with django_assert_num_queries(len(one_item)):
        assert len(quotations.converted(quotations.convert(api, large.pk))[0]["items"]) == 30


def test_converting_reads_the_quotation_s_items_by_tenant_and_quotation(api, cotizacion):
    # The items' index leads with tenant_id (composite key): by quotation alone it is scanned.
    with CaptureQueriesContext(connection) as queries:
        assert api.post(quotations.convert_url(cotizacion["id"])).status_code == 201

    items = 'FROM "cotizaciones_cotizacionitem"'
    reads = [q["sql"] for q in queries.captured_queries if items in q["sql"]]
    assert reads and all('"tenant_id" = ' in sql for sql in reads), reads


def test_converting_answers_without_reading_the_quotation_again(api, cotizacion):
    # Found (get_object), then locked; the answer is built from what the service holds.
    with CaptureQueriesContext(connection) as queries:
        assert api.post(quotations.convert_url(cotizacion["id"])).status_code == 201

    # The feed's event reads the quotation once more, as its detail shows it, built by
    # PostgreSQL in one statement with its items and events aggregated
    # (comercial.services.publish_event): not the answer's.
    sqls = [q["sql"] for q in queries.captured_queries if "JSONB_AGG" not in q["sql"]]
    quotation = 'FROM "cotizaciones_cotizacion" '
    items = 'FROM "cotizaciones_cotizacionitem"'
    assert sum(quotation in sql for sql in sqls) == 2, sqls
    assert sum(items in sql for sql in sqls) == 1, sqls
