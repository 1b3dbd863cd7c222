"""A customer's change history: one ``ClienteEvento`` per change, written in the change's own
transaction by the services (and the import), with what changed as
``{wire field: [before, after]}``; and the same change published to the tenant's feed
(``eventos``) with the customer as its detail shows it."""

from clientes.models import Cliente, ClienteEvento
from clientes.representation import WIRE_OF_COLUMN as WIRE_OF
from clientes.representation import as_api_answer
from eventos import services as feed
from tenants.linked_inserts import Dependent

Tipo = ClienteEvento.Tipo
FEED_TIPO = {
    Tipo.CREADO: "cliente.creado",
    Tipo.ACTUALIZADO: "cliente.actualizado",
    Tipo.ARCHIVADO: "cliente.archivado",
    Tipo.DESARCHIVADO: "cliente.desarchivado",
    Tipo.FUSIONADO: "cliente.fusionado",
    Tipo.ANONIMIZADO: "cliente.anonimizado",
}


def event(cliente: Cliente, tipo: str, *, por=None, cambios: dict | None = None) -> ClienteEvento:
    """An unsaved event of ``cliente`` by ``por``: a member of its tenant; None for commands
    and for a platform superuser (users are named inside their own tenant only)."""
    member = getattr(por, "tenant_id", None) == cliente.tenant_id
    return ClienteEvento(
        tenant_id=cliente.tenant_id,
        cliente=cliente,
        tipo=tipo,
        usuario=por if member else None,
        cambios=cambios,
    )


def record(cliente: Cliente, tipo: str, *, por=None, cambios: dict | None = None) -> None:
    """Write one event of ``cliente``, and publish it."""
    save_events([event(cliente, tipo, por=por, cambios=cambios)])


def creation_dependents(cliente: Cliente, *, por=None) -> list[Dependent]:
    """The rows a new ``cliente`` is written with (``tenants.linked_inserts``): its ``CREADO``
    event and that event in the tenant's feed, whose ``datos`` take the customer's id."""
    evento = event(cliente, Tipo.CREADO, por=por)
    return [
        Dependent([evento], takes={"cliente": "id"}),
        Dependent([_published(evento)], takes={"datos": "id"}),
    ]


def save_events(events: list[ClienteEvento]) -> None:
    """Write customers' events (of one tenant) and publish each to the tenant's feed."""
    ClienteEvento.objects.bulk_create(events)
    feed.publish_all(_published(evento) for evento in events)


def _published(evento: ClienteEvento):
    cliente = evento.cliente
    # An erased person: nothing of them, not even in the feed.
    erased = evento.tipo == Tipo.ANONIMIZADO
    datos = {"id": cliente.pk} if erased else as_api_answer(cliente)
    if evento.tipo == Tipo.ACTUALIZADO:
        datos["cambios"] = evento.cambios
    if evento.tipo == Tipo.FUSIONADO:
        datos["duplicadoId"] = evento.cambios["duplicadoId"][1]
    return feed.event(
        tenant_id=evento.tenant_id, tipo=FEED_TIPO[evento.tipo], datos=datos, por=evento.usuario
    )


def change_events(cliente: Cliente, before: dict, *, por=None) -> list[ClienteEvento]:
    """The events of an update (``before``: the former values of the columns it wrote):
    ``ACTUALIZADO`` with the fields that changed, ``ARCHIVADO``/``DESARCHIVADO``."""
    events = []
    cambios = {
        WIRE_OF[column]: [_json(old), _json(getattr(cliente, column))]
        for column, old in before.items()
        if column != "archivado" and old != getattr(cliente, column)
    }
    if cambios:
        events.append(event(cliente, ClienteEvento.Tipo.ACTUALIZADO, por=por, cambios=cambios))
    if "archivado" in before and before["archivado"] != cliente.archivado:
        archived = ClienteEvento.Tipo.ARCHIVADO
        tipo = archived if cliente.archivado else ClienteEvento.Tipo.DESARCHIVADO
        events.append(event(cliente, tipo, por=por))
    return events


def record_changes(cliente: Cliente, before: dict, *, por=None) -> None:
    """Write and publish the events of an update (``change_events``)."""
    save_events(change_events(cliente, before, por=por))


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
