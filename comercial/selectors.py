"""Reads shared by sales and quotations: list pages built by PostgreSQL, details prefetched."""

import functools

from django.contrib.postgres.aggregates import JSONBAgg
from django.db.models import (
    Case,
    Count,
    Func,
    JSONField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from comercial.models import related
from config.api.expressions import IsoUtc, JsonRecord
from config.api.filters import filtered, filtering
from config.api.page_json import PageColumns
from config.api.pagination import PageRows, page_columns
from tenants.compiled import CompiledShapes, compile_scoped
from tenants.scoping import scoped_subquery

_PAGES = CompiledShapes("comercial.list")
# A document's own reads, on every transition of it: compiled once per kind and shape.
_ONE = CompiledShapes("comercial.one")


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


def list_reference(relation: str) -> Case:
    """``reference`` as a list row writes it (``JsonRecord``: compact, keys in order)."""
    return Case(
        When(
            **{f"{relation}__isnull": False},
            then=JsonRecord(id=f"{relation}_id", nombre=f"{relation}__nombre"),
        ),
        default=None,
        output_field=JSONField(),
    )


def _shared_fields(reference=reference) -> dict:
    """A sale's and a quotation's common fields (JSON name -> expression)."""
    return {
        "id": "id",
        "numero": "numero",
        "cliente": reference("cliente"),
        "vendedor": reference("vendedor"),
        "total": "total",
        "notas": "notas",
        "creadoEn": IsoUtc("creado_en"),
        "canceladaEn": IsoUtc("cancelada_en"),
        "canceladaPor": reference("cancelada_por"),
        "motivoCancelacion": "motivo_cancelacion",
    }


def list_fields(model, now) -> dict:
    """A list row's fields (JSON name -> expression): the shared fields, ``cantidadItems`` and
    the kind's own (``own_fields`` at ``now``)."""
    return {
        **_shared_fields(list_reference),
        "cantidadItems": Coalesce(item_count(model), 0),
        **model.own_fields(now),
    }


@functools.cache
def list_columns(model) -> PageColumns:
    """The columns of ``list_fields``: their names, in order, and kinds (the same at any
    moment)."""
    now = timezone.now()
    rows = page_rows(model.objects.for_tenant(0), cursor=None, now=now)
    return PageColumns.of(rows, tuple(list_fields(model, now)))


def page_rows(queryset: QuerySet, *, cursor: int | None, now) -> QuerySet:
    """The documents as a list page's rows, newest first below ``cursor``: their
    ``list_fields`` at ``now``, rendered by PostgreSQL (``config.api.pagination``)."""
    if cursor is not None:
        queryset = queryset.filter(id__lt=cursor)
    return page_columns(queryset, list_fields(queryset.model, now))


def document_page(
    model,
    *,
    tenant_id: int,
    vendedor_id: int | None,
    cursor: int | None,
    filterset_class,
    filters,
    request,
) -> PageRows:
    """A list page's rows (``page_rows`` at the moment of the read) of the documents of
    ``model`` a seller (None: an ADMIN) sees, filtered by ``filterset_class`` from the query
    parameters ``filters`` (400 when invalid; the tenant and role of ``request``'s user
    inform the filters).

    Without filters (most requests) the SQL is compiled once per kind and role
    (``tenants.compiled``)."""
    if not filtering(filterset_class, filters):
        sql, params = _unfiltered_page(
            model, tenant_id=tenant_id, vendedor_id=vendedor_id, cursor=cursor
        )
    else:
        documents = model.objects.for_tenant(tenant_id).sold_by(vendedor_id)
        documents = filtered(filterset_class, filters, documents, request=request)
        sql, params = compile_scoped(page_rows(documents, cursor=cursor, now=timezone.now()))
    return PageRows(sql, params, columns=list_columns(model))


def _unfiltered_page(
    model, *, tenant_id: int, vendedor_id: int | None, cursor: int | None
) -> tuple[str, list]:

    def build(*, tenant, vendedor, cursor, now):
        documents = model.objects.for_tenant(tenant).sold_by(vendedor)
        return page_rows(documents, cursor=cursor, now=now)

    return _PAGES.sql_and_params(
        model._meta.label,
        build,
        tenant=tenant_id,
        vendedor=vendedor_id,
        cursor=cursor,
        now=timezone.now(),
    )


def detail_rows(queryset: QuerySet, **extra) -> QuerySet:
    """The documents as their details answer them (dicts), built by the database in one
    query whatever their number: the shared fields, ``extra``, the ``items`` in the order
    sent and the ``eventos`` oldest first. For reads of many details at once (a person's
    data); a single detail keeps ``with_detail`` and its serializer."""
    model = queryset.model
    row = JSONObject(
        **_shared_fields(), **extra, items=_items_json(model), eventos=_events_json(model)
    )
    return queryset.values_list(row, flat=True)


EMPTY_JSON_ARRAY = Func(template="'[]'::jsonb", output_field=JSONField())


def _items_json(model) -> Coalesce:
    items, parent = related(model, "items")
    item = JSONObject(
        id="id",
        descripcion="descripcion",
        cantidad="cantidad",
        precioUnitario="precio_unitario",
        subtotal="subtotal",
    )
    return _json_array(items, parent, item, ordering=("id",))


def _events_json(model) -> Coalesce:
    eventos, parent = related(model, "eventos")
    evento = JSONObject(tipo="tipo", usuario=reference("usuario"), en=IsoUtc("en"), motivo="motivo")
    return _json_array(eventos, parent, evento, ordering=("en", "id"))


def _json_array(child_model, parent: str, element, *, ordering: tuple) -> Coalesce:
    """The document's ``child_model`` rows as a JSON array (``[]`` when none)."""
    rows = (
        child_model.objects.of_outer_tenant()
        .filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(elements=JSONBAgg(element, order_by=ordering))
        .values("elements")[:1]
    )
    return Coalesce(scoped_subquery(rows), EMPTY_JSON_ARRAY, output_field=JSONField())


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


def document_of(model, *, tenant_id: int, pk: int, vendedor_id: int | None):
    """The tenant's document of ``model`` with this id, sold by ``vendedor_id`` (None: by
    anyone; ``vendedor_seen_by``), or None."""

    def build(*, tenant, pk, vendedor):
        return model.objects.for_tenant(tenant).sold_by(vendedor).filter(pk=pk)

    key = ("document", model._meta.label)
    return _ONE.instance(key, build, tenant=tenant_id, pk=pk, vendedor=vendedor_id)


def locked_document(documento):
    """The document re-read under a row lock, with its tenant, customer and seller
    (``comercial.services.lock``)."""
    model = type(documento)

    def build(*, tenant, pk):
        locking = model.objects.select_for_update(of=("self",), no_key=True)
        related_rows = locking.select_related("tenant", "cliente", "vendedor")
        return related_rows.for_tenant(tenant).filter(pk=pk)

    found = _ONE.instance(
        ("locked", model._meta.label), build, tenant=documento.tenant_id, pk=documento.pk
    )
    if found is None:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    return found


def items_of(documento) -> list:
    """The document's items in the order they were given."""
    model = type(documento)
    items, parent = related(model, "items")

    def build(*, tenant, documento):
        return items.objects.for_tenant(tenant).filter(**{f"{parent}_id": documento}).order_by("id")

    key = ("items", model._meta.label)
    return _ONE.instances(key, build, tenant=documento.tenant_id, documento=documento.pk)


def history_of(documento) -> list:
    """The document's events oldest first, with their users: its detail's ``historia``."""
    model = type(documento)
    _, parent = related(model, "eventos")

    def build(*, tenant, documento):
        return _history(model, tenant).filter(**{f"{parent}_id": documento})

    key = ("history", model._meta.label)
    return _ONE.instances(key, build, tenant=documento.tenant_id, documento=documento.pk)


def _history(model, tenant_id: int) -> QuerySet:
    eventos, _ = related(model, "eventos")
    return eventos.objects.for_tenant(tenant_id).select_related("usuario").order_by("en", "id")


def per_cliente(queryset: QuerySet, aggregate) -> Subquery:
    """``aggregate`` over ``queryset`` (documents filtered by ``OuterRef`` to one customer)
    as a scalar subquery of the customer's query."""
    return scoped_subquery(queryset.values("cliente").annotate(valor=aggregate).values("valor")[:1])
