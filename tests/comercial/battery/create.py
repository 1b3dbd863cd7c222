"""POST of a new document: the answer, its items and notes, its customer, its numero."""

import pytest

from tests import contract
from tests.clients import token_client
from tests.comercial.helpers import (
    ITEMS,
    assert_iso_utc,
    create_body,
    created,
    item,
    parse_iso,
    post,
    ref,
)
from tests.comercial.kind import KindTests
from tests.factories import make_cliente, make_user


class CreateTests(KindTests):
    def create(self, client, *items, **fields) -> dict:
        return created(post(client, self.kind.list_url, create_body(*items, **fields)))

    # -- 201, Location and the document it answers ----------------------------------------------

    def test_create_answers_201_with_the_location_of_the_new_document(self, api, tenant):
        response = post(api, self.kind.list_url, create_body())

        assert response.status_code == 201, response.content
        assert response["Content-Type"].startswith("application/json")
        assert response["Location"] == self.kind.detail_url(response.json()["id"])
        assert self.kind.stored(tenant, response.json()["id"])

    def test_create_answers_the_kinds_fields_with_the_caller_as_seller(self, api, tenant, user):
        cliente = make_cliente(tenant, nombre="José Álvarez")

        body = self.create(
            api, item("Cemento gris 50 kg", 2.5, 32900), clienteId=cliente.pk, notas="Lunes"
        )

        assert set(body) == self.kind.fields
        assert isinstance(body["id"], int) and body["numero"] == 1
        assert (body["cliente"], body["vendedor"]) == (ref(cliente), ref(user))
        assert (body["total"], body["notas"]) == (82250.0, "Lunes")
        assert (body["canceladaEn"], body["canceladaPor"], body["motivoCancelacion"]) == (None,) * 3
        assert {name: body[name] for name in self.kind.created} == self.kind.created
        [line] = body["items"]
        assert set(line) == contract.ITEM_FIELDS and isinstance(line["id"], int)
        assert {k: v for k, v in line.items() if k != "id"} == {
            "descripcion": "Cemento gris 50 kg",
            "cantidad": 2.5,
            "precioUnitario": 32900.0,
            "subtotal": 82250.0,
        }

    def test_create_answers_creado_en_in_utc_with_z_as_stored(self, api, tenant):
        body = self.create(api)

        assert_iso_utc(body["creadoEn"])
        assert parse_iso(body["creadoEn"]) == self.kind.stored(tenant, body["id"]).creado_en

    def test_create_records_one_creada_event_naming_the_caller(self, api, tenant, user):
        body = self.create(api)

        [evento] = body["eventos"]
        assert set(evento) == contract.EVENTO_FIELDS
        assert (evento["tipo"], evento["usuario"], evento["motivo"]) == ("CREADA", ref(user), None)
        assert_iso_utc(evento["en"])
        assert evento["en"] == body["creadoEn"]
        stored = self.kind.events(tenant, body["id"]).values_list("tipo", "usuario_id")
        assert list(stored) == [("CREADA", user.pk)]

    @pytest.mark.parametrize("precio", [32900, 0, -0.0], ids=["price", "zero", "negative-zero"])
    def test_a_created_document_reads_back_byte_for_byte_in_its_tenant_only(
        self, api, other_api, precio
    ):
        body = create_body(item("A", 1, precio), item("B", 2, 20), notas="VIP")
        response = post(api, self.kind.list_url, body)
        url = self.kind.detail_url(created(response)["id"])

        assert api.get(url).content.decode() == response.content.decode()
        assert other_api.get(url).status_code == 404

    def test_the_seller_is_always_the_caller(self, api, tenant, user, other_user):
        body = self.create(api, vendedor={"id": other_user.pk}, vendedorId=other_user.pk)

        assert body["vendedor"] == ref(user)
        assert self.kind.stored(tenant, body["id"]).vendedor_id == user.pk

    # -- numero -----------------------------------------------------------------------------------

    def test_numero_counts_the_documents_of_the_tenant_only(self, api, other_api):
        self.create(other_api)
        self.create(other_api)

        assert [self.create(api)["numero"] for _ in range(3)] == [1, 2, 3]
        assert self.create(other_api)["numero"] == 3

    def test_the_tenants_users_share_one_numbering(self, api, tenant):
        clients = (api, token_client(make_user(tenant)), api)

        assert [self.create(client)["numero"] for client in clients] == [1, 2, 3]

    # -- items ------------------------------------------------------------------------------------

    def test_items_are_kept_in_the_order_sent(self, api, tenant):
        names = ["Zeta", "Alfa", "Mu", "Beta", "Alfa"]

        body = self.create(api, *(item(name, i + 1, 100) for i, name in enumerate(names)))

        assert [line["descripcion"] for line in body["items"]] == names
        assert [line["cantidad"] for line in body["items"]] == [1, 2, 3, 4, 5]
        assert [row[0] for row in self.kind.items(tenant, body["id"])] == names
        assert api.get(self.kind.detail_url(body["id"])).json()["items"] == body["items"]

    def test_each_item_answers_its_subtotal_and_the_total_is_their_sum(self, api):
        body = self.create(api, *ITEMS)

        keys = ("descripcion", "cantidad", "precioUnitario", "subtotal")
        assert [tuple(line[k] for k in keys) for line in body["items"]] == [
            ("Cemento gris 50 kg", 2.5, 32900.0, 82250.0),
            ("Arena lavada m3", 1.0, 85000.5, 85000.5),
        ]
        assert body["total"] == 167250.5

    def test_descripcion_is_trimmed(self, api, tenant):
        body = self.create(api, item("  Cemento gris \t"))

        assert body["items"][0]["descripcion"] == "Cemento gris"
        assert self.kind.items(tenant, body["id"])[0][0] == "Cemento gris"

    def test_descripcion_of_300_characters_after_trimming_is_accepted(self, api):
        body = self.create(api, item("  " + "x" * 300 + "  "))

        assert body["items"][0]["descripcion"] == "x" * 300

    def test_200_items_are_accepted(self, api, tenant):
        body = self.create(api, *(item(f"Línea {i}", 1, 1) for i in range(200)))

        assert len(body["items"]) == 200
        assert body["total"] == 200.0
        assert len(self.kind.items(tenant, body["id"])) == 200

    # -- what the client may not set ------------------------------------------------------------

    def test_subtotal_and_total_sent_by_the_client_are_ignored(self, api, tenant):
        line = {**item("A", 2, 100), "subtotal": 1}

        body = self.create(api, line, total=999999, subtotal=5)

        assert (body["total"], body["items"][0]["subtotal"]) == (200.0, 200.0)
        assert self.kind.stored(tenant, body["id"]).total == 200
        assert self.kind.items(tenant, body["id"])[0][3] == 200

    def test_a_subtotal_is_rounded_half_up_to_centavos(self, api):
        body = self.create(api, item("Tornillo", 0.5, 0.01))  # 0.005

        assert (body["items"][0]["subtotal"], body["total"]) == (0.01, 0.01)

    def test_unknown_and_read_only_fields_are_ignored(self, api, tenant, other_tenant):
        body = self.create(
            api,
            id=999999,
            numero=77,
            creadoEn="2020-01-01T00:00:00Z",
            canceladaEn="2020-01-01T00:00:00Z",
            motivoCancelacion="no",
            tenant=other_tenant.pk,
            empresa=other_tenant.pk,
            color="rojo",
            **self.kind.ignored,
        )

        assert body["id"] != 999999 and body["numero"] == 1
        assert (body["canceladaEn"], body["motivoCancelacion"]) == (None, None)
        assert {name: body[name] for name in self.kind.created} == self.kind.created
        assert parse_iso(body["creadoEn"]).year != 2020
        assert self.kind.stored(tenant, body["id"]).tenant_id == tenant.pk

    # -- notas and the customer -------------------------------------------------------------------

    @pytest.mark.parametrize(
        ("sent", "kept"),
        [("  Pagó en efectivo  ", "Pagó en efectivo"), ("", None), ("   ", None), (None, None)],
    )
    def test_notas_are_trimmed_and_blank_is_null(self, api, tenant, sent, kept):
        body = self.create(api, notas=sent)

        assert body["notas"] == kept
        assert self.kind.stored(tenant, body["id"]).notas == kept

    def test_a_customer_of_the_tenant_is_recorded(self, api, tenant):
        cliente = make_cliente(tenant, nombre="Ana")

        body = self.create(api, clienteId=cliente.pk)

        assert body["cliente"] == ref(cliente)
        assert self.kind.stored(tenant, body["id"]).cliente_id == cliente.pk

    @pytest.mark.parametrize("extra", [{}, {"clienteId": None}], ids=["absent", "null"])
    def test_a_document_without_a_customer_is_a_walk_in(self, api, tenant, extra):
        body = self.create(api, **extra)

        assert body["cliente"] is None
        assert self.kind.stored(tenant, body["id"]).cliente_id is None
