"""``Idempotency-Key`` on POST /api/cotizaciones/{id}/convertir: the first conversion runs, the
same one again answers the stored status and body with ``Idempotent-Replayed: true`` and makes
no other sale, another request with the key is a 422. Create and cancel with a key: the
document battery (``tests/comercial``); the rules shared by every route (format, scope,
24 hours): ``tests/ventas/test_idempotency.py``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cotizaciones.models import Cotizacion
from tests.comercial.helpers import KEY, OTRA_SOLICITUD, assert_replay_of, post, replayed, written
from tests.cotizaciones.helpers import (
    VENCIDA,
    cancel_url,
    convert_url,
    make,
    set_valida_hasta,
    stored,
)
from ventas.models import Venta

pytestmark = pytest.mark.django_db

MOTIVO = {"motivo": "El cliente compró en otra parte"}


def convert(client, cotizacion, key=KEY):
    """POST …/convertir with no body, as the contract allows."""
    return client.post(convert_url(cotizacion.pk), HTTP_IDEMPOTENCY_KEY=key)


def test_converting_with_a_key_replays_the_sale_and_makes_only_one(api, user, tenant):
    cotizacion = make(tenant, user)

    original = convert(api, cotizacion)
    before = written()
    replay = convert(api, cotizacion)

    assert original.status_code == 201, original.content
    venta = original.json()["venta"]
    assert original["Location"] == f"/api/ventas/{venta['id']}"
    assert original.json()["cotizacion"]["estado"] == "CONVERTIDA"
    # Not the 409 "ya está convertida": the stored 201, with the sale's Location, again.
    assert_replay_of(replay, original)
    assert written() == before  # one sale, one CONVERTIDA event, numbering unchanged
    assert [v.pk for v in Venta.objects.for_tenant(tenant)] == [venta["id"]]
    assert stored(tenant, cotizacion.pk).venta_id == venta["id"]


def test_a_conversion_sent_with_an_empty_json_body_replays_one_sent_without_body(api, user, tenant):
    cotizacion = make(tenant, user)
    original = convert(api, cotizacion)

    replay = post(api, convert_url(cotizacion.pk), {}, KEY)

    assert_replay_of(replay, original)
    assert Venta.objects.for_tenant(tenant).count() == 1


def convert_another(api, tenant, user, cotizacion):
    return convert(api, make(tenant, user))


def cancel_it(api, tenant, user, cotizacion):
    return post(api, cancel_url(cotizacion.pk), MOTIVO, KEY)


@pytest.mark.parametrize(
    ("first_use", "status", "estado"),
    [
        pytest.param(
            convert_another, 201, Cotizacion.Estado.PENDIENTE, id="conversion-of-another-quotation"
        ),
        pytest.param(
            cancel_it, 200, Cotizacion.Estado.CANCELADA, id="cancellation-of-that-quotation"
        ),
    ],
)
def test_the_key_of_another_request_on_a_conversion_is_422(
    api, user, tenant, first_use, status, estado
):
    cotizacion = make(tenant, user)
    assert first_use(api, tenant, user, cotizacion).status_code == status
    before = written()

    response = convert(api, cotizacion)

    assert (response.status_code, response.json()) == (422, OTRA_SOLICITUD)
    assert written() == before
    assert stored(tenant, cotizacion.pk).estado == estado


def test_a_refused_conversion_is_replayed_even_once_it_would_succeed(api, user, tenant):
    """The stored 409 answers again: the replay never runs the conversion."""
    cotizacion = make(tenant, user)
    set_valida_hasta(tenant, cotizacion, timezone.now() - timedelta(minutes=1))
    original = convert(api, cotizacion)
    assert (original.status_code, original.json()) == (409, VENCIDA)
    set_valida_hasta(tenant, cotizacion, timezone.now() + timedelta(days=1))

    replay = convert(api, cotizacion)

    assert_replay_of(replay, original)
    assert Venta.objects.for_tenant(tenant).count() == 0
    assert stored(tenant, cotizacion.pk).estado == Cotizacion.Estado.PENDIENTE
    fresh = convert(api, cotizacion, key="otro-intento")  # a new key runs it
    assert fresh.status_code == 201 and not replayed(fresh)


def test_an_admin_using_the_sellers_key_converts_another_quotation(api, admin_api, user, tenant):
    """The key belongs to (tenant, user): the same key of another member is theirs."""
    primera, segunda = make(tenant, user), make(tenant, user)
    convert(api, primera)

    response = convert(admin_api, segunda)

    assert response.status_code == 201 and not replayed(response), response.content
    assert stored(tenant, segunda.pk).estado == Cotizacion.Estado.CONVERTIDA
    assert sorted(Venta.objects.for_tenant(tenant).values_list("numero", flat=True)) == [1, 2]
