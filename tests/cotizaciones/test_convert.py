"""POST /api/cotizaciones/{id}/convertir: the sale it makes, the quotation it closes, refusals."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import User
from tests.conftest import token_client
from tests.cotizaciones.helpers import (
    COTIZACION_FIELDS,
    ITEMS,
    NO_ENCONTRADA,
    VENTA_FIELDS,
    VENTAS_URL,
    assert_iso_utc,
    convert_url,
    detail_url,
    event_types,
    frozen_now,
    ids,
    make,
    make_cancelada,
    make_convertida,
    post_cotizacion,
    ref,
    set_valida_hasta,
    stored,
    venta_url,
    written,
)
from tests.factories import make_cliente, make_user, make_venta

pytestmark = pytest.mark.django_db

YA_CONVERTIDA = {"error": "La cotización ya está convertida"}
CANCELADA = {"error": "La cotización está cancelada"}
VENCIDA = {"error": "La cotización está vencida. Cancélala y crea una nueva."}
LINE_KEYS = ("descripcion", "cantidad", "precioUnitario", "subtotal")


@pytest.fixture
def admin(tenant):
    return make_user(tenant, rol=User.Rol.ADMIN)


@pytest.fixture
def admin_api(admin):
    return token_client(admin)


@pytest.fixture
def cotizacion(api, tenant, other_api):
    """A PENDIENTE quotation of ``user`` with a customer, created over HTTP; ``numero`` 1,
    and its id is not 1 (another tenant's quotations come first)."""
    for _ in range(2):
        post_cotizacion(other_api)
    cliente = make_cliente(tenant, nombre="José Álvarez")
    response = post_cotizacion(api, clienteId=cliente.pk, notas=None)
    assert response.status_code == 201, response.content
    return response.json()


def convert(client, pk, **kwargs):
    return client.post(convert_url(pk), **kwargs)


def converted(response) -> tuple[dict, dict]:
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"venta", "cotizacion"}
    return body["venta"], body["cotizacion"]


# -- 201: the answer -------------------------------------------------------------------------


def test_convert_answers_201_with_the_venta_and_the_cotizacion(api, cotizacion):
    venta, closed = converted(convert(api, cotizacion["id"]))

    assert set(venta) == VENTA_FIELDS
    assert set(closed) == COTIZACION_FIELDS
    assert closed["id"] == cotizacion["id"]


def test_convert_answers_the_location_of_the_sale(api, cotizacion):
    response = convert(api, cotizacion["id"])

    assert response["Location"] == venta_url(response.json()["venta"]["id"])


# -- the sale ------------------------------------------------------------------------------------


def test_the_sale_has_the_quotations_customer_items_and_total(api, cotizacion):
    venta, _ = converted(convert(api, cotizacion["id"]))

    assert venta["cliente"] == cotizacion["cliente"]
    lines = [[item[k] for k in LINE_KEYS] for item in venta["items"]]
    assert lines == [[item[k] for k in LINE_KEYS] for item in cotizacion["items"]]
    assert [item["descripcion"] for item in venta["items"]] == [i["descripcion"] for i in ITEMS]
    assert venta["total"] == cotizacion["total"]


def test_a_walk_in_quotation_becomes_a_walk_in_sale(api, tenant, user):
    venta, _ = converted(convert(api, make(tenant, user).pk))

    assert venta["cliente"] is None


def test_the_sale_points_back_to_the_quotation(api, cotizacion):
    venta, _ = converted(convert(api, cotizacion["id"]))

    assert venta["cotizacionId"] == cotizacion["id"]
    assert (venta["canceladaEn"], venta["canceladaPor"], venta["motivoCancelacion"]) == (None,) * 3


def test_the_seller_of_the_sale_is_the_quotations_even_when_an_admin_converts(
    admin_api, user, cotizacion
):
    venta, _ = converted(convert(admin_api, cotizacion["id"]))

    assert venta["vendedor"] == ref(user)


def test_the_sales_notas_name_the_quotations_numero(api, cotizacion):
    venta, _ = converted(convert(api, cotizacion["id"]))

    assert venta["notas"] == f"Venta convertida desde cotización #{cotizacion['numero']}"


def test_the_sales_notas_append_the_quotations_notas(api, cotizacion):
    body = post_cotizacion(api, notas="Entrega el lunes").json()

    venta, _ = converted(convert(api, body["id"]))

    assert body["numero"] == 2
    assert venta["notas"] == "Venta convertida desde cotización #2 — Entrega el lunes"


def test_the_sale_has_one_creada_event_by_who_converted(admin_api, admin, cotizacion):
    venta, _ = converted(convert(admin_api, cotizacion["id"]))

    [evento] = venta["eventos"]
    assert (evento["tipo"], evento["usuario"], evento["motivo"]) == ("CREADA", ref(admin), None)
    assert evento["en"] == venta["creadoEn"]


def test_the_sale_reads_back_identically_and_is_listed(api, admin_api, cotizacion):
    venta, _ = converted(convert(admin_api, cotizacion["id"]))

    assert api.get(venta_url(venta["id"])).json() == venta
    assert ids(api.get(VENTAS_URL)) == [venta["id"]]
    assert api.get(VENTAS_URL).json()[0]["cotizacionId"] == cotizacion["id"]


def test_the_sales_numero_follows_the_tenants_sales(api, tenant, user, cotizacion):
    make_venta(tenant, vendedor=user)
    make_venta(tenant, vendedor=user)

    venta, _ = converted(convert(api, cotizacion["id"]))

    assert venta["numero"] == 3
    assert post_cotizacion(api).json()["numero"] == 2


# -- the quotation ---------------------------------------------------------------------------


def test_the_quotation_becomes_convertida_with_venta_id_and_convertida_en(api, tenant, cotizacion):
    venta, closed = converted(convert(api, cotizacion["id"]))

    assert (closed["estado"], closed["vencida"]) == ("CONVERTIDA", False)
    assert closed["ventaId"] == venta["id"]
    assert_iso_utc(closed["convertidaEn"])
    assert stored(tenant, cotizacion["id"]).venta_id == venta["id"]
    assert api.get(detail_url(cotizacion["id"])).json() == closed


def test_the_quotation_records_a_convertida_event_by_who_converted(admin_api, admin, cotizacion):
    _, closed = converted(convert(admin_api, cotizacion["id"]))

    assert event_types(closed) == ["CREADA", "CONVERTIDA"]
    convertida = closed["eventos"][1]
    assert (convertida["usuario"], convertida["motivo"]) == (ref(admin), None)
    assert convertida["en"] == closed["convertidaEn"]


def test_a_body_sent_anyway_is_ignored(api, tenant, other_tenant, cotizacion):
    otro = make_cliente(tenant, nombre="Otro")
    ignored = {"clienteId": otro.pk, "items": [ITEMS[1]], "notas": "x", "total": 1, "estado": "X"}

    venta, closed = converted(convert(api, cotizacion["id"], data=ignored, format="json"))

    assert venta["cliente"] == cotizacion["cliente"]
    assert venta["total"] == cotizacion["total"] and len(venta["items"]) == 2
    assert venta["notas"] == "Venta convertida desde cotización #1"
    assert closed["estado"] == "CONVERTIDA"


# -- refusals ------------------------------------------------------------------------------------


def test_converting_twice_is_409_and_makes_one_sale(api, tenant, cotizacion):
    converted(convert(api, cotizacion["id"]))
    before = written(tenant)

    response = convert(api, cotizacion["id"])

    assert (response.status_code, response.json()) == (409, YA_CONVERTIDA)
    assert written(tenant) == before and before["ventas"] == 1


def test_converting_a_cancelled_quotation_is_409_and_writes_nothing(admin_api, user, tenant):
    cotizacion = make_cancelada(tenant, user)
    before = written(tenant)

    response = convert(admin_api, cotizacion.pk)

    assert (response.status_code, response.json()) == (409, CANCELADA)
    assert written(tenant) == before


def test_a_quotation_valid_until_exactly_now_is_vencida_and_409(api, tenant, cotizacion):
    now = frozen_now()
    set_valida_hasta(tenant, stored(tenant, cotizacion["id"]), now)
    before = written(tenant)

    with time_machine.travel(now, tick=False):
        response = convert(api, cotizacion["id"])

    assert (response.status_code, response.json()) == (409, VENCIDA)
    assert written(tenant) == before


def test_a_quotation_valid_one_microsecond_past_now_converts(api, tenant, cotizacion):
    now = frozen_now()
    set_valida_hasta(tenant, stored(tenant, cotizacion["id"]), now + timedelta(microseconds=1))

    with time_machine.travel(now, tick=False):
        response = convert(api, cotizacion["id"])

    assert converted(response)[1]["estado"] == "CONVERTIDA"


def test_a_long_expired_quotation_is_409_and_leaves_no_gap_in_the_sales(api, tenant, user):
    cotizacion = make(tenant, user)
    set_valida_hasta(tenant, cotizacion, frozen_now() - timedelta(days=30))

    response = convert(api, cotizacion.pk)

    assert (response.status_code, response.json()) == (409, VENCIDA)
    assert stored(tenant, cotizacion.pk).estado == "PENDIENTE"
    assert make_venta(tenant, vendedor=user).numero == 1


def test_a_converted_quotation_is_never_vencida_nor_convertible_again(api, user, tenant):
    cotizacion = make_convertida(tenant, user)
    set_valida_hasta(tenant, cotizacion, frozen_now() - timedelta(days=30))

    response = convert(api, cotizacion.pk)

    assert (response.status_code, response.json()) == (409, YA_CONVERTIDA)
    assert api.get(detail_url(cotizacion.pk)).json()["vencida"] is False


def test_another_usuarios_quotation_is_404_and_writes_nothing(api, tenant, admin):
    for vendedor in (make_user(tenant), admin):
        cotizacion = make(tenant, vendedor)
        before = written(tenant)

        response = convert(api, cotizacion.pk)

        assert (response.status_code, response.json()) == (404, NO_ENCONTRADA)
        assert written(tenant) == before


def test_another_tenants_quotation_is_404_and_writes_nothing(admin_api, other_tenant, other_user):
    ajena = make(other_tenant, other_user)
    before = written(other_tenant)

    response = convert(admin_api, ajena.pk)

    assert (response.status_code, response.json()) == (404, NO_ENCONTRADA)
    assert written(other_tenant) == before


def test_converting_makes_as_many_queries_for_30_items_as_for_1(
    api, tenant, user, django_assert_num_queries
):
    small, large = make(tenant, user), make(tenant, user, precios=["1"] * 30)
    with CaptureQueriesContext(connection) as one_item:
        converted(convert(api, small.pk))

    with django_assert_num_queries(len(one_item)):
        assert len(converted(convert(api, large.pk))[0]["items"]) == 30


def test_converting_reads_the_quotation_s_items_by_tenant_and_quotation(api, cotizacion):
    # The items' index leads with tenant_id (composite key): by quotation alone it is scanned.
    with CaptureQueriesContext(connection) as queries:
        assert api.post(convert_url(cotizacion["id"])).status_code == 201

    items = 'FROM "cotizaciones_cotizacionitem"'
    reads = [q["sql"] for q in queries.captured_queries if items in q["sql"]]
    assert reads and all('"tenant_id" = ' in sql for sql in reads), reads


def test_converting_answers_without_reading_the_quotation_again(api, cotizacion):
    # Found (get_object), then locked; the answer is built from what the service holds.
    with CaptureQueriesContext(connection) as queries:
        assert api.post(convert_url(cotizacion["id"])).status_code == 201

    # The feed's event reads the quotation once more, as its detail shows it, built by
    # PostgreSQL in one statement with its items and events aggregated
    # (documentos.services.publish_event): not the answer's.
    sqls = [q["sql"] for q in queries.captured_queries if "JSONB_AGG" not in q["sql"]]
    quotation = 'FROM "cotizaciones_cotizacion" '
    items = 'FROM "cotizaciones_cotizacionitem"'
    assert sum(quotation in sql for sql in sqls) == 2, sqls
    assert sum(items in sql for sql in sqls) == 1, sqls
