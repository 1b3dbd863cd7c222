"""The declaration of a document endpoint, which the battery (``tests/comercial/battery``)
reads: its URLs, its messages, its models and services, and the few fields only it has."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from comercial.services import NewItem
from tests import contract


@dataclass(frozen=True)
class Kind:
    """A kind of document (a sale, a quotation) as its endpoints and services know it."""

    list_url: str
    fields: frozenset[str]  # the detail's, as the contract lists them
    not_found: str  # the 404's ``error`` for an id the caller may not see
    already_cancelled: str  # the 409's ``error`` of a second cancellation
    model: type  # the document's; its ``items`` and ``eventos`` relations name the others
    create: Callable  # the service: (tenant=, items=, cliente=, vendedor=, notas=) -> document
    cancel: Callable  # the service: (document, por, motivo) -> the cancelled document
    created: dict  # the fields only this kind has, as a new document answers them
    cancelled: dict  # the same, as a cancelled document answers them
    ignored: dict  # fields only this kind has that a create body may send and that are ignored
    vigentes: dict  # list parameters that keep every document of today not cancelled
    # What an item-less row made by ``bulk`` needs besides its tenant, numero and seller.
    row_defaults: Callable[[], dict] = dict
    # Makers ``(tenant, vendedor, cliente) -> document`` of the rows only this kind has (a
    # sale made from a quotation, a converted quotation): the list tests show them too.
    special: tuple[Callable, ...] = field(default=())

    # -- URLs and shapes ---------------------------------------------------------------------

    def detail_url(self, pk) -> str:
        return f"{self.list_url}/{pk}"

    def cancel_url(self, pk) -> str:
        return f"{self.list_url}/{pk}/cancelar"

    @property
    def row_fields(self) -> frozenset[str]:
        return contract.list_row_fields(self.fields)

    # -- its models ----------------------------------------------------------------------------

    @property
    def item_model(self) -> type:
        return self.model.items.rel.related_model

    @property
    def event_model(self) -> type:
        return self.model.eventos.rel.related_model

    @property
    def parent(self) -> str:
        """The name of the items' and the events' foreign key to the document."""
        return self.model.items.rel.field.name

    # -- makers --------------------------------------------------------------------------------

    def make(self, tenant, vendedor=None, cliente=None, *, lines=1, notas=None):
        """A document through the service, with ``lines`` items of 1 × 10 each."""
        items = [NewItem(f"Producto {i}", Decimal(1), Decimal(10)) for i in range(lines)]
        return self.create(
            tenant=tenant, items=items, cliente=cliente, vendedor=vendedor, notas=notas
        )

    def make_cancelled(self, tenant, vendedor=None, cliente=None, *, por=None, **kwargs):
        """A document cancelled right after it was made (by the platform unless ``por``)."""
        return self.cancel(self.make(tenant, vendedor, cliente, **kwargs), por, "Se arrepintió")

    def bulk(self, tenant, n: int, vendedor=None) -> list[int]:
        """``n`` item-less documents of ``tenant`` in one statement; their ids, oldest first."""
        start = 1_000_000 + self.model.objects.for_tenant(tenant).count()
        rows = self.model.objects.bulk_create(
            self.model(tenant=tenant, numero=start + i, vendedor=vendedor, **self.row_defaults())
            for i in range(n)
        )
        return sorted(row.pk for row in rows)

    def interleaved(self, tenant, other_tenant, n: int, vendedor) -> list[int]:
        """``n`` documents of ``vendedor`` with one of ``other_tenant`` after each."""
        own = []
        for _ in range(n):
            own.append(self.make(tenant, vendedor).pk)
            self.make(other_tenant)
        return own

    def set_creado_en(self, tenant, pk, when: datetime) -> None:
        """Move a document (and its CREADA event) to ``when``; the database clock set it."""
        self.model.objects.for_tenant(tenant).filter(pk=pk).update(creado_en=when)
        self.events(tenant, pk).filter(tipo="CREADA").update(en=when)

    # -- what is stored -----------------------------------------------------------------------

    def stored(self, tenant, pk):
        return self.model.objects.for_tenant(tenant).get(pk=pk)

    def items(self, tenant, pk) -> list[tuple]:
        """``(descripcion, cantidad, precio_unitario, subtotal)`` of its items, in order."""
        return list(
            self.item_model.objects.for_tenant(tenant)
            .filter(**{f"{self.parent}_id": pk})
            .order_by("id")
            .values_list("descripcion", "cantidad", "precio_unitario", "subtotal")
        )

    def events(self, tenant, pk):
        return self.event_model.objects.for_tenant(tenant).filter(**{f"{self.parent}_id": pk})

    def tables(self) -> tuple[str, str]:
        """``FROM "…"`` of its items' and its events' tables, as the SQL names them."""
        return tuple(f'FROM "{m._meta.db_table}"' for m in (self.item_model, self.event_model))


class KindTests:
    """The base of the battery's mixins: the declared ``kind``, and the answers it names."""

    kind: Kind

    def assert_not_found(self, response) -> None:
        assert (response.status_code, response.json()) == (404, {"error": self.kind.not_found})
