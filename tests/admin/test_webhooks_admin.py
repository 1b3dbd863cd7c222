"""Webhooks in the admin: a shop's staff see their own subscriptions (never a secret) and
deliveries, and can send a delivery again."""

import pytest

from eventos.models import Evento
from tests.factories import make_cliente
from webhooks.models import Entrega, Suscripcion
from webhooks.signing import new_secret

pytestmark = pytest.mark.django_db

SUSCRIPCIONES = "/admin/webhooks/suscripcion/"
ENTREGAS = "/admin/webhooks/entrega/"


def delivery(tenant, estado="fallida") -> Entrega:
    make_cliente(tenant, nombre="Ana")
    suscripcion = Suscripcion.objects.create(
        tenant=tenant, url="https://93.184.216.34/hook", tipos=["*"], secreto=new_secret()
    )
    evento = Evento.objects.for_tenant(tenant).first()
    return Entrega.objects.create(
        tenant=tenant, suscripcion=suscripcion, evento=evento, estado=estado, intentos=8
    )


def test_subscriptions_are_listed_without_their_secret(staff, tenant, other_tenant):
    own, other = delivery(tenant), delivery(other_tenant)

    listing = staff.get(SUSCRIPCIONES)
    page = staff.get(f"{SUSCRIPCIONES}{own.suscripcion_id}/change/")

    assert {row.pk for row in listing.context["cl"].result_list} == {own.suscripcion_id}
    assert own.suscripcion.secreto not in page.content.decode()
    assert staff.get(f"{SUSCRIPCIONES}{other.suscripcion_id}/change/").status_code in {302, 404}


def test_a_failed_delivery_is_sent_again_from_the_admin(staff, tenant, other_tenant):
    entrega, ajena = delivery(tenant), delivery(other_tenant)

    response = staff.post(
        ENTREGAS, {"action": "reintentar", "_selected_action": [entrega.pk, ajena.pk]}
    )

    assert response.status_code == 302
    assert Entrega.objects.for_tenant(tenant).get(pk=entrega.pk).estado == "pendiente"
    assert Entrega.objects.for_tenant(other_tenant).get(pk=ajena.pk).estado == "fallida"
