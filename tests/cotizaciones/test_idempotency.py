"""``Idempotency-Key`` on POST /api/cotizaciones, …/{id}/cancelar and …/{id}/convertir: the
first request runs, the same one again answers the stored status and body with
``Idempotent-Replayed: true`` and changes nothing, another one with the key is a 422. The rules
shared by every route (format, scope, 24 hours) are in ``tests/ventas/test_idempotency.py``."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_create
from documentos.services import NewItem
from tenants.models import User
from tests.conftest import token_client
from tests.factories import make_user
from tests.hardening.conftest import data_snapshot
from tests.ventas.test_idempotency import (
    BODY,
    KEY,
    OTRA_SOLICITUD,
    assert_replay_of,
    post,
    replayed,
)
from ventas.models import Venta

pytestmark = pytest.mark.django_db

LIST_URL = "/api/cotizaciones"
MOTIVO = {"motivo": "El cliente compró en otra parte"}


def convert_url(cotizacion) -> str:
    return f"{LIST_URL}/{cotizacion.pk}/convertir"


def cancel_url(cotizacion) -> str:
    return f"{LIST_URL}/{cotizacion.pk}/cancelar"


def convert(client, cotizacion, key=KEY):
    """POST …/convertir with no body, as the contract allows."""
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(convert_url(cotizacion), **headers)


def quotation(tenant, vendedor, **kwargs) -> Cotizacion:
    return cotizacion_create(
        tenant=tenant,
        vendedor=vendedor,
        items=[
            NewItem("Cemento gris 50 kg", Decimal(2), Decimal(32900)),
            NewItem("Arena lavada m3", Decimal(1), Decimal("85000.50")),
        ],
        **kwargs,
    )


def stored(tenant, cotizacion) -> Cotizacion:
    return Cotizacion.objects.for_tenant(tenant).get(pk=cotizacion.pk)


# -- create ----------------------------------------------------------------------------------


def test_creating_a_quotation_with_a_key_replays_status_body_and_location(api, tenant):
    original = post(api, LIST_URL, {**BODY, "diasValidez": 15})
    before = data_snapshot()

    replay = post(api, LIST_URL, {**BODY, "diasValidez": 15})

    assert original.status_code == 201, original.content
    assert original["Location"] == f"{LIST_URL}/{original.json()['id']}"
    assert original.json()["estado"] == "PENDIENTE"
    assert_replay_of(replay, original)
    assert data_snapshot() == before  # quotations, items, events, numbering, stored keys
    assert Cotizacion.objects.for_tenant(tenant).count() == 1


def test_creating_a_quotation_with_a_used_key_and_another_body_is_422(api, tenant):
    post(api, LIST_URL, {**BODY, "diasValidez": 15})
    before = data_snapshot()

    response = post(api, LIST_URL, {**BODY, "diasValidez": 30})

    assert (response.status_code, response.json()) == (422, OTRA_SOLICITUD)
    assert data_snapshot() == before


# -- convertir -------------------------------------------------------------------------------


def test_converting_with_a_key_replays_the_sale_and_makes_only_one(api, user, tenant):
    cotizacion = quotation(tenant, user)

    original = convert(api, cotizacion)
    before = data_snapshot()
    replay = convert(api, cotizacion)

    assert original.status_code == 201, original.content
    venta = original.json()["venta"]
    assert original["Location"] == f"/api/ventas/{venta['id']}"
    assert original.json()["cotizacion"]["estado"] == "CONVERTIDA"
    # Not the 409 "ya está convertida": the stored 201, with the sale's Location, again.
    assert_replay_of(replay, original)
    assert data_snapshot() == before  # one sale, one CONVERTIDA event, numbering unchanged
    assert [v.pk for v in Venta.objects.for_tenant(tenant)] == [venta["id"]]
    assert stored(tenant, cotizacion).venta_id == venta["id"]


def test_a_conversion_sent_with_an_empty_json_body_replays_one_sent_without_body(api, user, tenant):
    cotizacion = quotation(tenant, user)
    original = convert(api, cotizacion)

    replay = post(api, convert_url(cotizacion), {})

    assert_replay_of(replay, original)
    assert Venta.objects.for_tenant(tenant).count() == 1


def test_the_key_of_one_conversion_on_another_quotation_is_422(api, user, tenant):
    primera, segunda = quotation(tenant, user), quotation(tenant, user)
    assert convert(api, primera).status_code == 201
    before = data_snapshot()

    response = convert(api, segunda)

    assert (response.status_code, response.json()) == (422, OTRA_SOLICITUD)
    assert data_snapshot() == before
    assert stored(tenant, segunda).estado == Cotizacion.Estado.PENDIENTE


def test_the_key_of_a_cancellation_on_the_conversion_of_that_quotation_is_422(api, user, tenant):
    cotizacion = quotation(tenant, user)
    assert post(api, cancel_url(cotizacion), MOTIVO).status_code == 200
    before = data_snapshot()

    response = convert(api, cotizacion)

    assert (response.status_code, response.json()) == (422, OTRA_SOLICITUD)
    assert data_snapshot() == before
    assert stored(tenant, cotizacion).estado == Cotizacion.Estado.CANCELADA


def test_a_refused_conversion_is_replayed_even_once_it_would_succeed(api, user, tenant):
    """The stored 409 answers again: the replay never runs the conversion."""
    cotizacion = quotation(tenant, user)
    Cotizacion.objects.for_tenant(tenant).filter(pk=cotizacion.pk).update(
        valida_hasta=timezone.now() - timedelta(minutes=1)
    )
    original = convert(api, cotizacion)
    assert (original.status_code, original.json()) == (
        409,
        {"error": "La cotización está vencida. Cancélala y crea una nueva."},
    )
    Cotizacion.objects.for_tenant(tenant).filter(pk=cotizacion.pk).update(
        valida_hasta=timezone.now() + timedelta(days=1)
    )

    replay = convert(api, cotizacion)

    assert_replay_of(replay, original)
    assert Venta.objects.for_tenant(tenant).count() == 0
    assert stored(tenant, cotizacion).estado == Cotizacion.Estado.PENDIENTE
    fresh = convert(api, cotizacion, key="otro-intento")  # a new key runs it
    assert fresh.status_code == 201 and not replayed(fresh)


def test_an_admin_using_the_sellers_key_converts_another_quotation(api, user, tenant):
    """The key belongs to (tenant, user): the same key of another member is theirs."""
    primera, segunda = quotation(tenant, user), quotation(tenant, user)
    convert(api, primera)
    admin = token_client(make_user(tenant, rol=User.Rol.ADMIN))

    response = convert(admin, segunda)

    assert response.status_code == 201 and not replayed(response), response.content
    assert stored(tenant, segunda).estado == Cotizacion.Estado.CONVERTIDA
    assert sorted(Venta.objects.for_tenant(tenant).values_list("numero", flat=True)) == [1, 2]


# -- cancelar --------------------------------------------------------------------------------


def test_cancelling_with_a_key_replays_and_records_one_event(api, user, tenant):
    cotizacion = quotation(tenant, user)

    original = post(api, cancel_url(cotizacion), MOTIVO)
    before = data_snapshot()
    replay = post(api, cancel_url(cotizacion), MOTIVO)

    assert original.status_code == 200, original.content
    assert original.json()["estado"] == "CANCELADA"
    assert [e["tipo"] for e in original.json()["eventos"]] == ["CREADA", "CANCELADA"]
    # Not the 409 "ya está cancelada": the stored 200 again, and still one CANCELADA event.
    assert_replay_of(replay, original)
    assert data_snapshot() == before


def test_cancelling_with_a_used_key_and_another_reason_is_422(api, user, tenant):
    cotizacion = quotation(tenant, user)
    post(api, cancel_url(cotizacion), MOTIVO)
    before = data_snapshot()

    response = post(api, cancel_url(cotizacion), {"motivo": "Otro motivo"})

    assert (response.status_code, response.json()) == (422, OTRA_SOLICITUD)
    assert data_snapshot() == before
    assert stored(tenant, cotizacion).motivo_cancelacion == MOTIVO["motivo"]


def test_a_forbidden_cancellation_is_stored_and_replayed(tenant):
    """Another USUARIO may not cancel the seller's quotation (they do not even see it: 404);
    that answer is kept under their key like any other below 500."""
    seller = make_user(tenant)
    cotizacion = quotation(tenant, seller)
    other = token_client(make_user(tenant))

    original = post(other, cancel_url(cotizacion), MOTIVO)
    before = data_snapshot()

    assert original.status_code == 404, original.content
    assert_replay_of(post(other, cancel_url(cotizacion), MOTIVO), original)
    assert data_snapshot() == before
    assert stored(tenant, cotizacion).estado == Cotizacion.Estado.PENDIENTE
