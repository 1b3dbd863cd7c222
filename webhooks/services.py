"""Writes of webhook subscriptions and deliveries (ADMIN only, the services say so)."""

import uuid
from datetime import timedelta

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.errors import ConflictError, DomainError
from eventos.models import TIPOS
from eventos.selectors import last_secuencia
from eventos.serializers import EventoSerializer
from tenants.api.permissions import require_admin
from tenants.models import Tenant, User
from webhooks import signing
from webhooks.addresses import checked_url
from webhooks.delivery import Attempt, post
from webhooks.models import TODOS, Entrega, Suscripcion

MENSAJE_SOLO_ADMIN = "Solo un administrador puede gestionar webhooks"
MENSAJE_TIPOS = "Tipos desconocidos: {tipos}"
MENSAJE_MAXIMO = "Como máximo {n} suscripciones por empresa"
ROTATION_OVERLAP = timedelta(hours=24)
CREATE_LOCK = 0x57_48_4B  # the advisory lock class of subscription creates ("WHK")
OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC


def check_tipos(tipos: list[str]) -> list[str]:
    """The subscription's types: known ones, or ``["*"]`` for every one."""
    unknown = sorted(set(tipos) - {*TIPOS, TODOS})
    if unknown:
        raise DomainError(MENSAJE_TIPOS.format(tipos=", ".join(unknown)))
    return [TODOS] if TODOS in tipos else list(dict.fromkeys(tipos))


@transaction.atomic
def suscripcion_create(*, tenant: Tenant, data: dict, por: User | None) -> Suscripcion:
    """A new subscription with a new secret; it hears the events from now on."""
    require_admin(por, MENSAJE_SOLO_ADMIN)
    # Row locks cannot stop a concurrent insert; this lock makes creates of one tenant take
    # turns, so the second of two racing for the last place counts the first one's row.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CREATE_LOCK, tenant.pk])
    if Suscripcion.objects.for_tenant(tenant).count() >= settings.WEBHOOKS_MAX_PER_TENANT:
        raise ConflictError(MENSAJE_MAXIMO.format(n=settings.WEBHOOKS_MAX_PER_TENANT))
    return Suscripcion.objects.create(
        tenant=tenant,
        url=checked_url(data["url"]),
        tipos=check_tipos(data["tipos"]),
        descripcion=data.get("descripcion"),
        secreto=signing.new_secret(),
        ultima_secuencia=last_secuencia(tenant_id=tenant.pk),
    )


@transaction.atomic
def suscripcion_update(*, suscripcion: Suscripcion, data: dict, por: User | None) -> Suscripcion:
    """Change ``url``, ``tipos``, ``descripcion`` or ``activo``. Re-enabled, it hears the
    events from then on: nothing of the time it was off is sent on its own."""
    require_admin(por, MENSAJE_SOLO_ADMIN)
    suscripcion = _locked(suscripcion)
    if "url" in data:
        suscripcion.url = checked_url(data["url"])
    if "tipos" in data:
        suscripcion.tipos = check_tipos(data["tipos"])
    if "descripcion" in data:
        suscripcion.descripcion = data["descripcion"]
    if data.get("activo") is True and not suscripcion.activo:
        suscripcion.ultima_secuencia = last_secuencia(tenant_id=suscripcion.tenant_id)
        suscripcion.fallando_desde = None
    if "activo" in data:
        suscripcion.activo = data["activo"]
    suscripcion.save()
    return suscripcion


@transaction.atomic
def suscripcion_delete(*, suscripcion: Suscripcion, por: User | None) -> None:
    """The subscription and its deliveries."""
    require_admin(por, MENSAJE_SOLO_ADMIN)
    Entrega.objects.for_tenant(suscripcion.tenant_id).filter(suscripcion=suscripcion).delete()
    # By tenant and id in SQL: Django's cascade would look for deliveries again, by id alone,
    # and Citus would run that on every shard.
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM webhooks_suscripcion WHERE tenant_id = %s AND id = %s",
            [suscripcion.tenant_id, suscripcion.pk],
        )


@transaction.atomic
def secret_rotate(*, suscripcion: Suscripcion, por: User | None) -> Suscripcion:
    """A new secret; the old one keeps signing beside it for 24 hours."""
    require_admin(por, MENSAJE_SOLO_ADMIN)
    suscripcion = _locked(suscripcion)
    suscripcion.secreto_anterior = suscripcion.secreto
    suscripcion.secreto_anterior_hasta = timezone.now() + ROTATION_OVERLAP
    suscripcion.secreto = signing.new_secret()
    suscripcion.save(update_fields=["secreto", "secreto_anterior", "secreto_anterior_hasta"])
    return suscripcion


def signing_secrets(suscripcion: Suscripcion) -> list[str]:
    """The secrets that sign now: the current one, and the replaced one for its 24 hours."""
    hasta = suscripcion.secreto_anterior_hasta
    if suscripcion.secreto_anterior and hasta and hasta > timezone.now():
        return [suscripcion.secreto, suscripcion.secreto_anterior]
    return [suscripcion.secreto]


def send(suscripcion: Suscripcion, *, msg_id: str, body: bytes) -> Attempt:
    """One signed POST of ``body`` to the subscription's URL."""
    headers = signing.headers(
        signing_secrets(suscripcion),
        msg_id=msg_id,
        timestamp=int(timezone.now().timestamp()),
        body=body,
    )
    return post(suscripcion.url, body, headers, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS)


def event_body(evento) -> bytes:
    """The event as the feed shows it: the body of its deliveries."""
    return orjson.dumps(EventoSerializer(evento).data, option=OPTIONS)


def probe(*, suscripcion: Suscripcion, por: User | None) -> Attempt:
    """Send a ``webhook.prueba`` event now and say what the receiver answered."""
    require_admin(por, MENSAJE_SOLO_ADMIN)
    msg_id = f"evt_{uuid.uuid4().hex}"
    usuario = {"id": por.pk, "nombre": por.nombre} if por is not None else None
    evento = {
        "id": msg_id,
        "secuencia": None,
        "tipo": "webhook.prueba",
        "en": timezone.now(),
        "usuario": usuario,
        "datos": {"suscripcionId": suscripcion.pk},
    }
    return send(suscripcion, msg_id=msg_id, body=orjson.dumps(evento, option=OPTIONS))


def _locked(suscripcion: Suscripcion) -> Suscripcion:
    return (
        Suscripcion.objects.for_tenant(suscripcion.tenant_id)
        .select_for_update()
        .get(pk=suscripcion.pk)
    )
