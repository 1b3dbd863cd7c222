"""POST /api/cotizaciones/{id}/cancelar: who may, the motivo, the states it applies to."""

from datetime import timedelta

import pytest
import time_machine

from tenants.models import User
from tests.conftest import token_client
from tests.cotizaciones.helpers import (
    COTIZACION_FIELDS,
    NO_ENCONTRADA,
    assert_validation_error,
    cancel_url,
    detail_url,
    event_types,
    frozen_now,
    iso,
    make,
    make_cancelada,
    make_convertida,
    ref,
    set_valida_hasta,
    stored,
    written,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db

YA_CANCELADA = {"error": "La cotización ya está cancelada"}
CONVERTIR_CANCELADA = {"error": "La cotización está cancelada"}
YA_CONVERTIDA = {
    "error": "No se puede cancelar una cotización ya convertida. Cancela la venta resultante."
}


@pytest.fixture
def admin(tenant):
    return make_user(tenant, rol=User.Rol.ADMIN)


@pytest.fixture
def admin_api(admin):
    return token_client(admin)


@pytest.fixture
def pendiente(tenant, user):
    """A PENDIENTE quotation sold by ``user`` (the ``api`` client)."""
    return make(tenant, user)


def cancel(client, cotizacion, motivo="El cliente desistió"):
    return client.post(cancel_url(cotizacion.pk), {"motivo": motivo}, format="json")


def cancelled(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


# -- 200 and the Cotizacion it answers ---------------------------------------------------------


def test_the_seller_cancels_a_pending_quotation(api, user, pendiente):
    now = frozen_now()

    with time_machine.travel(now, tick=False):
        body = cancelled(cancel(api, pendiente, "  El cliente desistió \n"))

    assert set(body) == COTIZACION_FIELDS
    assert (body["id"], body["estado"], body["vencida"]) == (pendiente.pk, "CANCELADA", False)
    assert body["canceladaEn"] == iso(now)
    assert body["canceladaPor"] == ref(user)
    assert body["motivoCancelacion"] == "El cliente desistió"
    assert (body["ventaId"], body["convertidaEn"]) == (None, None)


def test_cancelling_appends_a_cancelada_event_after_the_creada_one(api, user, pendiente):
    now = frozen_now()

    with time_machine.travel(now, tick=False):
        body = cancelled(cancel(api, pendiente, "El cliente desistió"))

    assert event_types(body) == ["CREADA", "CANCELADA"]
    assert body["eventos"][1] == {
        "tipo": "CANCELADA",
        "usuario": ref(user),
        "en": iso(now),
        "motivo": "El cliente desistió",
    }


def test_cancelling_stores_the_cancellation(api, user, tenant, pendiente):
    body = cancelled(cancel(api, pendiente))

    cotizacion = stored(tenant, pendiente.pk)
    assert cotizacion.estado == "CANCELADA"
    assert (cotizacion.cancelada_por_id, cotizacion.motivo_cancelacion) == (
        user.pk,
        "El cliente desistió",
    )
    assert api.get(detail_url(pendiente.pk)).json() == body


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


# -- who may cancel ------------------------------------------------------------------------------


def test_an_admin_cancels_another_sellers_quotation(admin_api, admin, user, pendiente):
    body = cancelled(cancel(admin_api, pendiente))

    assert body["vendedor"] == ref(user)
    assert body["canceladaPor"] == ref(admin)
    assert body["eventos"][1]["usuario"] == ref(admin)


def test_an_admin_cancels_their_own_quotation(admin_api, admin, tenant):
    assert cancelled(cancel(admin_api, make(tenant, admin)))["canceladaPor"] == ref(admin)


@pytest.mark.parametrize("seller", ["colega", "admin"])
def test_another_usuario_of_the_tenant_gets_404_and_changes_nothing(api, tenant, admin, seller):
    vendedor = make_user(tenant) if seller == "colega" else admin
    cotizacion = make(tenant, vendedor)
    before = written(tenant)

    response = cancel(api, cotizacion)

    assert (response.status_code, response.json()) == (404, NO_ENCONTRADA)
    assert written(tenant) == before


def test_another_tenants_quotation_is_404_and_changes_nothing(admin_api, other_tenant, other_user):
    ajena = make(other_tenant, other_user)
    before = written(other_tenant)

    response = cancel(admin_api, ajena)

    assert (response.status_code, response.json()) == (404, NO_ENCONTRADA)
    assert written(other_tenant) == before


def test_a_missing_quotation_is_404(api, pendiente):
    response = api.post(cancel_url(pendiente.pk + 10_000), {"motivo": "x"}, format="json")

    assert (response.status_code, response.json()) == (404, NO_ENCONTRADA)


# -- motivo --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [{}, {"motivo": None}, {"motivo": ""}, {"motivo": "   \n "}, {"motivo": "x" * 501},
     {"motivo": 42}, {"motivo": ["no"]}, {"razon": "El cliente desistió"}],
    ids=["missing", "null", "empty", "blank", "501-chars", "number", "list", "other-field"],
)  # fmt: skip
def test_motivo_is_required_trimmed_and_at_most_500_characters(api, tenant, pendiente, body):
    before = written(tenant)

    response = api.post(cancel_url(pendiente.pk), body, format="json")

    assert_validation_error(response, "motivo")
    assert written(tenant) == before


@pytest.mark.parametrize("motivo", ["x", "x" * 500, "  " + "x" * 500 + "  "])
def test_motivo_of_1_to_500_characters_after_trimming_is_accepted(api, pendiente, motivo):
    body = cancelled(cancel(api, pendiente, motivo))

    assert body["motivoCancelacion"] == motivo.strip()


def test_a_body_that_is_not_an_object_is_400(api, tenant, pendiente):
    response = api.post(cancel_url(pendiente.pk), ["motivo"], format="json")

    assert response.status_code == 400, response.content
    assert stored(tenant, pendiente.pk).estado == "PENDIENTE"


# -- states that cannot be cancelled -------------------------------------------------------------


def test_cancelling_a_cancelled_quotation_is_409_and_changes_nothing(api, user, tenant):
    cotizacion = make_cancelada(tenant, user)
    before = written(tenant)

    response = cancel(api, cotizacion, "Otra vez")

    assert (response.status_code, response.json()) == (409, YA_CANCELADA)
    assert written(tenant) == before
    assert stored(tenant, cotizacion.pk).motivo_cancelacion == "Se arrepintió"


def test_cancelling_twice_over_http_answers_409_the_second_time(api, pendiente):
    cancelled(cancel(api, pendiente, "Primera"))

    second = cancel(api, pendiente, "Segunda")

    assert (second.status_code, second.json()) == (409, YA_CANCELADA)
    assert event_types(api.get(detail_url(pendiente.pk)).json()) == ["CREADA", "CANCELADA"]


def test_cancelling_a_converted_quotation_is_409_and_changes_nothing(admin_api, user, tenant):
    cotizacion = make_convertida(tenant, user)
    before = written(tenant)

    response = cancel(admin_api, cotizacion)

    assert (response.status_code, response.json()) == (409, YA_CONVERTIDA)
    assert written(tenant) == before
    assert stored(tenant, cotizacion.pk).estado == "CONVERTIDA"


def test_a_converted_quotation_past_its_date_is_still_409(api, user, tenant):
    cotizacion = make_convertida(tenant, user)
    set_valida_hasta(tenant, cotizacion, frozen_now() - timedelta(days=30))

    response = cancel(api, cotizacion)

    assert (response.status_code, response.json()) == (409, YA_CONVERTIDA)


def test_the_cancelled_quotation_can_no_longer_be_converted(api, pendiente):
    cancelled(cancel(api, pendiente))

    response = api.post(f"/api/cotizaciones/{pendiente.pk}/convertir")

    assert (response.status_code, response.json()) == (
        409,
        {"error": "La cotización está cancelada"},
    )
