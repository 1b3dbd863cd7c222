"""What ends a customer's life as it was: deleting a mistake and erasing a person.

Each is one transaction. The customer's row is locked first, so a sale or quotation naming it
at the same moment waits: after a delete its insert finds no customer (the composite foreign
keys refuse it), after an erasure it sells to the anonymized customer.
"""

import orjson
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from clientes.history import record
from clientes.models import Cliente, ClienteEvento, ClienteFusion
from clientes.representation import TEXT_WIRE_NAMES, WIRE_OF_COLUMN
from clientes.selectors import documentos_of_cliente
from clientes.services import locked
from config.postgres.errors import violated_constraint
from core.errors import ConflictError
from eventos import services as feed
from tenants.api.permissions import require_admin
from tenants.models import IdempotentRequest, User

MENSAJE_SOLO_ADMIN_ELIMINA = "Solo un administrador puede eliminar clientes"
MENSAJE_SOLO_ADMIN_ANONIMIZA = "Solo un administrador puede anonimizar clientes"
MENSAJE_CON_DOCUMENTOS = (
    "El cliente tiene ventas o cotizaciones: archívalo, fusiónalo o anonimízalo"
)
MENSAJE_YA_ANONIMIZADO = "El cliente ya está anonimizado"
PERSONAL_COLUMNS = ("nombre", "documento", "email", "telefono", "direccion", "notas")


@transaction.atomic
def cliente_delete(*, cliente: Cliente, por: User | None) -> None:
    """Delete a customer with no sales and no quotations, and its history.

    The database decides: the sales' and quotations' composite keys refuse the delete of a
    customer they name (``ConflictError`` with how many of each).
    """
    require_admin(por, MENSAJE_SOLO_ADMIN_ELIMINA)
    cliente = locked(cliente)
    ClienteEvento.objects.for_tenant(cliente.tenant_id).filter(cliente=cliente).delete()
    # Ids merged into it answer for no one any more (404).
    ClienteFusion.objects.for_tenant(cliente.tenant_id).filter(superviviente=cliente).delete()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM clientes_cliente WHERE tenant_id = %s AND id = %s",
                [cliente.tenant_id, cliente.pk],
            )
    except IntegrityError as exc:
        if not (violated_constraint(exc) or "").endswith("_cliente_mismo_tenant_fk"):
            raise
        raise ConflictError(MENSAJE_CON_DOCUMENTOS, **documentos_of_cliente(cliente)) from exc
    feed.publish(
        tenant_id=cliente.tenant_id, tipo="cliente.eliminado", datos={"id": cliente.pk}, por=por
    )


@transaction.atomic
def cliente_anonymize(*, cliente: Cliente, por: User | None) -> Cliente:
    """Erase the person behind a customer (habeas data): irreversible.

    The customer keeps its id, sales and quotations (numbers, items, totals, events) under
    ``Cliente anonimizado #{id}``; its personal fields become null, it is archived, and its
    former values are removed from everything that kept them: its own history, the stored
    ``Idempotency-Key`` answers of its tenant, the tenant's feed, the admin's log.
    """
    require_admin(por, MENSAJE_SOLO_ADMIN_ANONIMIZA)
    cliente = locked(cliente)
    if cliente.anonimizado_en is not None:
        raise ConflictError(MENSAJE_YA_ANONIMIZADO)
    former = _known_values(cliente)
    now = timezone.now()
    for column in PERSONAL_COLUMNS:
        setattr(cliente, column, None)
    cliente.nombre = f"Cliente anonimizado #{cliente.pk}"
    cliente.archivado, cliente.anonimizado_en, cliente.actualizado_en = True, now, now
    cliente.save(update_fields=[*PERSONAL_COLUMNS, "archivado", "anonimizado_en", "actualizado_en"])
    _forget_history(cliente)
    _forget_stored_answers(cliente, former)
    _forget_published(cliente, former)
    _forget_admin_log(cliente)
    record(cliente, ClienteEvento.Tipo.ANONIMIZADO, por=por)
    return cliente


def _known_values(cliente: Cliente) -> dict[str, str]:
    """Every personal value the customer ever had, as far as its history tells (its current
    ones and the before and after of every change): value -> its wire field."""
    known = {getattr(cliente, c): WIRE_OF_COLUMN[c] for c in PERSONAL_COLUMNS}
    eventos = ClienteEvento.objects.for_tenant(cliente.tenant_id).filter(cliente=cliente)
    for cambios in eventos.exclude(cambios=None).values_list("cambios", flat=True):
        for field, values in cambios.items():
            if field in TEXT_WIRE_NAMES:
                known.update((value, field) for value in values if isinstance(value, str))
    return {value: field for value, field in known.items() if value}


def _forget_history(cliente: Cliente) -> None:
    """Earlier events keep which fields changed, not their values."""
    eventos = ClienteEvento.objects.for_tenant(cliente.tenant_id).filter(cliente=cliente)
    for evento in eventos.exclude(cambios=None):
        evento.cambios = {
            field: values if field not in TEXT_WIRE_NAMES else [None, None]
            for field, values in evento.cambios.items()
        }
        evento.save(update_fields=["cambios"])


def _forget_stored_answers(cliente: Cliente, values: dict[str, str]) -> None:
    """Rewrite the tenant's stored answers that hold a former value: the name becomes the
    anonymized one, any other value null (or cut out of a longer text)."""
    if not values:
        return
    needles = [orjson.dumps(value)[1:-1] for value in values]
    stored = IdempotentRequest.objects.for_tenant(cliente.tenant_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM tenants_idempotentrequest WHERE tenant_id = %s "
            "AND EXISTS (SELECT 1 FROM unnest(%s::bytea[]) AS n WHERE position(n IN cuerpo) > 0)",
            [cliente.tenant_id, needles],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for answer in stored.filter(pk__in=ids):
        body = _scrub(orjson.loads(bytes(answer.cuerpo)), values, cliente.nombre)
        answer.cuerpo = orjson.dumps(body)
        answer.save(update_fields=["cuerpo"])


def _forget_published(cliente: Cliente, values: dict[str, str]) -> None:
    """The feed's events of the customer, and of its sales and quotations, hold its former
    values: the name becomes the anonymized one, any other value null."""
    feed.rewrite_events(
        tenant_id=cliente.tenant_id,
        matching=Q(tipo__startswith="cliente.", datos__id=cliente.pk)
        | Q(datos__cliente__id=cliente.pk),
        rewrite=lambda datos: _scrub(datos, values, cliente.nombre),
    )


def _scrub(node, values: dict, nombre: str):
    if isinstance(node, dict):
        return {key: _scrub(value, values, nombre) for key, value in node.items()}
    if isinstance(node, list):
        return [_scrub(value, values, nombre) for value in node]
    if isinstance(node, str):
        for value, field in values.items():
            if value in node:
                replacement = nombre if field == "nombre" else ""
                if node == value:
                    return replacement or None
                node = node.replace(value, replacement)
    return node


def _forget_admin_log(cliente: Cliente) -> None:
    """The admin's log names a customer by its former name: it is named anew."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Cliente), object_id=str(cliente.pk)
    ).update(object_repr=str(cliente), change_message="")
