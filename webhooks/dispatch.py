"""From the feed to the receivers: deliveries are made for the events each subscription wants
(in ``secuencia`` order, from the subscription's own cursor on the feed, so none is missed),
claimed when due, attempted one at a time, and rescheduled with backoff when they fail."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from eventos.models import Evento
from eventos.sequencing import sequence_events
from tenants.api.permissions import require_admin
from tenants.models import User
from webhooks.models import Entrega, Suscripcion
from webhooks.services import MENSAJE_SOLO_ADMIN, event_body, send

FAN_OUT_BATCH = 1000
# A claimed delivery whose job never ran (its worker died before) is due again after this.
CLAIM_LEASE = timedelta(seconds=90)


def fan_out() -> int:
    """Make the deliveries of every active subscription's new events; how many.

    The tenants with subscriptions have their events numbered first, in the same round: a
    change reaches its receivers one round after its commit, not two."""
    subscriptions = list(
        Suscripcion.objects.unscoped().filter(activo=True).values_list("pk", "tenant_id")
    )
    for tenant_id in {tenant_id for _, tenant_id in subscriptions}:
        sequence_events(tenant_id=tenant_id)
    return sum(_fan_out_one(tenant_id=tenant_id, pk=pk) for pk, tenant_id in subscriptions)


@transaction.atomic
def _fan_out_one(*, tenant_id: int, pk: int) -> int:
    suscripcion = (
        Suscripcion.objects.for_tenant(tenant_id)
        .select_for_update(skip_locked=True)
        .filter(pk=pk, activo=True)
        .first()
    )
    if suscripcion is None:  # another worker is at it, or it was just switched off
        return 0
    eventos = list(
        Evento.objects.for_tenant(tenant_id)
        .filter(secuencia__gt=suscripcion.ultima_secuencia)
        .order_by("secuencia")
        .values_list("pk", "tipo", "secuencia")[:FAN_OUT_BATCH]
    )
    if not eventos:
        return 0
    now = timezone.now()
    Entrega.objects.for_tenant(tenant_id).bulk_create(
        Entrega(tenant_id=tenant_id, suscripcion=suscripcion, evento_id=pk_, proximo_intento=now)
        for pk_, tipo, _ in eventos
        if suscripcion.wants(tipo)
    )
    suscripcion.ultima_secuencia = eventos[-1][2]
    suscripcion.save(update_fields=["ultima_secuencia"])
    return sum(suscripcion.wants(tipo) for _, tipo, _ in eventos)


def claim_due(limit: int = 500) -> list[tuple[int, int]]:
    """``(tenant_id, entrega_id)`` of pending deliveries due now, leased to the caller.

    Locked tenant by tenant: on Citus a row lock names the shard's key."""
    now = timezone.now()
    due = Entrega.objects.unscoped().filter(
        estado=Entrega.Estado.PENDIENTE, proximo_intento__lte=now
    )
    claimed: list[tuple[int, int]] = []
    for tenant_id in due.values_list("tenant_id", flat=True).distinct():
        with transaction.atomic():
            ids = list(
                due.filter(tenant_id=tenant_id)
                .select_for_update(skip_locked=True)
                .order_by("proximo_intento", "id")
                .values_list("pk", flat=True)[: limit - len(claimed)]
            )
            Entrega.objects.for_tenant(tenant_id).filter(pk__in=ids).update(
                proximo_intento=now + CLAIM_LEASE
            )
        claimed += [(tenant_id, pk) for pk in ids]
        if len(claimed) >= limit:
            break
    return claimed


@transaction.atomic
def attempt(*, tenant_id: int, entrega_id: int) -> Entrega | None:
    """One attempt of a pending delivery, under its row lock (never two at once); None when
    another worker holds it or it is no longer pending."""
    entrega = (
        Entrega.objects.for_tenant(tenant_id)
        .select_for_update(skip_locked=True)
        .filter(pk=entrega_id, estado=Entrega.Estado.PENDIENTE)
        .first()
    )
    if entrega is None:
        return None
    suscripcion = Suscripcion.objects.for_tenant(tenant_id).get(pk=entrega.suscripcion_id)
    evento = (
        Evento.objects.for_tenant(tenant_id).select_related("usuario").get(pk=entrega.evento_id)
    )
    result = send(suscripcion, msg_id=evento.public_id, body=event_body(evento))
    entrega.intentos += 1
    entrega.ultimo_status, entrega.ultimo_error = result.status, result.error
    entrega.duracion_ms = result.duration_ms
    schedule = settings.WEBHOOKS_RETRY_SCHEDULE
    if result.delivered:
        entrega.estado, entrega.proximo_intento = Entrega.Estado.ENTREGADA, None
    elif entrega.intentos <= len(schedule):
        entrega.proximo_intento = timezone.now() + timedelta(seconds=schedule[entrega.intentos - 1])
    else:
        entrega.estado, entrega.proximo_intento = Entrega.Estado.FALLIDA, None
    entrega.save()
    _follow_health(suscripcion, delivered=result.delivered)
    return entrega


def _follow_health(suscripcion: Suscripcion, *, delivered: bool) -> None:
    """A success clears the failing run; a run of failures over the limit switches it off."""
    subscriptions = Suscripcion.objects.for_tenant(suscripcion.tenant_id).filter(pk=suscripcion.pk)
    if delivered:
        subscriptions.exclude(fallando_desde=None).update(fallando_desde=None)
        return
    now = timezone.now()
    subscriptions.filter(fallando_desde=None).update(fallando_desde=now)
    limit = now - timedelta(hours=settings.WEBHOOKS_DISABLE_AFTER_HOURS)
    subscriptions.filter(Q(fallando_desde__lte=limit)).update(activo=False)


@transaction.atomic
def entrega_retry(*, entrega: Entrega, por: User | None) -> Entrega:
    """Send a delivery again now (whatever its state): pending, due at once."""
    require_admin(por, MENSAJE_SOLO_ADMIN)
    Entrega.objects.for_tenant(entrega.tenant_id).filter(pk=entrega.pk).update(
        estado=Entrega.Estado.PENDIENTE, proximo_intento=timezone.now()
    )
    entrega.refresh_from_db()
    return entrega
