"""POST /api/cotizaciones: the Cotizacion it answers, its validity, its validation, its numero."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import token_client
from tests.cotizaciones.helpers import (
    COTIZACION_FIELDS,
    EVENTO_FIELDS,
    ITEM_FIELDS,
    ITEMS,
    LINE,
    OMIT,
    assert_iso_utc,
    assert_validation_error,
    created,
    created_at,
    detail_url,
    frozen_now,
    iso,
    parse_iso,
    post_cotizacion,
    ref,
    stored,
    written,
)
from tests.factories import make_cliente, make_user, make_venta

pytestmark = pytest.mark.django_db


# -- 201 and the Cotizacion it answers ---------------------------------------------------------


def test_create_answers_201_with_a_pending_cotizacion_of_the_caller(api, user, tenant):
    cliente = make_cliente(tenant, nombre="José Álvarez")

    body = created(post_cotizacion(api, clienteId=cliente.pk, notas="  Entrega el lunes  "))

    assert set(body) == COTIZACION_FIELDS
    assert isinstance(body["id"], int)
    assert body["cliente"] == ref(cliente)
    assert body["vendedor"] == ref(user)
    assert body["notas"] == "Entrega el lunes"
    assert (body["estado"], body["vencida"]) == ("PENDIENTE", False)
    assert (body["ventaId"], body["convertidaEn"]) == (None, None)
    assert (body["canceladaEn"], body["canceladaPor"], body["motivoCancelacion"]) == (None,) * 3


@pytest.mark.parametrize("cliente_id", [None, OMIT])
def test_create_without_cliente_is_a_walk_in_quotation(api, cliente_id):
    assert created(post_cotizacion(api, clienteId=cliente_id))["cliente"] is None


def test_create_answers_the_items_in_the_order_sent_with_their_subtotals(api):
    items = [{**ITEMS[0], "descripcion": "  Cemento gris 50 kg "}, *ITEMS[1:]]

    body = created(post_cotizacion(api, items=items))

    assert all(set(item) == ITEM_FIELDS for item in body["items"])
    keys = ("descripcion", "cantidad", "precioUnitario", "subtotal")
    lines = [tuple(item[k] for k in keys) for item in body["items"]]
    assert lines == [
        ("Cemento gris 50 kg", 2.5, 32900.0, 82250.0),
        ("Arena lavada m3", 1.0, 85000.5, 85000.5),
    ]
    assert body["total"] == 167250.5


def test_create_rounds_subtotals_half_up_and_ignores_a_sent_total(api):
    items = [{"descripcion": "Tornillo", "cantidad": 0.5, "precioUnitario": 0.01, "subtotal": 9}]

    body = created(post_cotizacion(api, items=items, total=1000))

    assert body["items"][0]["subtotal"] == 0.01
    assert body["total"] == 0.01


def test_create_answers_one_creada_event_by_the_caller(api, user):
    body = created(post_cotizacion(api))

    [evento] = body["eventos"]
    assert set(evento) == EVENTO_FIELDS
    assert (evento["tipo"], evento["usuario"], evento["motivo"]) == ("CREADA", ref(user), None)
    assert evento["en"] == body["creadoEn"]


def test_create_answers_times_as_iso_utc_with_z(api, tenant):
    body = created(post_cotizacion(api))

    for field in ("creadoEn", "validaHasta"):
        assert_iso_utc(body[field])
    assert parse_iso(body["creadoEn"]) == stored(tenant, body["id"]).creado_en


def test_create_answers_the_location_of_the_quotation(api):
    response = post_cotizacion(api)

    assert response["Location"] == detail_url(response.json()["id"])


@pytest.mark.parametrize("precio", [32900, 0, -0.0], ids=["price", "zero", "negative-zero"])
def test_created_quotation_reads_back_byte_for_byte_in_its_tenant_only(api, other_api, precio):
    response = post_cotizacion(api, items=[{**LINE, "precioUnitario": precio}], notas="VIP")
    url = detail_url(created(response)["id"])

    assert api.get(url).content.decode() == response.content.decode()
    assert other_api.get(url).status_code == 404


# -- validity ----------------------------------------------------------------------------------


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
    assert written(tenant)["cotizaciones"] == []


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
    assert written(tenant)["cotizaciones"] == []


@pytest.mark.parametrize("value", ["mañana", "2030-13-01T00:00:00Z", 12345, True])
def test_valida_hasta_that_is_not_a_time_is_400(api, tenant, value):
    response = post_cotizacion(api, validaHasta=value)

    assert_validation_error(response, "validaHasta")
    assert written(tenant)["cotizaciones"] == []


def test_dias_validez_and_valida_hasta_together_are_400(api, tenant):
    in_a_week = datetime.now(UTC) + timedelta(days=7)

    response = post_cotizacion(api, diasValidez=7, validaHasta=iso(in_a_week))

    assert response.status_code == 400, response.content
    assert set(response.json()["detalles"]) & {"diasValidez", "validaHasta"}
    assert written(tenant)["cotizaciones"] == []


# -- validation of the sale's fields -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": OMIT}, "items"),
        ({"items": None}, "items"),
        ({"items": {"descripcion": "x"}}, "items"),
        ({"items": []}, "items"),
        ({"items": "Cemento"}, "items"),
        ({"items": [LINE] * 201}, "items"),
        ({"items": ["Cemento"]}, "items.0"),
        ({"items": [{**LINE, "cantidad": "2"}]}, "items.0.cantidad"),
        ({"items": [{**LINE, "cantidad": 0}]}, "items.0.cantidad"),
        ({"items": [{**LINE, "cantidad": 1.0001}]}, "items.0.cantidad"),
        ({"items": [LINE, {**LINE, "cantidad": 10**9}]}, "items.1.cantidad"),
        ({"items": [{**LINE, "precioUnitario": -1}]}, "items.0.precioUnitario"),
        ({"items": [{**LINE, "precioUnitario": 0.001}]}, "items.0.precioUnitario"),
        ({"items": [{**LINE, "precioUnitario": "32900"}]}, "items.0.precioUnitario"),
        ({"items": [{**LINE, "descripcion": "   "}]}, "items.0.descripcion"),
        ({"items": [{**LINE, "descripcion": "x" * 301}]}, "items.0.descripcion"),
        ({"items": [{"cantidad": 1, "precioUnitario": 1}]}, "items.0.descripcion"),
        ({"items": [{**LINE, "cantidad": 999999999, "precioUnitario": 10**12 - 1}]}, "items"),
        ({"clienteId": "17"}, "clienteId"),
        ({"clienteId": 0}, "clienteId"),
        ({"clienteId": 9_000_000_000_000}, "clienteId"),
        ({"notas": 5}, "notas"),
    ],
)
def test_invalid_sale_fields_are_400_naming_the_field(api, tenant, body, field):
    before = written(tenant)

    response = post_cotizacion(api, **body)

    assert_validation_error(response, field)
    assert written(tenant) == before


def test_clienteid_of_another_tenant_is_400(api, tenant, other_tenant):
    ajeno = make_cliente(other_tenant, nombre="Ajeno")

    response = post_cotizacion(api, clienteId=ajeno.pk)

    assert_validation_error(response, "clienteId")
    assert written(tenant)["cotizaciones"] == []


def test_a_refused_create_writes_nothing_and_leaves_no_gap_in_numero(api, tenant):
    before = written(tenant)

    assert post_cotizacion(api, items=[{**LINE, "cantidad": -1}]).status_code == 400
    assert post_cotizacion(api, diasValidez=0).status_code == 400

    assert written(tenant) == before
    assert created(post_cotizacion(api))["numero"] == 1


# -- numero ------------------------------------------------------------------------------------


def test_numero_is_1_2_3_in_creation_order(api):
    numeros = [created(post_cotizacion(api))["numero"] for _ in range(3)]

    assert numeros == [1, 2, 3]


def test_numero_is_independent_of_the_sales_numbering(api, tenant, user):
    make_venta(tenant, vendedor=user)
    make_venta(tenant, vendedor=user)

    assert created(post_cotizacion(api))["numero"] == 1


def test_numero_is_independent_of_other_tenants(api, other_api):
    created(post_cotizacion(other_api))
    created(post_cotizacion(other_api))

    assert created(post_cotizacion(api))["numero"] == 1
    assert created(post_cotizacion(other_api))["numero"] == 3


def test_quotations_of_the_tenants_users_share_one_numbering(api, tenant):
    clients = (api, token_client(make_user(tenant)), api)

    numeros = [created(post_cotizacion(client))["numero"] for client in clients]

    assert numeros == [1, 2, 3]


def test_create_makes_as_many_queries_for_200_items_as_for_1(api, django_assert_num_queries):
    with CaptureQueriesContext(connection) as one_item:
        created(post_cotizacion(api, items=[LINE]))

    with django_assert_num_queries(len(one_item)):
        created(post_cotizacion(api, items=[LINE] * 200))
