"""Publishing a change to the tenant's feed: called by the services that make the change, in
its transaction, so a rolled-back change has no event and a committed one always has one."""

from collections.abc import Callable, Iterable
from functools import cache

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from eventos.models import TIPOS, Evento
from tenants.models import User


def event(*, tenant_id: int, tipo: str, datos: dict, por: User | None = None) -> Evento:
    """An unsaved event by ``por`` (named only when a member of the tenant: a platform
    superuser or a command is null)."""
    if tipo not in TIPOS:
        raise ValueError(f"unknown event type {tipo!r}")
    member = getattr(por, "tenant_id", None) == tenant_id
    return Evento(
        tenant_id=tenant_id,
        tipo=tipo,
        datos=datos,
        usuario=por if member else None,
        en=timezone.now(),
    )


def publish(*, tenant_id: int, tipo: str, datos: dict, por: User | None = None) -> None:
    """Write one event of the tenant (call inside the change's transaction)."""
    event(tenant_id=tenant_id, tipo=tipo, datos=datos, por=por).save(force_insert=True)


def publish_json(*, tenant_id: int, tipo: str, datos: str, por: User | None = None) -> int:
    """``publish`` of ``datos`` already written as JSON text (a document as PostgreSQL read
    it for its detail): stored as it came, by an ``INSERT`` written once from the model, with
    no Python object built from it; returns the event's id (a sale completes its event with
    its number: ``comercial.services.take_number``)."""
    evento = event(tenant_id=tenant_id, tipo=tipo, datos=None, por=por)
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_json_sql(),
            [evento.tenant_id, evento.uid, evento.tipo, evento.en, evento.usuario_id, datos],
        )
        return cursor.fetchone()[0]


@cache
def _insert_json_sql() -> str:
    quote = connection.ops.quote_name
    fields = ("tenant", "uid", "tipo", "en", "usuario", "datos")
    columns = ", ".join(quote(Evento._meta.get_field(name).column) for name in fields)
    return (
        f"INSERT INTO {quote(Evento._meta.db_table)} ({columns}) "  # noqa: S608 - the model's
        f"VALUES (%s, %s, %s, %s, %s, %s::jsonb) RETURNING {quote(Evento._meta.pk.column)}"
    )


def publish_all(events: Iterable[Evento]) -> None:
    """Write ``event()``s of one tenant in one statement."""
    Evento.objects.bulk_create(list(events))


def rewrite_events(*, tenant_id: int, matching: Q, rewrite: Callable[[dict], dict]) -> int:
    """Replace ``datos`` of the tenant's events ``matching`` (a filter on them) by
    ``rewrite(datos)`` when that changes them (erasure of a person); returns how many."""
    rewritten = 0
    for evento in Evento.objects.for_tenant(tenant_id).filter(matching).iterator():
        datos = rewrite(evento.datos)
        if datos != evento.datos:
            evento.datos = datos
            evento.save(update_fields=["datos"])
            rewritten += 1
    return rewritten
