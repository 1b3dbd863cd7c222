"""GET of a document list: order, visibility by role and tenant, the rows, and the filters
every kind has (``cliente``, ``vendedor``)."""

from datetime import UTC, datetime

import pytest

from tests.comercial.helpers import (
    assert_iso_utc,
    assert_validation_error,
    ids,
    without_detail,
)
from tests.comercial.kind import KindTests
from tests.factories import make_cliente


class ListTests(KindTests):
    def listed(self, client, **params) -> list[int]:
        return ids(client.get(self.kind.list_url, params))

    # -- order and visibility -----------------------------------------------------------------

    def test_the_list_is_a_json_array_newest_first(self, api, user, tenant, other_tenant):
        own = self.kind.interleaved(tenant, other_tenant, 4, user)

        response = api.get(self.kind.list_url)

        assert response["Content-Type"].startswith("application/json")
        assert ids(response) == sorted(own, reverse=True)

    def test_the_list_is_an_empty_array_when_nothing_is_visible(
        self, api, colega, tenant, other_tenant
    ):
        self.kind.make(tenant, colega)
        self.kind.make(other_tenant)

        response = api.get(self.kind.list_url)

        assert (response.status_code, response.json()) == (200, [])

    def test_an_admin_lists_every_document_of_the_tenant(
        self, admin_api, admin_user, user, colega, tenant, other_tenant
    ):
        own = []
        for vendedor in (user, colega, admin_user, None):
            own.append(self.kind.make(tenant, vendedor).pk)
            self.kind.make(other_tenant)

        assert self.listed(admin_api) == sorted(own, reverse=True)

    def test_a_usuario_lists_only_their_own_documents(
        self, api, user, colega, admin_user, tenant, other_tenant
    ):
        mine = [self.kind.make(tenant, user).pk for _ in range(2)]
        for vendedor in (colega, admin_user, None):
            self.kind.make(tenant, vendedor)
        self.kind.make(other_tenant)

        assert self.listed(api) == sorted(mine, reverse=True)

    # -- the rows -------------------------------------------------------------------------------

    def test_a_row_is_the_detail_without_items_and_eventos_plus_cantidad_items(
        self, admin_api, admin_user, user, tenant, other_tenant
    ):
        cliente = make_cliente(tenant, nombre="José Álvarez")
        three_lines = self.kind.make(tenant, user, cliente, lines=3, notas="Con nota")
        self.kind.make(tenant)  # without a seller
        cancelled = self.kind.make_cancelled(tenant, user, cliente, por=admin_user)
        whole_second = self.kind.make(tenant, user)
        self.kind.set_creado_en(tenant, whole_second.pk, datetime(2026, 3, 1, 15, tzinfo=UTC))
        for make_special in self.kind.special:
            make_special(tenant, user, cliente)
        self.kind.make(other_tenant, None, make_cliente(other_tenant))

        rows = {row["id"]: row for row in admin_api.get(self.kind.list_url).json()}

        assert len(rows) == 4 + len(self.kind.special)
        for row in rows.values():
            assert set(row) == self.kind.row_fields
            detail = admin_api.get(self.kind.detail_url(row["id"])).json()
            assert set(detail) == self.kind.fields
            assert row == without_detail(detail)
            assert_iso_utc(row["creadoEn"])
        assert (rows[three_lines.pk]["cantidadItems"], rows[three_lines.pk]["total"]) == (3, 30.0)
        assert rows[whole_second.pk]["creadoEn"] == "2026-03-01T15:00:00Z"
        assert_iso_utc(rows[cancelled.pk]["canceladaEn"])

    # -- cliente and vendedor -----------------------------------------------------------------

    def test_cliente_keeps_only_that_customers_documents(self, admin_api, tenant, other_tenant):
        cliente = make_cliente(tenant)
        own = [self.kind.make(tenant, cliente=cliente).pk for _ in range(2)]
        self.kind.make(tenant, cliente=make_cliente(tenant))
        self.kind.make(tenant)
        self.kind.make(other_tenant, cliente=make_cliente(other_tenant))

        assert self.listed(admin_api, cliente=cliente.pk) == sorted(own, reverse=True)

    def test_a_customer_of_another_tenant_lists_nothing(self, admin_api, tenant, other_tenant):
        ajeno = make_cliente(other_tenant)
        self.kind.make(other_tenant, cliente=ajeno)
        self.kind.make(tenant, cliente=make_cliente(tenant))

        assert self.listed(admin_api, cliente=ajeno.pk) == []

    def test_an_admin_filters_by_vendedor(
        self, admin_api, admin_user, user, colega, tenant, other_tenant
    ):
        own = [self.kind.make(tenant, user).pk for _ in range(2)]
        for vendedor in (colega, admin_user, None):
            self.kind.make(tenant, vendedor)
        self.kind.make(other_tenant)

        assert self.listed(admin_api, vendedor=user.pk) == sorted(own, reverse=True)

    def test_vendedor_is_ignored_for_a_usuario(self, api, user, colega, tenant, other_tenant):
        mine = self.kind.make(tenant, user).pk
        self.kind.make(tenant, colega)
        self.kind.make(other_tenant)

        assert self.listed(api, vendedor=colega.pk) == [mine]
        assert self.listed(api, vendedor=user.pk) == [mine]

    @pytest.mark.parametrize(
        ("name", "value"),
        [("cliente", "abc"), ("cliente", "99999999999999999999"), ("cliente", "0"),
         ("cliente", "-1"), ("cliente", "-3"), ("vendedor", "1.5"), ("vendedor", "abc"),
         ("vendedor", "99999999999999999999")],
    )  # fmt: skip
    def test_an_invalid_cliente_or_vendedor_is_400_naming_it(self, admin_api, tenant, name, value):
        self.kind.make(tenant)

        assert_validation_error(admin_api.get(self.kind.list_url, {name: value}), name)

    def test_an_invalid_vendedor_is_400_for_a_usuario_too(self, api, user, tenant):
        self.kind.make(tenant, user)

        assert_validation_error(api.get(self.kind.list_url, {"vendedor": "abc"}), "vendedor")
