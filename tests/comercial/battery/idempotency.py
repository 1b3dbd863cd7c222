"""``Idempotency-Key`` on a document's create and cancel: the first request runs, the same one
again answers the stored status and body (``Idempotent-Replayed: true``) and writes nothing,
another one with the key is a 422. The key's own rules (format, scope, 24 hours) are shown on
the sales route in ``tests/ventas/test_idempotency.py``."""

from tenants.models import IdempotentRequest
from tests.comercial.helpers import (
    BODY,
    KEY,
    OTRA_SOLICITUD,
    assert_replay_of,
    event_types,
    post,
    replayed,
    written,
)
from tests.comercial.kind import KindTests

MOTIVO = {"motivo": "Cobro doble"}


class IdempotencyTests(KindTests):
    # -- create -----------------------------------------------------------------------------------

    def test_the_first_create_with_a_key_runs_and_keeps_its_answer(self, api, tenant, user):
        response = post(api, self.kind.list_url, BODY, KEY)

        assert response.status_code == 201, response.content
        body = response.json()
        assert response["Location"] == self.kind.detail_url(body["id"])
        assert not replayed(response)
        assert (body["numero"], body["total"]) == (1, 167250.5)
        assert self.kind.model.objects.for_tenant(tenant).get().pk == body["id"]
        stored = IdempotentRequest.objects.for_tenant(tenant).get()
        assert (stored.usuario_id, stored.clave, stored.status) == (user.pk, KEY, 201)

    def test_the_same_key_and_create_replays_the_answer_and_writes_nothing(self, api, tenant):
        original = post(api, self.kind.list_url, BODY, KEY)
        before = written()

        for _ in range(2):
            assert_replay_of(post(api, self.kind.list_url, BODY, KEY), original)
        assert written() == before  # documents, items, events, numbering, stored keys
        assert self.kind.model.objects.for_tenant(tenant).count() == 1

    def test_the_same_key_with_another_body_is_422_and_writes_nothing(self, api):
        original = post(api, self.kind.list_url, BODY, KEY)
        before = written()

        response = post(api, self.kind.list_url, {**BODY, "notas": "Entregar el martes"}, KEY)

        assert (response.status_code, response.json()) == (422, OTRA_SOLICITUD)
        assert not replayed(response)
        assert written() == before
        assert_replay_of(post(api, self.kind.list_url, BODY, KEY), original)  # still the first's

    def test_without_the_header_two_identical_creates_make_two_documents(self, api, tenant):
        first, second = (post(api, self.kind.list_url, BODY) for _ in range(2))

        assert (first.status_code, second.status_code) == (201, 201)
        assert not replayed(first) and not replayed(second)
        assert [first.json()["numero"], second.json()["numero"]] == [1, 2]
        assert self.kind.model.objects.for_tenant(tenant).count() == 2
        assert not IdempotentRequest.objects.unscoped().exists()

    # -- cancel -----------------------------------------------------------------------------------

    def test_cancelling_with_a_key_replays_and_records_one_event(self, admin_api, tenant):
        url = self.kind.cancel_url(self.kind.make(tenant).pk)

        original = post(admin_api, url, MOTIVO, KEY)
        before = written()
        replay = post(admin_api, url, MOTIVO, KEY)

        assert original.status_code == 200, original.content
        assert event_types(original.json()) == ["CREADA", "CANCELADA"]
        assert_replay_of(replay, original)  # not a 409 "ya está cancelada": nothing ran
        assert written() == before

    def test_cancelling_with_a_used_key_and_another_motivo_is_422(self, admin_api, tenant):
        document = self.kind.make(tenant)
        url = self.kind.cancel_url(document.pk)
        post(admin_api, url, MOTIVO, KEY)
        before = written()

        response = post(admin_api, url, {"motivo": "Otro motivo"}, KEY)

        assert (response.status_code, response.json()) == (422, OTRA_SOLICITUD)
        assert written() == before
        assert self.kind.stored(tenant, document.pk).motivo_cancelacion == MOTIVO["motivo"]

    def test_a_refused_cancellation_is_kept_and_replayed(self, admin_api, tenant):
        url = self.kind.cancel_url(self.kind.make(tenant).pk)
        assert post(admin_api, url, {"motivo": "Primera"}, "otra").status_code == 200

        original = post(admin_api, url, {"motivo": "Segunda"}, KEY)
        before = written()

        assert (original.status_code, original.json()) == (
            409,
            {"error": self.kind.already_cancelled},
        )
        assert_replay_of(post(admin_api, url, {"motivo": "Segunda"}, KEY), original)
        assert written() == before

    def test_a_cancellation_hidden_from_a_usuario_is_kept_and_replayed(self, api, colega, tenant):
        """Another USUARIO does not see the seller's document (404); that answer is kept under
        their key like any other below 500."""
        document = self.kind.make(tenant, colega)
        url = self.kind.cancel_url(document.pk)

        original = post(api, url, MOTIVO, KEY)
        before = written()

        assert original.status_code == 404, original.content
        assert_replay_of(post(api, url, MOTIVO, KEY), original)
        assert written() == before
        assert self.kind.stored(tenant, document.pk).cancelada_en is None
