"""POST /api/ventas/{id}/cancelar: who, with which motivo, once, and what it answers."""

import pytest

from tests.factories import make_cliente, make_venta
from tests.ventas.helpers import (
    EVENTO_FIELDS,
    NO_ENCONTRADA,
    SOLO_ADMIN,
    VENTA_FIELDS,
    YA_CANCELADA,
    admin_client,
    assert_iso_utc,
    assert_validation_error,
    cancel_url,
    created,
    detail_url,
    historial_url,
    item,
    parse_iso,
    ref,
    seller_client,
    stored_state,
    stored_venta,
)

pytestmark = pytest.mark.django_db


def cancel(client, pk, motivo="Error de digitación"):
    return client.post(cancel_url(pk), {"motivo": motivo}, format="json")


@pytest.fixture
def admin(tenant):
    return admin_client(tenant)


# -- 200 and the Venta it answers ------------------------------------------------------------


def test_an_admin_cancels_a_sale_of_today(admin, api, tenant, user):
    client, admin_user = admin
    venta = created(api, item("A", 2, 100))

    response = cancel(client, venta["id"], "Cliente devolvió la mercancía")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == VENTA_FIELDS
    assert body["canceladaPor"] == ref(admin_user)
    assert body["motivoCancelacion"] == "Cliente devolvió la mercancía"
    assert_iso_utc(body["canceladaEn"])
    assert parse_iso(body["canceladaEn"]) >= parse_iso(body["creadoEn"])
    changed = {"canceladaEn", "canceladaPor", "motivoCancelacion", "eventos"}
    assert {k: v for k, v in body.items() if k not in changed} == {
        k: v for k, v in venta.items() if k not in changed
    }
    stored = stored_venta(tenant, venta["id"])
    assert stored.cancelada_por_id == admin_user.pk
    assert stored.cancelada_en == parse_iso(body["canceladaEn"])


def test_the_answer_lists_creada_then_cancelada(admin, api, user):
    client, admin_user = admin
    venta = created(api)

    eventos = cancel(client, venta["id"], "Duplicada").json()["eventos"]

    assert [set(e) for e in eventos] == [EVENTO_FIELDS, EVENTO_FIELDS]
    assert [e["tipo"] for e in eventos] == ["CREADA", "CANCELADA"]
    assert eventos[0] == venta["eventos"][0]
    assert eventos[1]["usuario"] == ref(admin_user)
    assert eventos[1]["motivo"] == "Duplicada"


def test_the_cancelled_sale_reads_back_as_answered(admin, api):
    client, _ = admin
    venta = created(api)

    body = cancel(client, venta["id"]).json()

    assert client.get(detail_url(venta["id"])).json() == body
    assert api.get(detail_url(venta["id"])).json() == body


def test_the_event_time_is_the_cancellation_time(admin, api):
    client, _ = admin
    body = cancel(client, created(api)["id"]).json()

    assert body["eventos"][1]["en"] == body["canceladaEn"]


def test_motivo_is_trimmed(admin, api, tenant):
    client, _ = admin
    venta = created(api)

    body = cancel(client, venta["id"], "  \tDevolución\n ").json()

    assert body["motivoCancelacion"] == "Devolución"
    assert stored_venta(tenant, venta["id"]).motivo_cancelacion == "Devolución"


def test_motivo_of_500_characters_after_trimming_is_accepted(admin, api):
    client, _ = admin

    response = cancel(client, created(api)["id"], "  " + "m" * 500 + "  ")

    assert response.status_code == 200, response.content
    assert response.json()["motivoCancelacion"] == "m" * 500


def test_the_cancelled_sale_stays_but_leaves_total_comprado(admin, api, tenant):
    client, _ = admin
    cliente = make_cliente(tenant)
    kept = created(api, item("A", 1, 1500), clienteId=cliente.pk)
    gone = created(api, item("B", 1, 99000.5), clienteId=cliente.pk)
    assert api.get(historial_url(cliente.pk)).json()["resumen"]["totalComprado"] == 100500.5

    cancel(client, gone["id"])

    historial = api.get(historial_url(cliente.pk)).json()
    assert historial["resumen"]["totalComprado"] == 1500.0
    assert historial["resumen"]["ultimaCompra"] == kept["creadoEn"]
    assert [v["id"] for v in historial["ventas"]] == [gone["id"], kept["id"]]
    assert historial["_count"]["ventas"] == 2


# -- who may cancel --------------------------------------------------------------------------


def test_a_usuario_may_not_cancel_even_their_own_sale(api, tenant):
    venta = created(api)
    before = stored_state(tenant, venta["id"])

    response = cancel(api, venta["id"])

    assert response.status_code == 403
    assert response.json() == SOLO_ADMIN
    assert stored_state(tenant, venta["id"]) == before


def test_a_usuario_gets_404_for_another_sellers_sale(tenant):
    seller, _ = seller_client(tenant)
    _, otro_user = seller_client(tenant)
    venta = make_venta(tenant, vendedor=otro_user)
    before = stored_state(tenant, venta.pk)

    response = cancel(seller, venta.pk)

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADA
    assert stored_state(tenant, venta.pk) == before


def test_an_admin_cancels_sales_of_any_seller_and_walk_ins(admin, tenant):
    client, _ = admin
    _, otro = seller_client(tenant)

    for venta in (make_venta(tenant, vendedor=otro), make_venta(tenant)):
        assert cancel(client, venta.pk).status_code == 200


def test_another_tenants_sale_is_404_and_unchanged(admin, other_tenant):
    client, _ = admin
    ajena = make_venta(other_tenant)
    before = stored_state(other_tenant, ajena.pk)

    response = cancel(client, ajena.pk)

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADA
    assert stored_state(other_tenant, ajena.pk) == before


@pytest.mark.parametrize("pk", ["abc", "0", "99999999999999999999", "1.5"])
def test_a_non_numeric_or_out_of_range_id_is_404(admin, tenant, pk):
    client, _ = admin
    make_venta(tenant)

    response = cancel(client, pk)

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADA


def test_anonymous_callers_cancel_nothing(anon, tenant):
    venta = make_venta(tenant)
    before = stored_state(tenant, venta.pk)

    assert cancel(anon, venta.pk).status_code == 401
    assert stored_state(tenant, venta.pk) == before


# -- motivo ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"motivo": ""},
        {"motivo": "   \n\t "},
        {"motivo": None},
        {"motivo": "m" * 501},
        {"motivo": 5},
        {"motivo": ["Devolución"]},
    ],
    ids=["missing", "empty", "blank", "null", "501", "number", "list"],
)
def test_an_invalid_motivo_is_400_and_changes_nothing(admin, tenant, body):
    client, _ = admin
    venta = make_venta(tenant)
    before = stored_state(tenant, venta.pk)

    response = client.post(cancel_url(venta.pk), body, format="json")

    assert_validation_error(response, "motivo")
    assert stored_state(tenant, venta.pk) == before


@pytest.mark.parametrize("raw", ['"Devolución"', "[]", '{"motivo": "x"'])
def test_a_body_that_is_not_a_json_object_is_400(admin, tenant, raw):
    client, _ = admin
    venta = make_venta(tenant)
    before = stored_state(tenant, venta.pk)

    response = client.post(cancel_url(venta.pk), raw, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == {"error", "detalles"}
    assert stored_state(tenant, venta.pk) == before


# -- once ------------------------------------------------------------------------------------


def test_cancelling_again_is_409_and_keeps_the_first_cancellation(admin, tenant):
    client, _ = admin
    venta = make_venta(tenant)
    first = cancel(client, venta.pk, "Primera").json()
    after_first = stored_state(tenant, venta.pk)

    response = cancel(client, venta.pk, "Segunda")

    assert response.status_code == 409
    assert response.json() == YA_CANCELADA
    assert stored_state(tenant, venta.pk) == after_first
    assert after_first["eventos"] == ["CREADA", "CANCELADA"]
    assert client.get(detail_url(venta.pk)).json() == first
