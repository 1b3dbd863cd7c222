"""POST …/{id}/cancelar by an ADMIN: the answer, the motivo, once only, and who gets a 404.
What only one kind has (who else may cancel, until when) is in that kind's folder."""

import pytest
import time_machine

from tests import contract
from tests.comercial.helpers import (
    assert_validation_error,
    create_body,
    created,
    event_types,
    iso,
    item,
    post,
    ref,
    second_after,
    written,
)
from tests.comercial.kind import KindTests

CANCELLATION = {"canceladaEn", "canceladaPor", "motivoCancelacion", "eventos"}


class CancelTests(KindTests):
    def cancel(self, client, pk, motivo="Error de digitación"):
        return post(client, self.kind.cancel_url(pk), {"motivo": motivo})

    def cancelled(self, client, pk, motivo="Error de digitación") -> dict:
        response = self.cancel(client, pk, motivo)
        assert response.status_code == 200, response.content
        return response.json()

    # -- 200 and the document it answers ----------------------------------------------------------

    def test_cancelling_answers_the_document_with_who_when_and_why(
        self, admin_api, admin_user, api, tenant
    ):
        document = created(post(api, self.kind.list_url, create_body(item("A", 2, 100))))
        now = second_after(document)

        with time_machine.travel(now, tick=False):
            body = self.cancelled(admin_api, document["id"], "Cliente devolvió la mercancía")

        assert set(body) == self.kind.fields
        assert body["canceladaPor"] == ref(admin_user)
        assert body["motivoCancelacion"] == "Cliente devolvió la mercancía"
        assert body["canceladaEn"] == iso(now)
        assert {name: body[name] for name in self.kind.cancelled} == self.kind.cancelled
        unchanged = CANCELLATION | set(self.kind.cancelled)
        assert {k: v for k, v in body.items() if k not in unchanged} == {
            k: v for k, v in document.items() if k not in unchanged
        }
        stored = self.kind.stored(tenant, document["id"])
        assert (stored.cancelada_por_id, stored.cancelada_en) == (admin_user.pk, now)
        assert stored.motivo_cancelacion == "Cliente devolvió la mercancía"

    def test_the_answer_lists_creada_then_cancelada(self, admin_api, admin_user, api):
        document = created(post(api, self.kind.list_url, create_body()))

        body = self.cancelled(admin_api, document["id"], "Duplicada")

        eventos = body["eventos"]
        assert [set(e) for e in eventos] == [contract.EVENTO_FIELDS] * 2
        assert event_types(body) == ["CREADA", "CANCELADA"]
        assert eventos[0] == document["eventos"][0]
        assert (eventos[1]["usuario"], eventos[1]["motivo"]) == (ref(admin_user), "Duplicada")
        assert eventos[1]["en"] == body["canceladaEn"]

    def test_the_cancelled_document_reads_back_as_answered(self, admin_api, api, user, tenant):
        document = self.kind.make(tenant, user)

        body = self.cancelled(admin_api, document.pk)

        assert admin_api.get(self.kind.detail_url(document.pk)).json() == body
        assert api.get(self.kind.detail_url(document.pk)).json() == body

    # -- motivo -----------------------------------------------------------------------------------

    def test_motivo_is_trimmed(self, admin_api, tenant):
        document = self.kind.make(tenant)

        body = self.cancelled(admin_api, document.pk, "  \tDevolución\n ")

        assert body["motivoCancelacion"] == "Devolución"
        assert self.kind.stored(tenant, document.pk).motivo_cancelacion == "Devolución"

    @pytest.mark.parametrize("motivo", ["x", "m" * 500, "  " + "m" * 500 + "  "])
    def test_a_motivo_of_1_to_500_characters_after_trimming_is_accepted(
        self, admin_api, tenant, motivo
    ):
        body = self.cancelled(admin_api, self.kind.make(tenant).pk, motivo)

        assert body["motivoCancelacion"] == motivo.strip()

    @pytest.mark.parametrize(
        "body",
        [{}, {"motivo": ""}, {"motivo": "   \n\t "}, {"motivo": None}, {"motivo": "m" * 501},
         {"motivo": 5}, {"motivo": ["Devolución"]}, {"razon": "El cliente desistió"}],
        ids=["missing", "empty", "blank", "null", "501", "number", "list", "other-field"],
    )  # fmt: skip
    def test_an_invalid_motivo_is_400_and_changes_nothing(self, admin_api, tenant, body):
        document = self.kind.make(tenant)
        before = written()

        response = post(admin_api, self.kind.cancel_url(document.pk), body)

        assert_validation_error(response, "motivo")
        assert written() == before

    @pytest.mark.parametrize("text", ['"Devolución"', "[]", '["motivo"]', '{"motivo": "x"'])
    def test_a_body_that_is_not_a_json_object_is_400_and_changes_nothing(
        self, admin_api, tenant, text
    ):
        document = self.kind.make(tenant)
        before = written()

        response = admin_api.post(
            self.kind.cancel_url(document.pk), text, content_type="application/json"
        )

        assert response.status_code == 400
        assert set(response.json()) == {"error", "detalles"}
        assert written() == before

    # -- once -------------------------------------------------------------------------------------

    def test_cancelling_again_is_409_and_keeps_the_first_cancellation(self, admin_api, tenant):
        document = self.kind.make(tenant)
        first = self.cancelled(admin_api, document.pk, "Primera")
        before = written()

        response = self.cancel(admin_api, document.pk, "Segunda")

        assert (response.status_code, response.json()) == (
            409,
            {"error": self.kind.already_cancelled},
        )
        assert written() == before
        assert admin_api.get(self.kind.detail_url(document.pk)).json() == first
        assert event_types(first) == ["CREADA", "CANCELADA"]

    # -- whose documents --------------------------------------------------------------------------

    def test_an_admin_cancels_the_documents_of_any_seller_and_walk_ins(
        self, admin_api, admin_user, user, colega, tenant
    ):
        for vendedor in (user, colega, admin_user, None):
            document = self.kind.make(tenant, vendedor)

            body = self.cancelled(admin_api, document.pk)

            assert body["vendedor"] == (vendedor and ref(vendedor))
            assert body["canceladaPor"] == ref(admin_user)

    @pytest.mark.parametrize("owner", ["colega", "admin_user"])
    def test_a_usuario_gets_404_for_another_sellers_document_and_changes_nothing(
        self, request, api, tenant, owner
    ):
        document = self.kind.make(tenant, request.getfixturevalue(owner))
        before = written()

        self.assert_not_found(self.cancel(api, document.pk))
        assert written() == before

    def test_another_tenants_document_is_404_and_unchanged(self, admin_api, other_tenant):
        ajeno = self.kind.make(other_tenant)
        before = written()

        self.assert_not_found(self.cancel(admin_api, ajeno.pk))
        assert written() == before

    @pytest.mark.parametrize("pk", ["abc", "0", "987654321", "99999999999999999999", "1.5"])
    def test_a_non_numeric_missing_or_out_of_range_id_is_404(self, admin_api, tenant, pk):
        self.kind.make(tenant)

        self.assert_not_found(self.cancel(admin_api, pk))

    def test_anonymous_callers_cancel_nothing(self, anon, tenant):
        document = self.kind.make(tenant)
        before = written()

        assert self.cancel(anon, document.pk).status_code == 401
        assert written() == before
