"""What the webhook subscription tests share: the routes, a valid body, rows made through
the services and read back as the database holds them."""

import base64
import socket

from eventos.sequencing import sequence_events
from tests.factories import make_cliente
from webhooks.dispatch import fan_out
from webhooks.models import Entrega, Suscripcion
from webhooks.services import suscripcion_create

SOLO_ADMIN = {"error": "Solo un administrador puede gestionar webhooks"}
DIRECCION = "La URL apunta a una dirección no permitida (local, privada o reservada)"
MAXIMO = "Como máximo 20 suscripciones por empresa"
NO_ENCONTRADA = {"error": "Suscripción no encontrada"}
PUBLIC_URL = "https://93.184.216.34/hook"  # a public literal: no DNS (the sandbox has none)
SHOWN = {"id", "url", "tipos", "descripcion", "activo", "fallandoDesde", "creadoEn"}
BODY = {"url": PUBLIC_URL, "tipos": ["venta.creada"], "descripcion": "Contabilidad"}

# Every route of the resource; ``{id}`` a subscription, ``{entrega}`` one of its deliveries.
ROUTES = [
    ("get", "/api/webhooks"),
    ("post", "/api/webhooks"),
    ("get", "/api/webhooks/{id}"),
    ("patch", "/api/webhooks/{id}"),
    ("delete", "/api/webhooks/{id}"),
    ("post", "/api/webhooks/{id}/rotar-secreto"),
    ("post", "/api/webhooks/{id}/probar"),
    ("get", "/api/webhooks/{id}/entregas"),
    ("post", "/api/webhooks/{id}/entregas/{entrega}/reintentar"),
]
DETAIL_ROUTES = [route for route in ROUTES if "{id}" in route[1]]


def make_suscripcion(tenant, url=PUBLIC_URL, tipos=("*",), descripcion=None) -> Suscripcion:
    data = {"url": url, "tipos": list(tipos), "descripcion": descripcion}
    return suscripcion_create(tenant=tenant, data=data, por=None)


def make_entrega(tenant, suscripcion) -> Entrega:
    """A failed delivery of a new event of ``tenant`` to ``suscripcion``."""
    make_cliente(tenant)
    sequence_events(tenant_id=tenant.pk)
    fan_out()
    entrega = Entrega.objects.for_tenant(tenant).get(suscripcion=suscripcion)
    Entrega.objects.for_tenant(tenant).filter(pk=entrega.pk).update(
        estado=Entrega.Estado.FALLIDA, proximo_intento=None, intentos=8
    )
    return entrega


def stored(suscripcion) -> dict | None:
    """Every column of the subscription as the database holds it (None: it is gone)."""
    rows = Suscripcion.objects.for_tenant(suscripcion.tenant_id).filter(pk=suscripcion.pk)
    return rows.values().first()


def stored_entrega(entrega) -> dict | None:
    return Entrega.objects.for_tenant(entrega.tenant_id).filter(pk=entrega.pk).values().first()


def call(client, method, template, **ids):
    path = template.format(**ids)
    if method in {"post", "patch"}:
        return getattr(client, method)(path, BODY, format="json")
    return getattr(client, method)(path)


def secret_bytes(secreto: str) -> bytes:
    return base64.b64decode(secreto.removeprefix("whsec_"), validate=True)


def closed_port() -> int:
    """A local port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
