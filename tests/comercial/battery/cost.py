"""The SQL cost of a document's routes does not grow with the number of documents or items."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.comercial.helpers import create_body, created, event_types, ids, item, post
from tests.comercial.kind import KindTests
from tests.factories import make_cliente


class CostTests(KindTests):
    def documents(self, tenant, n: int, *, lines: int, vendedor=None, por=None) -> list[int]:
        """``n`` documents with ``lines`` items and a customer each, every third cancelled."""
        pks = []
        for i in range(n):
            cliente = make_cliente(tenant)
            if i % 3 == 0:
                document = self.kind.make_cancelled(tenant, vendedor, cliente, lines=lines, por=por)
            else:
                document = self.kind.make(tenant, vendedor, cliente, lines=lines)
            pks.append(document.pk)
        return pks

    def test_the_list_costs_the_same_for_3_or_60_documents_with_many_items(
        self, admin_api, admin_user, user, tenant, other_tenant, django_assert_num_queries
    ):
        self.documents(other_tenant, 5, lines=4)
        self.documents(tenant, 3, lines=8, vendedor=user, por=admin_user)
        with CaptureQueriesContext(connection) as few:
            assert len(ids(admin_api.get(self.kind.list_url))) == 3
        assert len(few) <= 4

        many = self.documents(tenant, 57, lines=8, vendedor=admin_user, por=admin_user)
        for make_special in self.kind.special:
            make_special(tenant, user, make_cliente(tenant))
        with django_assert_num_queries(len(few)):
            rows = admin_api.get(self.kind.list_url).json()

        assert len(rows) == 60 + len(self.kind.special)
        assert {row["cantidadItems"] for row in rows if row["id"] in many} == {8}

    def test_a_usuarios_filtered_list_costs_the_same_for_3_or_60_documents(
        self, api, tenant, user, django_assert_num_queries
    ):
        cliente = make_cliente(tenant)
        for _ in range(3):
            self.kind.make(tenant, user, cliente)
        params = {"cliente": str(cliente.pk), **self.kind.vigentes}
        with CaptureQueriesContext(connection) as few:
            assert len(ids(api.get(self.kind.list_url, params))) == 3

        for _ in range(57):
            self.kind.make(tenant, user, cliente)
        with django_assert_num_queries(len(few)):
            assert len(ids(api.get(self.kind.list_url, params))) == 60

    def test_the_detail_costs_a_fixed_number_of_queries(
        self, admin_api, admin_user, user, tenant, django_assert_num_queries
    ):
        [small] = self.documents(tenant, 1, lines=1, vendedor=user, por=admin_user)
        [large] = self.documents(tenant, 1, lines=150, vendedor=user, por=admin_user)

        with CaptureQueriesContext(connection) as one_item:
            assert len(admin_api.get(self.kind.detail_url(small)).json()["items"]) == 1
        assert len(one_item) <= 5
        with django_assert_num_queries(len(one_item)):
            body = admin_api.get(self.kind.detail_url(large)).json()

        assert len(body["items"]) == 150
        assert event_types(body) == ["CREADA", "CANCELADA"]

    def test_create_costs_the_same_for_1_or_200_items(self, api, tenant):
        cliente = make_cliente(tenant)
        post(api, self.kind.list_url, create_body(clienteId=cliente.pk))  # the first numero

        with CaptureQueriesContext(connection) as one_item:
            created(post(api, self.kind.list_url, create_body(clienteId=cliente.pk)))
        with CaptureQueriesContext(connection) as many_items:
            lines = [item(f"Línea {i}", i + 1, 100) for i in range(200)]
            body = created(post(api, self.kind.list_url, create_body(*lines, clienteId=cliente.pk)))

        assert len(body["items"]) == 200
        assert len(many_items) == len(one_item) <= 7

    def test_the_detail_reads_items_and_events_by_tenant_and_document(self, api, tenant, user):
        # The items' and events' indexes lead with tenant_id (composite keys): a look-up by the
        # document's id alone would scan the whole index.
        document = self.kind.make(tenant, user, make_cliente(tenant))
        with CaptureQueriesContext(connection) as queries:
            assert api.get(self.kind.detail_url(document.pk)).status_code == 200

        tables = self.kind.tables()
        reads = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
        assert len(reads) == 2
        key = f'"{self.kind.parent}_id" IN '
        assert all('"tenant_id" = ' in sql and key in sql for sql in reads), reads
