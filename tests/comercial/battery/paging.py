"""Paging of a document list: ``limite``, ``cursor`` and ``Link: <…>; rel="next"``."""

import pytest

from tests.comercial.helpers import assert_validation_error, ids, next_link, query_of
from tests.comercial.kind import KindTests
from tests.factories import make_cliente


class PagingTests(KindTests):
    # -- limite ---------------------------------------------------------------------------------

    def test_limite_returns_that_many_of_the_newest(self, api, user, tenant, other_tenant):
        own = self.kind.interleaved(tenant, other_tenant, 4, user)

        response = api.get(self.kind.list_url, {"limite": "2"})

        assert ids(response) == sorted(own, reverse=True)[:2]

    def test_limite_defaults_to_200(self, api, user, tenant, other_tenant):
        self.kind.bulk(other_tenant, 5)
        own = self.kind.bulk(tenant, 201, user)

        response = api.get(self.kind.list_url)

        assert ids(response) == own[::-1][:200]
        assert ids(api.get(next_link(response))) == [own[0]]

    def test_limite_above_500_is_capped_at_500(self, api, user, tenant, other_tenant):
        self.kind.bulk(other_tenant, 5)
        own = self.kind.bulk(tenant, 501, user)

        response = api.get(self.kind.list_url, {"limite": "100000"})

        assert ids(response) == own[::-1][:500]
        assert ids(api.get(next_link(response))) == [own[0]]

    @pytest.mark.parametrize("limite", ["abc", "0", "-1", "1.5", "", "2abc", "2x"])
    def test_a_limite_that_is_not_a_whole_number_of_at_least_1_is_400(
        self, api, user, tenant, limite
    ):
        self.kind.make(tenant, user)

        assert_validation_error(api.get(self.kind.list_url, {"limite": limite}), "limite")

    # -- cursor -------------------------------------------------------------------------------

    def test_cursor_returns_only_older_documents(self, api, user, tenant, other_tenant):
        own = self.kind.interleaved(tenant, other_tenant, 5, user)

        response = api.get(self.kind.list_url, {"cursor": str(own[3])})

        assert ids(response) == own[:3][::-1]

    @pytest.mark.parametrize("cursor", ["abc", "0", "-1", "1.5", "", "2x", "99999999999999999999"])
    def test_an_invalid_cursor_is_400(self, api, cursor):
        assert_validation_error(api.get(self.kind.list_url, {"cursor": cursor}), "cursor")

    # -- Link -----------------------------------------------------------------------------------

    def test_link_next_names_the_next_cursor_and_keeps_the_other_parameters(
        self, admin_api, user, colega, tenant, other_tenant
    ):
        cliente = make_cliente(tenant)
        own = [self.kind.make(tenant, user, cliente).pk for _ in range(3)]
        self.kind.make_cancelled(tenant, user, cliente)
        self.kind.make(tenant, colega, cliente)
        self.kind.make(tenant, user)
        self.kind.make(other_tenant)
        filters = {"cliente": str(cliente.pk), "vendedor": str(user.pk), **self.kind.vigentes}

        response = admin_api.get(self.kind.list_url, {**filters, "limite": "2"})

        assert ids(response) == [own[2], own[1]]
        query = query_of(next_link(response))
        assert query.pop("cursor") == [str(own[1])]
        assert query == {name: [value] for name, value in {**filters, "limite": "2"}.items()}
        assert ids(admin_api.get(next_link(response))) == [own[0]]

    @pytest.mark.parametrize("limite", ["3", "5"])
    def test_link_next_is_absent_when_nothing_is_left(
        self, api, user, tenant, other_tenant, limite
    ):
        self.kind.interleaved(tenant, other_tenant, 3, user)
        self.kind.bulk(other_tenant, 5)

        response = api.get(self.kind.list_url, {"limite": limite})

        assert len(ids(response)) == 3
        assert next_link(response) is None

    def test_walking_link_next_visits_every_document_once(self, api, user, tenant, other_tenant):
        own = self.kind.interleaved(tenant, other_tenant, 7, user)

        seen, pages, url = [], 0, f"{self.kind.list_url}?limite=3"
        while url is not None and pages < 10:
            response = api.get(url)
            seen.extend(ids(response))
            url = next_link(response)
            pages += 1

        assert seen == sorted(own, reverse=True)
        assert pages == 3
