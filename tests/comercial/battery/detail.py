"""GET of one document: who reads it, what is a 404; and no PUT, PATCH or DELETE (405)."""

import pytest

from tests.comercial.helpers import ref, written
from tests.comercial.kind import KindTests
from tests.factories import make_cliente


class DetailTests(KindTests):
    # -- who reads it -----------------------------------------------------------------------------

    def test_the_seller_reads_their_own_document(self, api, user, tenant):
        document = self.kind.make(tenant, user)

        response = api.get(self.kind.detail_url(document.pk))

        assert response.status_code == 200
        assert response.json()["vendedor"] == ref(user)

    def test_an_admin_reads_any_document_of_the_tenant(self, admin_api, user, tenant):
        document = self.kind.make(tenant, user)

        response = admin_api.get(self.kind.detail_url(document.pk))

        assert (response.status_code, response.json()["id"]) == (200, document.pk)

    @pytest.mark.parametrize("owner", ["colega", "admin_user", None])
    def test_another_sellers_document_is_404_for_a_usuario(self, request, api, tenant, owner):
        vendedor = owner and request.getfixturevalue(owner)
        document = self.kind.make(tenant, vendedor)

        self.assert_not_found(api.get(self.kind.detail_url(document.pk)))

    def test_another_tenants_document_is_404_even_for_an_admin(self, admin_api, other_tenant):
        ajeno = self.kind.make(other_tenant, None, make_cliente(other_tenant, nombre="Secreto"))

        response = admin_api.get(self.kind.detail_url(ajeno.pk))

        self.assert_not_found(response)
        assert "Secreto" not in response.content.decode()

    @pytest.mark.parametrize(
        "pk", ["abc", "0", "-1", "1.5", "1e3", "99999999999999999999", str(2**63), "%C2%B2"]
    )
    def test_a_non_numeric_or_out_of_range_id_is_404(self, admin_api, tenant, pk):
        self.kind.make(tenant)

        self.assert_not_found(admin_api.get(self.kind.detail_url(pk)))

    # -- 405 ------------------------------------------------------------------------------------

    @pytest.mark.parametrize("client", ["api", "admin_api"])
    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_a_document_changes_only_through_its_transitions(
        self, request, user, tenant, method, client
    ):
        url = self.kind.detail_url(self.kind.make(tenant, user).pk)
        before = written()

        response = getattr(request.getfixturevalue(client), method)(
            url, {"total": 1, "estado": "CANCELADA"}, format="json"
        )

        assert response.status_code == 405
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"error": f"Método {method.upper()} no permitido"}
        assert written() == before

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_the_collection_answers_405_to_put_patch_and_delete(self, api, user, tenant, method):
        self.kind.make(tenant, user)
        before = written()

        response = getattr(api, method)(self.kind.list_url, {}, format="json")

        assert response.status_code == 405
        assert response.json() == {"error": f"Método {method.upper()} no permitido"}
        assert written() == before
