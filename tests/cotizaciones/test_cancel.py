"""POST /api/cotizaciones/{id}/cancelar: what only quotations have. Their seller may cancel
them too, expired or not; a converted one is not cancelled. What every document's
cancellation does (by an ADMIN) is in ``tests/comercial/battery/cancel.py``."""

from datetime import timedelta

import pytest
import time_machine

from tests.comercial.helpers import frozen_now, iso, post, ref, written
from tests.cotizaciones.helpers import (
    CANCELAR_CONVERTIDA,
    ESTA_CANCELADA,
    cancel_url,
    convert_url,
    make,
    make_convertida,
    set_valida_hasta,
    stored,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pendiente(tenant, user):
    """A PENDIENTE quotation sold by ``user`` (the ``api`` client)."""
    return make(tenant, user)


def cancel(client, cotizacion, motivo="El cliente desistió"):
    return post(client, cancel_url(cotizacion.pk), {"motivo": motivo})


def cancelled(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


# -- the seller cancels, expired or not ----------------------------------------------------------


def test_the_seller_cancels_their_own_pending_quotation(api, user, tenant, pendiente):
    now = frozen_now()

    with time_machine.travel(now, tick=False):
        body = cancelled(cancel(api, pendiente, "El cliente desistió"))

    assert (body["estado"], body["canceladaPor"]) == ("CANCELADA", ref(user))
    assert body["eventos"][1] == {
        "tipo": "CANCELADA",
        "usuario": ref(user),
        "en": iso(now),
        "motivo": "El cliente desistió",
    }
    cotizacion = stored(tenant, pendiente.pk)
    assert (cotizacion.estado, cotizacion.cancelada_por_id) == ("CANCELADA", user.pk)


def test_an_expired_pending_quotation_can_be_cancelled(api, tenant, pendiente):
    now = frozen_now()
    set_valida_hasta(tenant, pendiente, now - timedelta(days=3))

    with time_machine.travel(now, tick=False):
        body = cancelled(cancel(api, pendiente))

    assert (body["estado"], body["vencida"]) == ("CANCELADA", False)


def test_a_quotation_at_its_exact_expiry_can_be_cancelled(api, tenant, pendiente):
    now = frozen_now()
    set_valida_hasta(tenant, pendiente, now)

    with time_machine.travel(now, tick=False):
        assert cancelled(cancel(api, pendiente))["estado"] == "CANCELADA"


# -- converted or cancelled ----------------------------------------------------------------------


def test_cancelling_a_converted_quotation_is_409_and_changes_nothing(admin_api, user, tenant):
    cotizacion = make_convertida(tenant, user)
    before = written()

    response = cancel(admin_api, cotizacion)

    assert (response.status_code, response.json()) == (409, CANCELAR_CONVERTIDA)
    assert written() == before
    assert stored(tenant, cotizacion.pk).estado == "CONVERTIDA"


def test_a_converted_quotation_past_its_date_is_still_409(api, user, tenant):
    cotizacion = make_convertida(tenant, user)
    set_valida_hasta(tenant, cotizacion, frozen_now() - timedelta(days=30))

    response = cancel(api, cotizacion)

    assert (response.status_code, response.json()) == (409, CANCELAR_CONVERTIDA)


def test_the_cancelled_quotation_can_no_longer_be_converted(api, pendiente):
    cancelled(cancel(api, pendiente))

    response = api.post(convert_url(pendiente.pk))

    assert (response.status_code, response.json()) == (409, ESTA_CANCELADA)
