"""Writes shared by sales and quotations: lines and totals, numbering, events, cancelling.
``ventas.services`` and ``cotizaciones.services`` are thin over these; the rules that differ
(who may cancel, the same-day rule, expiry) stay in their own app."""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from clientes.models import Cliente
from comercial.models import MAX_TOTAL_EXCLUSIVE, Documento, Evento, Numeracion, related
from comercial.selectors import detail_rows, locked_document
from config.postgres.errors import violated_constraint
from core.errors import DomainError, ForbiddenError
from eventos.models import Evento as FeedEvento
from eventos.services import publish_selected
from tenants.compiled import CompiledShapes
from tenants.linked_inserts import Dependent, insert_with_dependents
from tenants.models import Tenant, User

CENTAVO = Decimal("0.01")
MAX_ITEMS = 200
MAX_DESCRIPCION = 300
MAX_MOTIVO = 500
MAX_CANTIDAD_EXCLUSIVE = 10**9
MAX_PRECIO_EXCLUSIVE = 10**12
MENSAJE_CLIENTE_ELIMINADO = "El cliente ya no existe en la empresa"
MENSAJE_TOTAL_DEMASIADO_GRANDE = "El total supera el máximo permitido (9.999.999.999.999,99)"


@dataclass(frozen=True)
class NewItem:
    """One line of a sale or quotation, before it is stored."""

    descripcion: str
    cantidad: Decimal
    precio_unitario: Decimal

    @property
    def subtotal(self) -> Decimal:
        """``cantidad × precio_unitario`` rounded half up to centavos."""
        return (Decimal(self.cantidad) * Decimal(self.precio_unitario)).quantize(
            CENTAVO, rounding=ROUND_HALF_UP
        )


def total_of(items: list[NewItem]) -> Decimal:
    """The sum of the lines' subtotals; a 400 when it does not fit the money columns."""
    total = sum((item.subtotal for item in items), Decimal(0))
    if total >= MAX_TOTAL_EXCLUSIVE:
        raise DomainError(MENSAJE_TOTAL_DEMASIADO_GRANDE)
    return total


def validate_items(items: list[NewItem]) -> None:
    """1 to 200 lines, each with a description of 1 to 300 characters, a quantity above zero
    (3 decimals, below 10⁹) and a price not negative (2 decimals, below 10¹²): what the
    columns hold, so no caller reaches the database with a line it would refuse."""
    if not items:
        raise DomainError("Se necesita al menos un ítem")
    if len(items) > MAX_ITEMS:
        raise DomainError(f"Un documento tiene como máximo {MAX_ITEMS} ítems")
    for item in items:
        if not 1 <= len(item.descripcion.strip()) <= MAX_DESCRIPCION:
            raise DomainError(f"La descripción debe tener de 1 a {MAX_DESCRIPCION} caracteres")
        cantidad, precio = Decimal(item.cantidad), Decimal(item.precio_unitario)
        if cantidad <= 0:
            raise DomainError("La cantidad de cada ítem debe ser mayor que cero")
        if precio < 0:
            raise DomainError("El precio unitario no puede ser negativo")
        if cantidad >= MAX_CANTIDAD_EXCLUSIVE or _decimals(cantidad) > 3:
            raise DomainError("La cantidad debe ser menor que 10⁹, con a lo sumo 3 decimales")
        if precio >= MAX_PRECIO_EXCLUSIVE or _decimals(precio) > 2:
            raise DomainError("El precio debe ser menor que 10¹², con a lo sumo 2 decimales")


def _decimals(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)


def validate_same_tenant(tenant: Tenant, *, cliente: Cliente | None, vendedor: User | None) -> None:
    """The customer and the seller, when given, belong to ``tenant``."""
    if cliente is not None and cliente.tenant_id != tenant.pk:
        raise DomainError("El cliente no pertenece a la empresa")
    if vendedor is not None and vendedor.tenant_id != tenant.pk:
        raise DomainError("El vendedor no pertenece a la empresa")


def take_number(documento: Documento, *, evento_id: int) -> None:
    """Give a new document the tenant's next ``numero`` of its kind, on its row and in its
    CREADA event already in the feed (``evento_id``, published with ``numero`` null), in one
    statement: the counter's upsert and both ``UPDATE``s.

    The counter row stays locked until the calling transaction ends, so concurrent creates
    take their numbers one after the other, and a rollback gives its number back: no gaps.
    As the last statement of its transaction, it holds that lock for itself and the COMMIT
    only. The feed shows an event once its transaction committed: none is seen unnumbered."""
    counters, table = Numeracion._meta.db_table, type(documento)._meta.db_table
    feed = FeedEvento._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH numero AS (INSERT INTO {counters} (tenant_id, tipo, ultimo) "  # noqa: S608
            "VALUES (%(tenant)s, %(tipo)s, 1) ON CONFLICT (tenant_id, tipo) "
            f"DO UPDATE SET ultimo = {counters}.ultimo + 1 RETURNING ultimo), "
            f"documento AS (UPDATE {table} SET numero = numero.ultimo FROM numero "
            f"WHERE {table}.tenant_id = %(tenant)s AND {table}.id = %(id)s "
            f"RETURNING {table}.numero) "
            # A number's text is its JSON (Citus refuses the STABLE to_jsonb here).
            f"UPDATE {feed} SET datos = jsonb_set({feed}.datos, '{{numero}}', "
            "documento.numero::text::jsonb) FROM documento "
            f"WHERE {feed}.tenant_id = %(tenant)s AND {feed}.id = %(evento)s "
            "RETURNING documento.numero",
            {
                "tenant": documento.tenant_id,
                "tipo": type(documento)._meta.label_lower,
                "id": documento.pk,
                "evento": evento_id,
            },
        )
        (documento.numero,) = cursor.fetchone()


def create_with_items(
    model: type[Documento],
    *,
    tenant: Tenant,
    items: list[NewItem],
    cliente: Cliente | None,
    vendedor: User | None,
    creado_por: User | None,
    notas: str | None,
    complete: bool = True,
    **fields,
) -> Documento:
    """Insert a document, its items and its CREADA event, then (unless ``complete`` is
    False: the caller does it, as the last write of its transaction) give it its number and
    publish it: the same number of queries for 1 line or 200.

    Atomic: the transaction is its own, or part of the caller's without a savepoint of its
    own (two round trips less): what fails here fails the caller's block too, which undoes
    it (a conversion's transaction, the idempotent request's savepoint). A customer deleted
    since it was read is a 400.
    """
    validate_items(items)
    validate_same_tenant(tenant, cliente=cliente, vendedor=vendedor)
    documento = model(
        tenant=tenant,
        cliente=cliente,
        vendedor=vendedor,
        notas=notas,
        total=total_of(items),
        **fields,
    )
    try:
        with transaction.atomic(savepoint=False):
            _insert_with_items_and_creation(documento, items, creado_por=creado_por)
            if complete:
                number_and_publish(documento, por=creado_por)
    except IntegrityError as exc:  # the customer was deleted since it was read
        if not (violated_constraint(exc) or "").endswith("_cliente_mismo_tenant_fk"):
            raise
        raise DomainError(MENSAJE_CLIENTE_ELIMINADO) from exc
    return documento


def _insert_with_items_and_creation(documento: Documento, items: list[NewItem], *, creado_por):
    """The new document, its items and its CREADA event (at the document's ``creado_en``),
    written by one statement (``tenants.linked_inserts``)."""
    item_model, parent = related(type(documento), "items")
    event_model, event_parent = related(type(documento), "eventos")
    # What the detail selector prefetches under the same names: the answer needs no re-read.
    documento.ordered_items = [
        item_model(
            tenant_id=documento.tenant_id,
            descripcion=item.descripcion,
            cantidad=item.cantidad,
            precio_unitario=item.precio_unitario,
            subtotal=item.subtotal,
            **{parent: documento},
        )
        for item in items
    ]
    creada = event_model(tenant_id=documento.tenant_id, tipo=Evento.Tipo.CREADA, usuario=creado_por)
    documento.historia = [creada]
    insert_with_dependents(
        documento,
        [
            Dependent(documento.ordered_items, takes={parent: "id"}),
            Dependent(documento.historia, takes={event_parent: "id", "en": "creado_en"}),
        ],
    )


def number_and_publish(documento: Documento, *, por: User | None) -> None:
    """Publish a new document's CREADA event, then give it the tenant's next number of its
    kind (``take_number``): the last write of its transaction, so the numbering row is locked
    for one statement and the COMMIT (bench/README.md)."""
    take_number(documento, evento_id=publish_event(documento, tipo=Evento.Tipo.CREADA, por=por))


def record_event(
    documento: Documento,
    *,
    tipo: str,
    usuario: User | None,
    en: datetime,
    motivo=None,
    publish: bool = True,
) -> Evento:
    """Append an event to the document's history and, unless ``publish`` is False, to the
    tenant's feed (call in the transaction of the change)."""
    event_model, parent = related(type(documento), "eventos")
    evento = event_model.objects.create(
        tenant_id=documento.tenant_id,
        tipo=tipo,
        usuario=usuario,
        en=en,
        motivo=motivo,
        **{parent: documento},
    )
    if publish:
        publish_event(documento, tipo=tipo, por=usuario)
    return evento


FEED_SUFFIX = {
    Evento.Tipo.CREADA: "creada",
    Evento.Tipo.CANCELADA: "cancelada",
    Evento.Tipo.CONVERTIDA: "convertida",
}


# The statement that reads a document for its feed event, compiled once per kind: compiling
# it cost 5 ms of Python while the tenant's numbering row was locked (bench/README.md).
_FEED_DETAILS = CompiledShapes("comercial.feed")


def publish_event(documento: Documento, *, tipo: str, por: User | None) -> int:
    """Publish the document's event ``tipo`` to the tenant's feed as ``{model name}.{suffix}``
    (``venta.creada``), with the document as its detail shows it now (its kind's
    ``own_fields``, items and events included), read and stored by one statement in the
    change's transaction; returns the feed event's id."""
    model = type(documento)

    def build(*, tenant, pk, now):
        queryset = model.objects.for_tenant(tenant).filter(pk=pk)
        return detail_rows(queryset, **model.own_fields(now))

    sql, params = _FEED_DETAILS.sql_and_params(
        model._meta.label, build, tenant=documento.tenant_id, pk=documento.pk, now=timezone.now()
    )
    return publish_selected(
        tenant_id=documento.tenant_id,
        tipo=f"{model._meta.model_name}.{FEED_SUFFIX[tipo]}",
        select=sql,
        params=list(params),
        por=por,
    )


def lock(documento: Documento) -> Documento:
    """The document re-read under a row lock (with its tenant), so transitions of the same
    document run one after the other and each sees the state the previous one left."""
    return locked_document(documento)


def ensure_member(documento: Documento, por: User | None) -> None:
    """``por`` (None: the platform, e.g. a superuser in the admin) acts inside the tenant."""
    if por is not None and por.tenant_id != documento.tenant_id:
        raise DomainError("El usuario no pertenece a la empresa")


def ensure_vendedor_or_admin(documento: Documento, por: User | None, *, accion: str) -> None:
    """Only the document's seller or an ADMIN of its tenant may ``accion`` it."""
    ensure_member(documento, por)
    if por is None or por.rol == User.Rol.ADMIN or por.pk == documento.vendedor_id:
        return
    raise ForbiddenError(f"Solo el vendedor original o un administrador puede {accion}")


def cancel(
    documento: Documento, *, por: User | None, motivo: str, en: datetime, **changes
) -> Documento:
    """Mark a locked document cancelled (plus ``changes``) and record the CANCELADA event."""
    motivo = (motivo or "").strip()
    if not 1 <= len(motivo) <= MAX_MOTIVO:
        raise DomainError(f"El motivo de la cancelación debe tener de 1 a {MAX_MOTIVO} caracteres")
    changes.update(cancelada_en=en, cancelada_por=por, motivo_cancelacion=motivo)
    for field, value in changes.items():
        setattr(documento, field, value)
    documento.save(update_fields=list(changes))
    record_event(documento, tipo=Evento.Tipo.CANCELADA, usuario=por, en=en, motivo=motivo)
    return documento
