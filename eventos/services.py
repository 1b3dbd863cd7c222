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


def publish_selected(
    *, tenant_id: int, tipo: str, select: str, params: list, por: User | None = None
) -> int:
    """``publish`` of the ``datos`` that ``select`` (SQL of one row and one JSON column, with
    its ``params``) reads: read and stored by one ``INSERT ... SELECT``, with no Python object
    built from them; returns the event's id (a sale completes its event with its number:
    ``comercial.services.take_number``)."""
    evento = event(tenant_id=tenant_id, tipo=tipo, datos=None, por=por)
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_selected_sql(select),
            [evento.tenant_id, evento.uid, evento.tipo, evento.en, evento.usuario_id, *params],
        )
        return cursor.fetchone()[0]


def _insert_selected_sql(select: str) -> str:
    return f"{_insert_head()} FROM ({select}) AS selected (datos) RETURNING {_pk()}"


@cache
def _insert_head() -> str:
    quote = connection.ops.quote_name
    fields = ("tenant", "uid", "tipo", "en", "usuario", "datos")
    columns = ", ".join(quote(Evento._meta.get_field(name).column) for name in fields)
    # The model's own names; the values are parameters.
    return (
        f"INSERT INTO {quote(Evento._meta.db_table)} ({columns}) "
        "SELECT %s, %s, %s, %s, %s, selected.datos::jsonb"
    )


@cache
def _pk() -> str:
    return connection.ops.quote_name(Evento._meta.pk.column)


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
