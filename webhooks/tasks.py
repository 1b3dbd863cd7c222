"""The worker's jobs for webhooks (procrastinate, run by ``manage.py worker``)."""

from asgiref.sync import sync_to_async
from procrastinate.contrib.django import app

from webhooks.dispatch import attempt, claim_due, fan_out


@app.periodic(cron="* * * * * *")  # every second
@app.task(queue="webhooks", queueing_lock="repartir_entregas")
async def repartir_entregas(timestamp: int) -> int:
    """Make the new events' deliveries and hand each due one to a job of its own (so any
    number of workers share them); how many were handed."""
    await sync_to_async(fan_out)()
    due = await sync_to_async(claim_due)()
    if due:
        await entregar.batch_defer_async(
            *({"tenant_id": tenant_id, "entrega_id": pk} for tenant_id, pk in due)
        )
    return len(due)


@app.task(queue="webhooks")
def entregar(tenant_id: int, entrega_id: int) -> str | None:
    """One attempt of one delivery; its new state."""
    entrega = attempt(tenant_id=tenant_id, entrega_id=entrega_id)
    return entrega.estado if entrega else None
