"""POST of a new document that is refused: each invalid field is a 400 naming it, and a
refused create writes nothing and uses no ``numero``."""

import pytest

from tests.comercial.helpers import (
    LINE,
    OMIT,
    assert_validation_error,
    create_body,
    created,
    item,
    post,
    post_raw,
    written,
)
from tests.comercial.kind import KindTests
from tests.factories import make_cliente

MAX_BIGINT = 2**63 - 1

INVALID_FIELDS = [
    pytest.param({"items": OMIT}, "items", id="items-missing"),
    pytest.param({"items": OMIT, "notas": "sin ítems"}, "items", id="only-notas"),
    pytest.param({"items": None}, "items", id="items-null"),
    pytest.param({"items": {"descripcion": "x"}}, "items", id="items-object"),
    pytest.param({"items": "Cemento"}, "items", id="items-text"),
    pytest.param({"items": []}, "items", id="no-items"),
    pytest.param({"items": [LINE] * 201}, "items", id="201-items"),
    pytest.param({"items": ["Cemento"]}, "items.0", id="item-text"),
    pytest.param({"items": [{**LINE, "cantidad": "2"}]}, "items.0.cantidad", id="cantidad-text"),
    pytest.param({"items": [{**LINE, "cantidad": 0}]}, "items.0.cantidad", id="cantidad-0"),
    pytest.param({"items": [{**LINE, "cantidad": 1.0001}]}, "items.0.cantidad", id="4-decimals"),
    pytest.param({"items": [LINE, {**LINE, "cantidad": 10**9}]}, "items.1.cantidad", id="10^9"),
    pytest.param({"items": [{**LINE, "precioUnitario": -1}]}, "items.0.precioUnitario", id="-1"),
    pytest.param(
        {"items": [{**LINE, "precioUnitario": 0.001}]}, "items.0.precioUnitario", id="0.001"
    ),
    pytest.param(
        {"items": [{**LINE, "precioUnitario": "32900"}]}, "items.0.precioUnitario", id="price-text"
    ),
    pytest.param(
        {"items": [{"cantidad": 1, "precioUnitario": 1}]}, "items.0.descripcion", id="no-descr"
    ),
    *(
        pytest.param({"items": [LINE, {**LINE, "descripcion": descripcion}]},
                     "items.1.descripcion", id=f"descripcion-{name}")
        for name, descripcion in
        [("empty", ""), ("blank", "   "), ("301", "x" * 301), ("null", None), ("number", 5)]
    ),
    pytest.param(
        {"items": [{**LINE, "cantidad": 999999999, "precioUnitario": 10**12 - 1}]},
        "items",
        id="total-too-large",
    ),
    pytest.param({"notas": 5}, "notas", id="notas-number"),
]  # fmt: skip


class CreateRefusalTests(KindTests):
    def post(self, client, **fields):
        return post(client, self.kind.list_url, create_body(**fields))

    @pytest.mark.parametrize(("body", "field"), INVALID_FIELDS)
    def test_an_invalid_field_is_400_naming_it_and_writes_nothing(self, api, body, field):
        before = written()

        response = self.post(api, **body)

        assert_validation_error(response, field)
        assert written() == before

    @pytest.mark.parametrize("items", [None, "Cemento", {"descripcion": "x"}, [5], [[item()]]])
    def test_items_that_are_not_a_list_of_objects_are_400_naming_items(self, api, items):
        response = post(api, self.kind.list_url, {"items": items})

        assert response.status_code == 400, response.content
        detalles = response.json()["detalles"]
        assert detalles and all(field.startswith("items") for field in detalles), detalles

    # -- the customer -----------------------------------------------------------------------------

    def test_a_customer_of_another_tenant_is_400_and_writes_nothing(self, api, other_tenant):
        ajeno = make_cliente(other_tenant, nombre="Ajeno")
        before = written()

        response = self.post(api, clienteId=ajeno.pk)

        body = assert_validation_error(response, "clienteId")
        assert "Ajeno" not in response.content.decode()
        assert body["error"] == "El cliente no existe en la empresa"
        assert written() == before

    @pytest.mark.parametrize(
        "cliente_id",
        [987654321, 9_000_000_000_000, MAX_BIGINT, MAX_BIGINT + 1, 10**30, 0, -1, "1", "17", 1.5,
         True],
    )  # fmt: skip
    def test_a_cliente_id_that_names_no_customer_of_the_tenant_is_400(
        self, api, tenant, cliente_id
    ):
        make_cliente(tenant)
        before = written()

        response = self.post(api, clienteId=cliente_id)

        assert_validation_error(response, "clienteId")
        assert written() == before

    @pytest.mark.parametrize("cliente_id", [1.5, "1", True])
    def test_a_malformed_cliente_id_is_summarized_as_its_detail_says(self, api, tenant, cliente_id):
        make_cliente(tenant)

        body = assert_validation_error(self.post(api, clienteId=cliente_id), "clienteId")

        assert body["detalles"]["clienteId"] == ["Debe ser un número entero."]
        assert body["error"] == "Dato inválido en «clienteId»: Debe ser un número entero."

    def test_a_string_cliente_id_of_an_existing_customer_is_400(self, api, tenant):
        cliente = make_cliente(tenant)

        assert_validation_error(self.post(api, clienteId=str(cliente.pk)), "clienteId")

    # -- a refused create writes nothing ----------------------------------------------------------

    @pytest.mark.parametrize(
        "text",
        [
            '{"items": [{"descripcion": "A", "cantidad": 1, "precioUnitario": 1},'
            ' {"descripcion": "B", "cantidad": 0, "precioUnitario": 1}]}',
            '{"items": [{"descripcion": "A", "cantidad": -1, "precioUnitario": 1}]}',
            '{"items": [{"descripcion": "A", "cantidad": 1, "precioUnitario": 1}], "notas": 5}',
            '{"items": [{"descripcion": "A", "cantidad": 1, "precioUnitario": 1}',
            '[{"descripcion": "A", "cantidad": 1, "precioUnitario": 1}]',
            '"venta"',
        ],
        ids=["bad-second-item", "negative", "bad-notas", "malformed-json", "array", "string"],
    )
    def test_a_refused_create_writes_nothing_and_uses_no_numero(self, api, text):
        before = written()

        response = post_raw(api, self.kind.list_url, text)

        assert response.status_code == 400, response.content
        assert set(response.json()) == {"error", "detalles"}
        assert written() == before
        assert created(self.post(api))["numero"] == 1

    def test_create_is_not_open_to_anonymous_callers(self, anon):
        before = written()

        response = self.post(anon)

        assert response.status_code == 401
        assert set(response.json()) == {"error"}
        assert written() == before
