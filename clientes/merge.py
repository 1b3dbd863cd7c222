"""Merging a duplicate customer into the one that stays (its survivor).

One transaction: both rows are locked in id order (two opposite merges of one pair take turns,
and the second finds its duplicate gone: 404), the duplicate's sales and quotations move to
the survivor unchanged (numbers, totals, items, events), the survivor's empty fields take the
duplicate's values (``documento`` too: the duplicate's row is deleted first), and the
duplicate's id keeps answering: a ``ClienteFusion`` row points it, and every id merged into
it before, at the survivor (no chains).

The apps whose rows name a customer register them (``register_cliente_reference``), as their
admin inlines do: clientes builds on no sales or quotations of its own.
"""

from django.db import connection, transaction
from django.utils import timezone

from clientes.history import record
from clientes.models import Cliente, ClienteEvento, ClienteFusion
from clientes.representation import WIRE_OF_COLUMN
from core.errors import ConflictError, DomainError, NotFoundError
from tenants.api.permissions import require_admin
from tenants.models import User

MENSAJE_SOLO_ADMIN_FUSIONA = "Solo un administrador puede fusionar clientes"
MENSAJE_MISMO_CLIENTE = "Un cliente no se puede fusionar consigo mismo"
MENSAJE_ANONIMIZADO = "No se puede fusionar un cliente anonimizado"
MENSAJE_NO_ENCONTRADO = "Cliente no encontrado"
MENSAJE_FUSIONADO = "El cliente fue fusionado con el cliente {id}"
TAKEN_COLUMNS = ("documento", "email", "telefono", "direccion")

# Models with a ``cliente`` reference, registered by their apps (``ventas``, ``cotizaciones``).
_REFERENCES: list = []


def register_cliente_reference(model) -> None:
    """Rows of ``model`` (with a tenant and a ``cliente``) follow a merged customer."""
    if model not in _REFERENCES:
        _REFERENCES.append(model)


def merged_into(*, tenant_id: int, pk: int) -> int | None:
    """The customer an id that was merged now answers for, or None."""
    return merged_ids(tenant_id=tenant_id, ids={pk}).get(pk)


def merged_ids(*, tenant_id: int, ids: set[int]) -> dict[int, int]:
    """Which of ``ids`` were merged into another customer: id -> the one it answers for."""
    if not ids:
        return {}
    fusiones = ClienteFusion.objects.for_tenant(tenant_id).filter(antiguo_id__in=ids)
    return dict(fusiones.values_list("antiguo_id", "superviviente_id"))


@transaction.atomic
def cliente_merge(*, superviviente: Cliente, duplicado_id: int, por: User | None) -> Cliente:
    """Merge the customer ``duplicado_id`` into ``superviviente``; returns the survivor."""
    require_admin(por, MENSAJE_SOLO_ADMIN_FUSIONA)
    if duplicado_id == superviviente.pk:
        raise DomainError(MENSAJE_MISMO_CLIENTE)
    tenant_id = superviviente.tenant_id
    rows = {
        row.pk: row
        for row in Cliente.objects.for_tenant(tenant_id)
        .filter(pk__in=[superviviente.pk, duplicado_id])
        .order_by("pk")
        .select_for_update()
    }
    if len(rows) != 2:  # merged or deleted meanwhile, or never a customer of the tenant
        raise NotFoundError(MENSAJE_NO_ENCONTRADO)
    survivor, duplicate = rows[superviviente.pk], rows[duplicado_id]
    if survivor.anonimizado_en or duplicate.anonimizado_en:
        raise ConflictError(MENSAJE_ANONIMIZADO)
    for model in _REFERENCES:
        model.objects.for_tenant(tenant_id).filter(cliente_id=duplicate.pk).update(
            cliente_id=survivor.pk
        )
    taken = _taken_fields(survivor, duplicate)
    _point_old_ids(tenant_id, duplicate.pk, survivor.pk)
    ClienteEvento.objects.for_tenant(tenant_id).filter(cliente_id=duplicate.pk).delete()
    with connection.cursor() as cursor:  # first, so its documento is free for the survivor
        cursor.execute(
            "DELETE FROM clientes_cliente WHERE tenant_id = %s AND id = %s",
            [tenant_id, duplicate.pk],
        )
    for column, (_, value) in taken.items():
        setattr(survivor, column, value)
    survivor.actualizado_en = timezone.now()
    survivor.save(update_fields=[*taken, "actualizado_en"])
    cambios = {"duplicadoId": [None, duplicate.pk]}
    cambios |= {WIRE_OF_COLUMN[c]: [old, new] for c, (old, new) in taken.items()}
    record(survivor, ClienteEvento.Tipo.FUSIONADO, por=por, cambios=cambios)
    return survivor


def _taken_fields(survivor: Cliente, duplicate: Cliente) -> dict:
    """{column: (survivor's value, new value)}: its empty fields take the duplicate's; both
    notes are kept."""
    taken = {
        column: (None, getattr(duplicate, column))
        for column in TAKEN_COLUMNS
        if getattr(survivor, column) is None and getattr(duplicate, column) is not None
    }
    if duplicate.notas:
        joined = f"{survivor.notas}\n\n{duplicate.notas}" if survivor.notas else duplicate.notas
        taken["notas"] = (survivor.notas, joined)
    return taken


def _point_old_ids(tenant_id: int, duplicate_id: int, survivor_id: int) -> None:
    """The duplicate's id, and every id that pointed to it, now point to the survivor."""
    fusions = ClienteFusion.objects.for_tenant(tenant_id)
    fusions.filter(superviviente_id=duplicate_id).update(superviviente_id=survivor_id)
    ClienteFusion.objects.create(
        tenant_id=tenant_id, antiguo_id=duplicate_id, superviviente_id=survivor_id
    )
