"""POST /api/ventas: the Venta it answers, its items, its notes, and what it refuses."""

import pytest

from tests.factories import make_cliente
from tests.ventas.helpers import (
    EVENTO_FIELDS,
    ITEM_FIELDS,
    LIST_URL,
    VENTA_FIELDS,
    assert_iso_utc,
    assert_validation_error,
    created,
    detail_url,
    item,
    parse_iso,
    post_raw,
    post_venta,
    ref,
    row_counts,
    stored_items,
    stored_venta,
    venta_body,
)
from ventas.models import VentaEvento

pytestmark = pytest.mark.django_db


# -- 201, Location and the Venta it answers --------------------------------------------------


def test_create_answers_201_with_the_location_of_the_new_sale(api, tenant):
    response = post_venta(api, venta_body())

    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response["Location"] == f"/api/ventas/{response.json()['id']}"
    assert stored_venta(tenant, response.json()["id"])


def test_create_answers_exactly_the_venta_fields(api, tenant, user):
    cliente = make_cliente(tenant, nombre="José Álvarez")

    body = created(
        api,
        item("Cemento gris 50 kg", 2.5, 32900),
        clienteId=cliente.pk,
        notas="Entregar el lunes",
    )

    assert set(body) == VENTA_FIELDS
    assert isinstance(body["id"], int)
    assert body["numero"] == 1
    assert body["cliente"] == {"id": cliente.pk, "nombre": "José Álvarez"}
    assert body["vendedor"] == ref(user)
    assert body["total"] == 82250.0
    assert body["notas"] == "Entregar el lunes"
    assert body["cotizacionId"] is None
    assert body["canceladaEn"] is None
    assert body["canceladaPor"] is None
    assert body["motivoCancelacion"] is None
    [line] = body["items"]
    assert set(line) == ITEM_FIELDS
    assert isinstance(line["id"], int)
    assert {k: v for k, v in line.items() if k != "id"} == {
        "descripcion": "Cemento gris 50 kg",
        "cantidad": 2.5,
        "precioUnitario": 32900.0,
        "subtotal": 82250.0,
    }


def test_create_answers_creado_en_in_utc_with_z_as_stored(api, tenant):
    body = created(api)

    assert_iso_utc(body["creadoEn"])
    assert parse_iso(body["creadoEn"]) == stored_venta(tenant, body["id"]).creado_en


def test_create_records_one_creada_event_naming_the_caller(api, tenant, user):
    body = created(api)

    [evento] = body["eventos"]
    assert set(evento) == EVENTO_FIELDS
    assert evento["tipo"] == "CREADA"
    assert evento["usuario"] == ref(user)
    assert evento["motivo"] is None
    assert_iso_utc(evento["en"])
    assert evento["en"] == body["creadoEn"]
    stored = VentaEvento.objects.for_tenant(tenant).filter(venta_id=body["id"])
    assert list(stored.values_list("tipo", "usuario_id")) == [("CREADA", user.pk)]


def test_created_sale_reads_back_identically(api, other_api):
    body = created(api, item("A", 1, 10), item("B", 2, 20))

    assert api.get(detail_url(body["id"])).json() == body
    assert other_api.get(detail_url(body["id"])).status_code == 404


def test_numero_counts_the_sales_of_the_tenant_only(api, other_api):
    created(other_api)
    created(other_api)

    assert [created(api)["numero"] for _ in range(3)] == [1, 2, 3]
    assert created(other_api)["numero"] == 3


def test_the_seller_is_always_the_caller(api, tenant, user, other_user):
    body = created(api, vendedor={"id": other_user.pk}, vendedorId=other_user.pk)

    assert body["vendedor"] == ref(user)
    assert stored_venta(tenant, body["id"]).vendedor_id == user.pk


# -- items -----------------------------------------------------------------------------------


def test_items_are_kept_in_the_order_sent(api, tenant):
    names = ["Zeta", "Alfa", "Mu", "Beta", "Alfa"]

    body = created(api, *(item(name, i + 1, 100) for i, name in enumerate(names)))

    assert [line["descripcion"] for line in body["items"]] == names
    assert [line["cantidad"] for line in body["items"]] == [1, 2, 3, 4, 5]
    assert [row[0] for row in stored_items(tenant, body["id"])] == names
    assert api.get(detail_url(body["id"])).json()["items"] == body["items"]


def test_descripcion_is_trimmed(api, tenant):
    body = created(api, item("  Cemento gris \t"))

    assert body["items"][0]["descripcion"] == "Cemento gris"
    assert stored_items(tenant, body["id"])[0][0] == "Cemento gris"


def test_descripcion_of_300_characters_after_trimming_is_accepted(api):
    body = created(api, item("  " + "x" * 300 + "  "))

    assert body["items"][0]["descripcion"] == "x" * 300


@pytest.mark.parametrize("descripcion", ["", "   ", "x" * 301, None, 5])
def test_invalid_descripcion_is_400_naming_the_item(api, descripcion):
    response = post_venta(api, venta_body(item(), item(descripcion)))

    assert_validation_error(response, "items.1.descripcion")


def test_an_item_without_descripcion_is_400(api):
    response = post_venta(api, venta_body({"cantidad": 1, "precioUnitario": 1}))

    assert_validation_error(response, "items.0.descripcion")


def test_200_items_are_accepted(api, tenant):
    body = created(api, *(item(f"Línea {i}", 1, 1) for i in range(200)))

    assert len(body["items"]) == 200
    assert body["total"] == 200.0
    assert len(stored_items(tenant, body["id"])) == 200


@pytest.mark.parametrize("items", [[], [item()] * 201], ids=["none", "201"])
def test_items_outside_1_to_200_are_400(api, items):
    response = post_venta(api, {"items": items})

    assert_validation_error(response, "items")


@pytest.mark.parametrize("items", [None, "Cemento", {"descripcion": "x"}, [5], [[item()]]])
def test_items_that_are_not_a_list_of_objects_are_400(api, items):
    response = post_venta(api, {"items": items})

    assert response.status_code == 400, response.content
    detalles = response.json()["detalles"]
    assert detalles and all(field.startswith("items") for field in detalles), detalles


def test_a_body_without_items_is_400(api):
    assert_validation_error(post_venta(api, {"notas": "sin ítems"}), "items")


# -- notas -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("  Pagó en efectivo  ", "Pagó en efectivo"), ("", None), ("   ", None), (None, None)],
)
def test_notas_are_trimmed_and_blank_is_null(api, tenant, sent, kept):
    body = created(api, notas=sent)

    assert body["notas"] == kept
    assert stored_venta(tenant, body["id"]).notas == kept


def test_notas_that_are_not_text_are_400(api):
    assert_validation_error(post_venta(api, venta_body(notas=5)), "notas")


# -- what the client may not set -------------------------------------------------------------


def test_subtotal_and_total_sent_by_the_client_are_ignored(api, tenant):
    line = {**item("A", 2, 100), "subtotal": 1}

    body = created(api, line, total=999999, subtotal=5)

    assert body["total"] == 200.0
    assert body["items"][0]["subtotal"] == 200.0
    venta = stored_venta(tenant, body["id"])
    assert venta.total == 200
    assert stored_items(tenant, body["id"])[0][3] == 200


def test_unknown_and_read_only_fields_are_ignored(api, tenant, other_tenant):
    body = created(
        api,
        id=999999,
        numero=77,
        creadoEn="2020-01-01T00:00:00Z",
        canceladaEn="2020-01-01T00:00:00Z",
        motivoCancelacion="no",
        cotizacionId=5,
        tenant=other_tenant.pk,
        empresa=other_tenant.pk,
        color="rojo",
    )

    assert body["id"] != 999999
    assert body["numero"] == 1
    assert body["canceladaEn"] is None
    assert body["motivoCancelacion"] is None
    assert body["cotizacionId"] is None
    assert parse_iso(body["creadoEn"]).year != 2020
    assert stored_venta(tenant, body["id"]).tenant_id == tenant.pk


# -- a 400 writes nothing --------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"items": [{"descripcion": "A", "cantidad": 1, "precioUnitario": 1},'
        ' {"descripcion": "B", "cantidad": 0, "precioUnitario": 1}]}',
        '{"items": [{"descripcion": "A", "cantidad": 1, "precioUnitario": 1}], "notas": 5}',
        '{"items": [{"descripcion": "A", "cantidad": 1, "precioUnitario": 1}',
        '[{"descripcion": "A", "cantidad": 1, "precioUnitario": 1}]',
        '"venta"',
    ],
    ids=["bad-second-item", "bad-notas", "malformed-json", "array-body", "string-body"],
)
def test_a_rejected_create_writes_nothing_and_uses_no_numero(api, body):
    before = row_counts()

    response = post_raw(api, body)

    assert response.status_code == 400, response.content
    assert set(response.json()) == {"error", "detalles"}
    assert row_counts() == before
    assert created(api)["numero"] == 1


def test_create_is_not_open_to_anonymous_callers(anon):
    before = row_counts()

    response = anon.post(LIST_URL, venta_body(), format="json")

    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert row_counts() == before
