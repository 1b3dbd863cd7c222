"""The rules every route with ``Idempotency-Key`` shares, shown on POST /api/ventas: what makes
another request (body, path, method), whose key it is (tenant and user), the key's format, the
answers kept (errors too), the 24-hour life of a kept answer and its purge. A replay of each
document's create and cancel: the document battery (``tests/comercial/battery``); of a
conversion: ``tests/cotizaciones/test_idempotency.py``; concurrent requests with one key:
``tests/hardening/test_sales_idempotency_races.py``."""

import itertools
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from tenants.api.idempotency import idempotent
from tenants.models import IdempotentRequest
from tests.clients import token_client
from tests.comercial import helpers
from tests.comercial.helpers import (
    BODY,
    KEY,
    OTRA_SOLICITUD,
    assert_replay_of,
    replayed,
    written,
)
from tests.factories import make_user
from ventas.models import Venta

pytestmark = pytest.mark.django_db

CLAVE_INVALIDA = "La cabecera Idempotency-Key no es válida"
VISIBLE_ASCII = "".join(chr(c) for c in range(0x21, 0x7F))


def post(client, path="/api/ventas", body=BODY, key=KEY):
    """POST ``body`` as JSON, with ``Idempotency-Key: key`` unless ``key`` is None."""
    return helpers.post(client, path, body, key)


def stored_keys() -> list[tuple]:
    return sorted(
        IdempotentRequest.objects.unscoped().values_list("tenant_id", "usuario_id", "clave")
    )


def aged(tenant, **filters) -> None:
    """Make the tenant's stored answers (matching ``filters``) older than 24 hours."""
    IdempotentRequest.objects.for_tenant(tenant).filter(**filters).update(
        creado_en=timezone.now() - timedelta(hours=24, minutes=1)
    )


# -- the same request ------------------------------------------------------------------------


def test_key_order_and_spacing_of_the_body_do_not_make_another_request(api):
    original = post(api)
    text = json.dumps({"notas": BODY["notas"], "items": BODY["items"]}, indent=3)

    replay = api.post(
        "/api/ventas", text, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY
    )

    assert_replay_of(replay, original)
    assert Venta.objects.unscoped().count() == 1


# -- the same key with another request -----------------------------------------------------------


def test_the_same_key_on_another_path_is_422_and_writes_nothing(admin_api):
    venta = post(admin_api).json()
    before = written()

    for path, body in (
        ("/api/cotizaciones", BODY),
        (f"/api/ventas/{venta['id']}/cancelar", {"motivo": "Cobro doble"}),
    ):
        response = post(admin_api, path, body)
        assert (response.status_code, response.json()) == (422, OTRA_SOLICITUD), path
    assert written() == before  # no quotation, the sale not cancelled


class Probe(APIView):
    """A view answering POST and PUT on one path, both with ``Idempotency-Key``: no route of
    the API does (``create``, ``cancelar`` and ``convertir`` are POST only), so the method's
    part of a request is shown on this one."""

    runs = itertools.count(1)

    @idempotent
    def post(self, request):
        return Response({"run": next(self.runs)}, status=201)

    @idempotent
    def put(self, request):
        return Response({"run": next(self.runs)}, status=200)


def test_the_same_key_with_another_method_is_422(user):
    factory = APIRequestFactory()

    def call(method: str):
        request = getattr(factory, method)(
            "/api/probe", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY=KEY
        )
        force_authenticate(request, user=user)
        response = Probe.as_view()(request)
        return response.render() if hasattr(response, "render") else response  # a replay

    first = call("post")
    other = call("put")
    again = call("post")

    assert first.status_code == 201 and not replayed(first)
    assert (other.status_code, json.loads(other.content)) == (422, OTRA_SOLICITUD)
    assert (again.status_code, again.content, replayed(again)) == (201, first.content, True)
    assert len(stored_keys()) == 1


# -- whose key it is -----------------------------------------------------------------------------


def test_another_user_of_the_tenant_with_the_same_key_runs_their_own_request(api, tenant):
    mine = post(api)
    colleague = make_user(tenant)

    theirs = post(token_client(colleague))

    assert theirs.status_code == 201 and not replayed(theirs)
    assert theirs.json()["id"] != mine.json()["id"]
    assert theirs.json()["numero"] == 2
    assert theirs.json()["vendedor"]["id"] == colleague.pk
    assert Venta.objects.for_tenant(tenant).count() == 2
    assert_replay_of(post(api), mine)


def test_a_user_of_another_tenant_with_the_same_key_runs_their_own_request(
    api, other_api, tenant, other_tenant
):
    mine = post(api)

    theirs = post(other_api)

    assert theirs.status_code == 201 and not replayed(theirs)
    assert theirs.json()["numero"] == 1  # numbered in their own tenant
    assert Venta.objects.for_tenant(other_tenant).get().pk == theirs.json()["id"]
    assert Venta.objects.for_tenant(tenant).count() == 1
    assert [t for t, _, _ in stored_keys()] == sorted([tenant.pk, other_tenant.pk])
    assert_replay_of(post(api), mine)


# -- the key itself ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["", "a" * 256, "con espacio", "clave-ñ", "clave\x01", "\t", "tecla\x7f", " lead"],
    ids=["empty", "256-chars", "space", "non-ascii", "control", "tab", "del", "leading-space"],
)
def test_an_invalid_key_is_400_and_writes_nothing(api, key):
    before = written()

    response = post(api, key=key)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == CLAVE_INVALIDA
    assert set(body["detalles"]) == {"Idempotency-Key"}
    assert written() == before
    assert stored_keys() == []


@pytest.mark.parametrize(
    "key",
    ["!", "~", "7", (VISIBLE_ASCII * 3)[:255]],
    ids=["bang", "tilde", "digit", "255-visible-chars"],
)
def test_keys_of_1_to_255_visible_ascii_characters_are_accepted(api, key):
    original = post(api, key=key)

    assert original.status_code == 201, original.content
    assert [clave for _, _, clave in stored_keys()] == [key]
    assert_replay_of(post(api, key=key), original)


def test_routes_without_idempotency_ignore_the_header(api):
    post(api, key=None)

    listed = api.get("/api/ventas", HTTP_IDEMPOTENCY_KEY="no es válida")

    assert listed.status_code == 200 and not replayed(listed)
    assert stored_keys() == []


# -- error answers are kept too ------------------------------------------------------------------


def test_a_validation_error_is_stored_and_replayed(api):
    original = post(api, body={"items": []})

    assert original.status_code == 400, original.content
    before = written()
    assert_replay_of(post(api, body={"items": []}), original)
    assert written() == before
    assert Venta.objects.unscoped().count() == 0
    # The key is spent on that request: a corrected body needs a new key.
    assert post(api).status_code == 422


# -- 24 hours ------------------------------------------------------------------------------------


def test_a_key_younger_than_24_hours_still_replays(api):
    original = post(api)

    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59), tick=False):
        replay = post(api)

    assert_replay_of(replay, original)
    assert Venta.objects.unscoped().count() == 1


def test_a_key_older_than_24_hours_is_purged_and_runs_a_new_request(api, tenant):
    original = post(api)

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1), tick=False):
        again = post(api)

    assert again.status_code == 201 and not replayed(again)
    assert again.json()["id"] != original.json()["id"] and again.json()["numero"] == 2
    assert Venta.objects.for_tenant(tenant).count() == 2
    [stored] = IdempotentRequest.objects.for_tenant(tenant)
    assert json.loads(bytes(stored.cuerpo)) == again.json()  # the new answer is the kept one
    assert_replay_of(post(api), again)


def test_any_request_with_a_key_purges_the_tenants_expired_keys(
    api, user, tenant, other_api, other_user, other_tenant
):
    colleague = make_user(tenant)
    post(api, key="vieja-1")
    post(token_client(colleague), key="vieja-2")
    post(token_client(colleague), key="reciente")
    post(other_api, key="vieja-ajena")
    aged(tenant, clave__startswith="vieja")
    aged(other_tenant)
    assert len(stored_keys()) == 4

    post(api, key="nueva")  # no command, no cron: the request itself purges

    # Every expired key of the tenant (any user's) is gone; the recent one and the other
    # tenant's keys stay.
    assert stored_keys() == sorted(
        [
            (tenant.pk, colleague.pk, "reciente"),
            (tenant.pk, user.pk, "nueva"),
            (other_tenant.pk, other_user.pk, "vieja-ajena"),
        ]
    )
    post(other_api, key="nueva-ajena")  # the other tenant's own request purges its own
    assert [k for k in stored_keys() if k[0] == other_tenant.pk] == [
        (other_tenant.pk, other_user.pk, "nueva-ajena")
    ]
