"""A customer's change history: one ``ClienteEvento`` per change, written in the change's own
transaction by the services (and the import), with what changed as
``{wire field: [before, after]}``."""

from clientes.models import Cliente, ClienteEvento
from clientes.representation import WIRE_OF_COLUMN as WIRE_OF


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
    """Write one event of ``cliente``."""
    event(cliente, tipo, por=por, cambios=cambios).save(force_insert=True)


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
    """Write the events of an update (``change_events``)."""
    ClienteEvento.objects.bulk_create(change_events(cliente, before, por=por))


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
