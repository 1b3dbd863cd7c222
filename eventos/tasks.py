"""The worker's jobs for the feed (procrastinate, run by ``manage.py worker``)."""

from django.conf import settings
from procrastinate.contrib.django import app

from eventos.models import Evento, Secuencia
from eventos.retention import purge_events
from eventos.sequencing import sequence_events


@app.periodic(cron="* * * * * *")  # every second: the feed's and the webhooks' freshness
@app.task(queue="eventos", queueing_lock="secuenciar_eventos")
def secuenciar_eventos(timestamp: int) -> int:
    """Number the committed events of every tenant that has some unnumbered; how many."""
    tenants = (
        Evento.objects.unscoped()
        .filter(secuencia__isnull=True)
        .values_list("tenant_id", flat=True)
        .distinct()
    )
    return sum(sequence_events(tenant_id=tenant_id) for tenant_id in tenants)


@app.periodic(cron="17 * * * *")  # hourly
@app.task(queue="eventos", queueing_lock="purgar_eventos")
def purgar_eventos(timestamp: int) -> int:
    """Delete every tenant's events older than ``EVENTOS_RETENCION_DIAS``; how many."""
    tenants = Secuencia.objects.unscoped().values_list("tenant_id", flat=True)
    return sum(purge_events(tenant_id=tenant_id) for tenant_id in tenants)


@app.periodic(cron="* * * * * */15")  # every 15 seconds (croniter: seconds last)
@app.task(queue="eventos", queueing_lock="recuperar_trabajos")
async def recuperar_trabajos(timestamp: int) -> int:
    """Hand the jobs of workers that stopped (killed, their machine gone) to the living:
    a job is at least once, never lost with its worker."""
    stalled = list(
        await app.job_manager.get_stalled_jobs(
            seconds_since_heartbeat=settings.WORKER_STALLED_SECONDS
        )
    )
    for job in stalled:
        await app.job_manager.retry_job(job)
    return len(stalled)
