"""The worker (``manage.py worker``, procrastinate on PostgreSQL) numbers the feed and keeps it
to its retention; run here for real against the test database."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from eventos.models import Evento, Secuencia
from eventos.retention import purge_events
from eventos.tasks import secuenciar_eventos
from tests.eventos.helpers import defer_periodic
from tests.factories import make_cliente

FEED = "/api/eventos"


@pytest.mark.django_db(transaction=True)
def test_the_worker_numbers_every_tenants_committed_events(
    tenant, other_tenant, worker_connections_closed
):
    make_cliente(tenant, nombre="Ana")
    make_cliente(other_tenant, nombre="Luis")
    make_cliente(tenant, nombre="Eva")
    defer_periodic(secuenciar_eventos, timestamp=0)

    call_command("worker", "--una-vez")

    numbered = Evento.objects.unscoped().order_by("tenant_id", "secuencia")
    assert [(e.tenant_id, e.secuencia) for e in numbered] == sorted(
        [(tenant.pk, 1), (tenant.pk, 2), (other_tenant.pk, 1)]
    )


@pytest.mark.django_db
def test_events_older_than_the_retention_are_purged_and_older_cursors_are_410(
    admin_api, tenant, settings
):
    settings.EVENTOS_RETENCION_DIAS = 90
    for nombre in ("Vieja", "Vieja 2", "Nueva"):
        make_cliente(tenant, nombre=nombre)
    admin_api.get(FEED)  # numbers them
    old = timezone.now() - timedelta(days=91)
    Evento.objects.for_tenant(tenant).filter(secuencia__lte=2).update(en=old)

    assert purge_events(tenant_id=tenant.pk) == 2

    assert Secuencia.objects.for_tenant(tenant).get().purgada_hasta == 2
    assert admin_api.get(FEED, {"despues": 1}).status_code == 410
    assert [e["secuencia"] for e in admin_api.get(FEED, {"despues": 2}).json()] == [3]
    # Starting again from 0 is always possible: from the oldest event kept.
    assert [e["secuencia"] for e in admin_api.get(FEED, {"despues": 0}).json()] == [3]


@pytest.mark.django_db
def test_purging_keeps_what_is_within_the_retention(tenant):
    make_cliente(tenant, nombre="Ana")

    assert purge_events(tenant_id=tenant.pk) == 0
    assert Evento.objects.for_tenant(tenant).count() == 1
