"""Reads shared by sales and quotations: list rows built by PostgreSQL, details prefetched."""

from django.db.models import Case, Count, JSONField, OuterRef, Prefetch, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, JSONObject

from config.api.expressions import IsoUtc
from documentos.models import related
from tenants.scoping import scoped_subquery


def reference(relation: str) -> Case:
    """``{"id", "nombre"}`` of a customer or user, or null when the document has none."""
    return Case(
        When(
            **{f"{relation}__isnull": False},
            then=JSONObject(id=f"{relation}_id", nombre=f"{relation}__nombre"),
        ),
        default=None,
        output_field=JSONField(),
    )


def item_count(model) -> Subquery:
    """How many items the document has (one subquery, whatever the number of rows)."""
    items, parent = related(model, "items")
    return scoped_subquery(
        items.objects.of_outer_tenant()
        .filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(n=Count("id"))
        .values("n")[:1]
    )


def list_rows(queryset: QuerySet, **extra) -> QuerySet:
    """The documents as the API's list rows (dicts), each built by the database in one
    query: the shared fields, ``extra`` (a kind's own fields) and ``cantidadItems``."""
    row = JSONObject(
        id="id",
        numero="numero",
        cliente=reference("cliente"),
        vendedor=reference("vendedor"),
        total="total",
        notas="notas",
        creadoEn=IsoUtc("creado_en"),
        canceladaEn=IsoUtc("cancelada_en"),
        canceladaPor=reference("cancelada_por"),
        motivoCancelacion="motivo_cancelacion",
        cantidadItems=Coalesce(item_count(queryset.model), 0),
        **extra,
    )
    return queryset.values_list(row, flat=True)


def with_detail(queryset: QuerySet, *, tenant_id: int) -> QuerySet:
    """What a detail shows, in three queries: the document with its people, its items in
    the order sent (``ordered_items``) and its events oldest first (``historia``).

    The items and events are read with the tenant too: their indexes lead with
    ``tenant_id`` (the composite keys), so a look-up by the document's id alone would scan
    the whole index."""
    model = queryset.model
    items, _ = related(model, "items")
    return queryset.select_related("cliente", "vendedor", "cancelada_por").prefetch_related(
        Prefetch(
            "items",
            queryset=items.objects.for_tenant(tenant_id).order_by("id"),
            to_attr="ordered_items",
        ),
        Prefetch("eventos", queryset=_history(model, tenant_id), to_attr="historia"),
    )


def history_of(documento) -> list:
    """The document's events oldest first, with their users: its detail's ``historia``."""
    _, parent = related(type(documento), "eventos")
    return list(_history(type(documento), documento.tenant_id).filter(**{parent: documento}))


def _history(model, tenant_id: int) -> QuerySet:
    eventos, _ = related(model, "eventos")
    return eventos.objects.for_tenant(tenant_id).select_related("usuario").order_by("en", "id")


def per_cliente(queryset: QuerySet, aggregate) -> Subquery:
    """``aggregate`` over ``queryset`` (documents filtered by ``OuterRef`` to one customer)
    as a scalar subquery of the customer's query."""
    return scoped_subquery(queryset.values("cliente").annotate(valor=aggregate).values("valor")[:1])
