"""Writes of customers. Uniqueness of ``documento`` is the database's job; we translate it."""

from contextlib import contextmanager, nullcontext

from django.db import IntegrityError, transaction
from django.utils import timezone

from clientes.history import creation_dependents, record_changes
from clientes.models import Cliente
from config.postgres.errors import violated_constraint
from core.errors import ConflictError, NotFoundError
from tenants.linked_inserts import insert_with_dependents
from tenants.models import Tenant, User

DOCUMENTO_UNICO = "clientes_cliente_documento_unico"
MENSAJE_DOCUMENTO_DUPLICADO = "Ya existe un cliente con ese documento"
MENSAJE_DOCUMENTO_EN_USO = "El documento ya está en uso"
MENSAJE_ANONIMIZADO = "No se puede modificar un cliente anonimizado"


class DocumentoDuplicadoError(ConflictError):
    """Another customer of the tenant has the same canonical ``documento``."""


def cliente_create(*, tenant: Tenant, por: User | None = None, **fields) -> Cliente:
    """Create a customer of ``tenant`` from validated ``fields`` (model field names), with its
    ``CREADO`` event by ``por`` (None: a command). Created and last changed now.

    Atomic: the customer and its events are written by one statement, with no transaction
    around it (on Citus, one transaction: ``tenants.linked_inserts``)."""
    now = timezone.now()
    cliente = Cliente(tenant=tenant, **fields, creado_en=now, actualizado_en=now)
    with _documento_unico(MENSAJE_DOCUMENTO_DUPLICADO, one_statement=True):
        insert_with_dependents(cliente, creation_dependents(cliente, por=por))
    return cliente


def cliente_update(*, instance: Cliente, data: dict, por: User | None = None) -> Cliente:
    """Change the fields present in ``data`` that differ from the stored row, and record them
    (``ACTUALIZADO``, ``ARCHIVADO``, ``DESARCHIVADO``). The row is locked while it is read and
    written, so concurrent updates of other fields survive and each event tells the truth. An
    anonymized customer changes no more (``ConflictError``).

    Atomic: ``_documento_unico`` is the transaction."""
    with _documento_unico(MENSAJE_DOCUMENTO_EN_USO):
        current = locked(instance)
        if current.anonimizado_en is not None:  # erased for good: not renamed, not brought back
            raise ConflictError(MENSAJE_ANONIMIZADO)
        before = {f: getattr(current, f) for f, v in data.items() if getattr(current, f) != v}
        if not before:
            return current
        for field in before:
            setattr(current, field, data[field])
        current.actualizado_en = timezone.now()
        current.save(update_fields=[*before, "actualizado_en"])
        record_changes(current, before, por=por)
    return current


def locked(cliente: Cliente) -> Cliente:
    """The customer's row, locked until the transaction ends; ``NotFoundError`` when another
    request deleted or merged it meanwhile."""
    row = Cliente.objects.for_tenant(cliente.tenant_id).select_for_update().filter(pk=cliente.pk)
    # Left deferred: it is for pages, and after this transaction's UPDATE it would be stale.
    current = row.defer("representacion").first()
    if current is None:
        raise NotFoundError("Cliente no encontrado")
    return current


@contextmanager
def _documento_unico(message: str, *, one_statement: bool = False):
    """One transaction (a savepoint inside an outer one) whose unique violation becomes 409.

    Checking first and inserting after would race; the partial unique index decides. A
    service's whole write runs in it: a savepoint of its own inside the service's
    transaction cost two more round trips per request (bench/README.md). A write of
    ``one_statement`` is atomic by itself: it needs the savepoint only inside an outer
    transaction, which its failure would otherwise abort.
    """
    outer = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if outer or not one_statement else nullcontext():
            yield
    except IntegrityError as exc:
        if is_documento_conflict(exc):
            raise DocumentoDuplicadoError(message) from exc
        raise


def is_documento_conflict(exc: IntegrityError) -> bool:
    """Whether the error is the per-tenant documento unique index refusing a row."""
    return violated_constraint(exc) == DOCUMENTO_UNICO
