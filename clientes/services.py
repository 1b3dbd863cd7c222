"""Writes of customers. Uniqueness of ``documento`` is the database's job; we translate it."""

from contextlib import contextmanager

from django.db import IntegrityError, transaction

from clientes.models import Cliente
from config.postgres.errors import violated_constraint
from core.errors import ConflictError
from tenants.models import Tenant

DOCUMENTO_UNICO = "clientes_cliente_documento_unico"
MENSAJE_DOCUMENTO_DUPLICADO = "Ya existe un cliente con ese documento"
MENSAJE_DOCUMENTO_EN_USO = "El documento ya está en uso"


class DocumentoDuplicadoError(ConflictError):
    """Another customer of the tenant has the same canonical ``documento``."""


def cliente_create(*, tenant: Tenant, data: dict) -> Cliente:
    """Create a customer of ``tenant`` from validated ``data`` (model field names)."""
    cliente = Cliente(tenant=tenant, **data)
    with _documento_unico(MENSAJE_DOCUMENTO_DUPLICADO):
        cliente.save(force_insert=True)
    return cliente


def cliente_update(*, instance: Cliente, data: dict) -> Cliente:
    """Change only the fields present in ``data``; concurrent updates of other fields survive."""
    if not data:
        return instance
    for field, value in data.items():
        setattr(instance, field, value)
    with _documento_unico(MENSAJE_DOCUMENTO_EN_USO):
        instance.save(update_fields=list(data))
    return instance


@contextmanager
def _documento_unico(message: str):
    """One transaction (a savepoint inside an outer one) whose unique violation becomes 409.

    Checking first and inserting after would race; the partial unique index decides.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if is_documento_conflict(exc):
            raise DocumentoDuplicadoError(message) from exc
        raise


def is_documento_conflict(exc: IntegrityError) -> bool:
    """Whether the error is the per-tenant documento unique index refusing a row."""
    return violated_constraint(exc) == DOCUMENTO_UNICO
