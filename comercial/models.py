"""What a sale and a quotation share: the document, its lines, its events, its numbering.

``ventas.Venta`` and ``cotizaciones.Cotizacion`` derive from ``Documento``; their items from
``Item`` and their events from ``Evento``. Every reference stays inside the tenant in
PostgreSQL too (composite foreign keys added by the apps' migrations).
"""

from django.db import models
from django.db.models.functions import Now

from tenants.models import User
from tenants.relations import TenantForeignKey, user_reference
from tenants.scoping import TenantScopedModel, TenantScopedQuerySet

# Money has at most 15 significant digits, so it renders exactly as a JSON number (float64).
MAX_TOTAL_EXCLUSIVE = 10**13  # what DecimalField(max_digits=15, decimal_places=2) holds


class DocumentoQuerySet(TenantScopedQuerySet):
    def visible_to(self, user: User) -> "DocumentoQuerySet":
        """An ADMIN sees the whole tenant's documents; a USUARIO only the ones they sold."""
        return self.sold_by(vendedor_seen_by(user))

    def sold_by(self, vendedor_id: int | None) -> "DocumentoQuerySet":
        """The documents of this seller; every one when ``vendedor_id`` is None."""
        return self if vendedor_id is None else self.filter(vendedor_id=vendedor_id)


def vendedor_seen_by(user: User) -> int | None:
    """The seller whose documents ``user`` sees: None (all of them) for an ADMIN, a
    USUARIO's own id otherwise."""
    return None if user.rol == User.Rol.ADMIN else user.pk


class Documento(TenantScopedModel):
    """A sale or a quotation: numbered per tenant and kind, ``total`` = sum of subtotals."""

    # Taken last in the transaction that creates the document (``comercial.services.
    # number_and_publish``), so the tenant's numbering row is locked for the shortest time:
    # NULL only inside that transaction, never once committed.
    numero = models.PositiveBigIntegerField("número", null=True)
    # What a detail shows besides the row, declared here and nowhere else: prefetched under
    # these names by ``selectors.with_detail``, or set by the service that just wrote them
    # (``services.create_with_items``, the conversion), so an answer needs no re-read.
    ordered_items: list  # the items, in the order sent
    historia: list  # the events, oldest first
    cliente = TenantForeignKey(
        "clientes.Cliente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(app_label)s",  # cliente.ventas, cliente.cotizaciones
        db_index=False,  # indexed by the apps' tenant-first indexes
    )
    vendedor = user_reference()
    total = models.DecimalField(max_digits=15, decimal_places=2, default=0)
    notas = models.TextField(null=True, blank=True)
    creado_en = models.DateTimeField(db_default=Now())
    cancelada_en = models.DateTimeField(null=True, blank=True)
    cancelada_por = user_reference()
    motivo_cancelacion = models.TextField("motivo de cancelación", null=True, blank=True)

    objects = models.Manager.from_queryset(DocumentoQuerySet)()

    class Meta:
        abstract = True

    @property
    def cancelada(self) -> bool:
        return self.cancelada_en is not None

    @classmethod
    def own_fields(cls, now=None) -> dict:
        """The kind's own fields of a list row, a detail and a feed event at ``now`` (by
        default now), as JSON name -> expression: each kind declares them here, once, and the
        shared selectors, views and feed read them from the model."""
        return {}

    def own_values(self) -> dict:
        """``own_fields`` of this document as an answer writes them (JSON name -> value),
        for ``comercial.representation.as_api_answer``."""
        return {}


def documento_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The constraints every document table has: unique numbers, a total of zero or more."""
    return [
        models.UniqueConstraint(fields=["tenant", "numero"], name=f"{prefix}_numero_uniq"),
        models.CheckConstraint(
            condition=models.Q(total__gte=0), name=f"{prefix}_total_no_negativo"
        ),
    ]


def documento_indexes(prefix: str) -> list[models.Index]:
    """Tenant-first indexes of the seller's lists and of the cancelling user's key."""
    return [
        models.Index(fields=["tenant", "vendedor", "-id"], name=f"{prefix}_vendedor"),
        models.Index(
            fields=["tenant", "cancelada_por"],
            condition=models.Q(cancelada_por__isnull=False),
            name=f"{prefix}_cancelada_por",
        ),
    ]


class Item(TenantScopedModel):
    """A line of a sale or quotation: ``subtotal = cantidad × precio_unitario``, half up."""

    descripcion = models.CharField("descripción", max_length=300)
    cantidad = models.DecimalField(max_digits=12, decimal_places=3)
    precio_unitario = models.DecimalField(max_digits=14, decimal_places=2)
    subtotal = models.DecimalField(max_digits=15, decimal_places=2)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.descripcion


def item_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(cantidad__gt=0), name=f"{prefix}_cantidad_positiva"
        ),
        models.CheckConstraint(
            condition=models.Q(precio_unitario__gte=0), name=f"{prefix}_precio_no_negativo"
        ),
        models.CheckConstraint(
            condition=models.Q(subtotal__gte=0), name=f"{prefix}_subtotal_no_negativo"
        ),
    ]


class Evento(TenantScopedModel):
    """Something that happened to a document, written in the transaction that did it."""

    class Tipo(models.TextChoices):
        CREADA = "CREADA", "Creada"
        CANCELADA = "CANCELADA", "Cancelada"
        CONVERTIDA = "CONVERTIDA", "Convertida"

    tipo = models.CharField(max_length=10, choices=Tipo.choices)
    usuario = user_reference()
    en = models.DateTimeField()
    motivo = models.TextField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["en", "id"]

    def __str__(self) -> str:
        return self.tipo


def related(model: type[Documento], name: str) -> tuple[type[models.Model], str]:
    """The model behind a reverse relation of a document kind (``items``, ``eventos``) and
    the name of its foreign key to the document."""
    relation = model._meta.get_field(name)
    return relation.related_model, relation.field.name


class Numeracion(TenantScopedModel):
    """The last ``numero`` given per tenant and kind of document; its row lock makes the
    numbers gapless: a rolled-back create gives its number back."""

    tipo = models.CharField(max_length=50)  # the model label, e.g. "ventas.venta"
    ultimo = models.PositiveBigIntegerField("último", default=0)

    class Meta:
        verbose_name = "numeración"
        verbose_name_plural = "numeraciones"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "tipo"], name="documentos_numeracion_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.tipo}: {self.ultimo}"
