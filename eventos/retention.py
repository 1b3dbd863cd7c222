"""Keeping the feed to ``EVENTOS_RETENCION_DIAS`` days: older events are deleted, and the
highest ``secuencia`` deleted is kept, so a cursor older than what is kept answers 410."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from eventos.models import Evento, Secuencia


@transaction.atomic
def purge_events(*, tenant_id: int) -> int:
    """Delete the tenant's numbered events older than the retention; returns how many."""
    before = timezone.now() - timedelta(days=settings.EVENTOS_RETENCION_DIAS)
    old = Evento.objects.for_tenant(tenant_id).filter(en__lt=before, secuencia__isnull=False)
    highest = old.aggregate(highest=Max("secuencia"))["highest"]
    if highest is None:
        return 0
    # Everything up to the highest old one goes, so the kept events are one unbroken run.
    deleted, _ = Evento.objects.for_tenant(tenant_id).filter(secuencia__lte=highest).delete()
    Secuencia.objects.for_tenant(tenant_id).filter(purgada_hasta__lt=highest).update(
        purgada_hasta=highest
    )
    return deleted
