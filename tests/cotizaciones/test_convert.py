"""POST /api/cotizaciones/{id}/convertir: the sale it makes and the quotation it closes.
What it refuses, and what it costs: ``test_convert_refusals.py``."""

import pytest

from tests import contract
from tests.comercial.helpers import ITEMS, assert_iso_utc, event_types, ids, ref
from tests.cotizaciones.helpers import (
    VENTAS_URL,
    convert,
    converted,
    detail_url,
    make,
    post_cotizacion,
    stored,
    venta_url,
)
from tests.factories import make_cliente, make_venta

pytestmark = pytest.mark.django_db

LINE_KEYS = ("descripcion", "cantidad", "precioUnitario", "subtotal")


# -- 201: the answer -------------------------------------------------------------------------


def test_convert_answers_201_with_the_venta_and_the_cotizacion(api, cotizacion):
    venta, closed = converted(convert(api, cotizacion["id"]))

    assert set(venta) == contract.VENTA_FIELDS
    assert set(closed) == contract.COTIZACION_FIELDS
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


def test_the_sale_has_one_creada_event_by_who_converted(admin_api, admin_user, cotizacion):
    venta, _ = converted(convert(admin_api, cotizacion["id"]))

    [evento] = venta["eventos"]
    assert (evento["tipo"], evento["motivo"]) == ("CREADA", None)
    assert evento["usuario"] == ref(admin_user)
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


def test_the_quotation_records_a_convertida_event_by_who_converted(
    admin_api, admin_user, cotizacion
):
    _, closed = converted(convert(admin_api, cotizacion["id"]))

    assert event_types(closed) == ["CREADA", "CONVERTIDA"]
    convertida = closed["eventos"][1]
    assert (convertida["usuario"], convertida["motivo"]) == (ref(admin_user), None)
    assert convertida["en"] == closed["convertidaEn"]


def test_a_body_sent_anyway_is_ignored(api, tenant, other_tenant, cotizacion):
    otro = make_cliente(tenant, nombre="Otro")
    ignored = {"clienteId": otro.pk, "items": [ITEMS[1]], "notas": "x", "total": 1, "estado": "X"}

    venta, closed = converted(convert(api, cotizacion["id"], data=ignored, format="json"))

    assert venta["cliente"] == cotizacion["cliente"]
    assert venta["total"] == cotizacion["total"] and len(venta["items"]) == 2
    assert venta["notas"] == "Venta convertida desde cotización #1"
    assert closed["estado"] == "CONVERTIDA"
