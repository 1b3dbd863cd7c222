"""Reads of customers: the list with its search, the historial and the person's documents
(the one place that reads sales and quotations, through their selectors)."""

from datetime import datetime
from functools import partial

from django.db.models import QuerySet, Value

from clientes.filters import ClienteFilter
from clientes.models import Cliente, ClienteEvento
from clientes.representation import as_api_rows, as_api_values
from clientes.search import DocumentoCanonico, has_code_characters
from config.api.filters import cleaned_filters, filtered, filtering
from config.api.page_json import StoredObjects
from config.api.pagination import PageRows, page_columns
from cotizaciones.selectors import (
    cotizaciones_count_of_cliente,
    cotizaciones_details_of_cliente,
    pending_cotizaciones_of_cliente,
)
from tenants.compiled import CompiledShapes, compile_scoped
from ventas.selectors import ventas_details_of_cliente, ventas_of_cliente, ventas_summary_of_cliente

HISTORIAL_VENTAS = 20
HISTORIAL_COTIZACIONES = 10


_PAGES = CompiledShapes("clientes.list")
_ONE = CompiledShapes("clientes.one")


def cliente_list(*, clientes: QuerySet, filters=None) -> QuerySet:
    """``customers`` (a tenant's, e.g. the viewset's ``get_queryset()``) as API rows, filtered
    by ``ClienteFilter`` (400 when invalid)."""
    if not filtering(ClienteFilter, filters):
        return as_api_rows(clientes.active())
    return as_api_rows(filtered(ClienteFilter, filters, clientes))


def cliente_page(*, tenant_id: int, cursor: int | None, filters=None) -> PageRows:
    """A list page's rows (the customers' stored answers, newest first, below ``cursor``),
    filtered by ``ClienteFilter`` (400 when invalid).

    A request's shape is whether it searches, whether it syncs (``actualizadoDesde``) and
    which customers ``archivado`` asks for: the SQL compiled for a shape's first request is
    reused by the next ones, each binding its own term, moment and tenant
    (``tenants.compiled``). ``ClienteFilter``'s form validates every request."""
    return PageRows(*_page_sql(tenant_id, cursor, filters), columns=_PAGE_COLUMNS)


# Each customer's answer is stored in its row (``clientes.stored_answer``): a page joins them.
_PAGE_COLUMNS = StoredObjects("representacion")


def _page_sql(tenant_id: int, cursor: int | None, filters) -> tuple[str, list]:
    if not filtering(ClienteFilter, filters):
        return _PAGES.sql_and_params("activos", _active_page, tenant=tenant_id, cursor=cursor)
    values = cleaned_filters(ClienteFilter, filters)
    busqueda = values["busqueda"] or None
    if busqueda is not None and not has_code_characters(busqueda):
        # Only spaces, dots and dashes: a shape that searches no codes, unlike a text
        # sentinel's. Rare enough to be compiled per request.
        clientes = filtered(ClienteFilter, filters, Cliente.objects.for_tenant(tenant_id))
        return compile_scoped(_page(clientes, cursor))
    archivado = values["archivado"] or None
    return _PAGES.sql_and_params(
        ("filtrados", archivado),
        partial(_filtered_page, archivado=archivado),
        tenant=tenant_id,
        cursor=cursor,
        busqueda=busqueda,
        desde=values["actualizadoDesde"],
    )


def _filtered_page(
    *,
    archivado: str | None,
    tenant: int,
    cursor: int | None,
    busqueda: str | None,
    desde: datetime | None,
) -> QuerySet:
    # Through ClienteFilter itself, so the reused SQL filters as a request's FilterSet does.
    params = {
        "busqueda": busqueda,
        "archivado": archivado,
        "actualizadoDesde": desde.isoformat() if desde is not None else None,
    }
    sent = {name: value for name, value in params.items() if value is not None}
    return _page(filtered(ClienteFilter, sent, Cliente.objects.for_tenant(tenant)), cursor)


def _active_page(*, tenant: int, cursor: int | None) -> QuerySet:
    return _page(Cliente.objects.for_tenant(tenant).active(), cursor)


def _page(clientes: QuerySet, cursor: int | None) -> QuerySet:
    if cursor is not None:
        clientes = clientes.filter(id__lt=cursor)
    return page_columns(clientes, {key: key for key in _PAGE_COLUMNS.keys})


def cliente_of_tenant(*, tenant_id: int, pk: int) -> Cliente | None:
    """The tenant's customer with this id, or None (another tenant's id is None too).

    Read through SQL compiled once (``tenants.compiled``): a sale or quotation reads its
    customer on every create, every detail request its row, and compiling the query cost
    more than running it."""
    return _ONE.instance("by_pk", _by_pk, tenant=tenant_id, pk=pk)


def _by_pk(*, tenant: int, pk: int) -> QuerySet:
    # The stored answer is for pages (``clientes.stored_answer``): an instance needs none.
    return Cliente.objects.for_tenant(tenant).filter(pk=pk).defer("representacion")


def documento_in_use(*, tenant_id: int, documento: str, exclude_id: int | None) -> bool:
    """Whether another customer of the tenant has this documento's canonical form.

    For friendly form errors only; the partial unique index is what guarantees the rule.
    """
    return (
        Cliente.objects.for_tenant(tenant_id)
        .filter(documento_canonico=DocumentoCanonico(Value(documento)))
        .exclude(pk=exclude_id)
        .exists()
    )


def cliente_with_summary(queryset: QuerySet) -> QuerySet:
    """Annotates the historial's counts and sums, as subqueries of the customer's own query
    (built by the sales and quotations selectors)."""
    return queryset.annotate(**ventas_summary_of_cliente(), **cotizaciones_count_of_cliente())


def cliente_historial(*, cliente: Cliente) -> dict:
    """The customer with recent sales, pending quotations, counts and summary.

    ``cliente`` must come from ``cliente_with_summary``; two more queries whatever the history.
    """
    ventas_resumen = cliente.ventas_resumen or {"cuantas": 0, "total": None}
    ventas = ventas_of_cliente(cliente=cliente)
    cotizaciones = pending_cotizaciones_of_cliente(cliente=cliente)
    return {
        **as_api_values(cliente),
        "ventas": list(ventas[:HISTORIAL_VENTAS]),
        "cotizaciones": list(cotizaciones[:HISTORIAL_COTIZACIONES]),
        "_count": {"ventas": ventas_resumen["cuantas"], "cotizaciones": cliente.cotizaciones_count},
        "resumen": {
            "totalComprado": ventas_resumen["total"] or 0,
            "ultimaCompra": cliente.ultima_compra,
        },
    }


def cliente_eventos(*, cliente: Cliente) -> QuerySet:
    """The customer's change history, oldest first, with the users who made each change."""
    return (
        ClienteEvento.objects.for_tenant(cliente.tenant_id)
        .filter(cliente=cliente)
        .select_related("usuario")
        .order_by("en", "id")
    )


def documentos_of_cliente(cliente: Cliente) -> dict:
    """How many sales and quotations name the customer: ``{"ventas", "cotizaciones"}``."""
    one_cliente = Cliente.objects.for_tenant(cliente.tenant_id).filter(pk=cliente.pk)
    row = cliente_with_summary(one_cliente).get()
    cuantas = (row.ventas_resumen or {}).get("cuantas", 0)
    return {"ventas": cuantas, "cotizaciones": row.cotizaciones_count}


def documentos_details_of_cliente(cliente: Cliente) -> dict[str, QuerySet]:
    """Every sale and quotation naming the customer, oldest first, each as its detail answers
    it: ``{"ventas", "cotizaciones"}`` (querysets of dicts, read lazily)."""
    return {
        "ventas": ventas_details_of_cliente(cliente=cliente),
        "cotizaciones": cotizaciones_details_of_cliente(cliente=cliente),
    }
