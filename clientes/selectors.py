"""Reads of customers: the list with its search, and the historial."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, JSONObject
from django_filters.utils import translate_validation

from clientes.filters import ClienteFilter
from clientes.models import Cliente
from clientes.search import DocumentoCanonico
from config.expressions import IsoUtc
from cotizaciones.models import Cotizacion
from ventas.models import Venta

HISTORIAL_VENTAS = 20
HISTORIAL_COTIZACIONES = 10

# The API's Cliente fields that are model columns of the same name; ``creadoEn`` is added by
# ``_as_api_rows`` as text formatted by the database.
CLIENTE_COLUMNS = ["id", "nombre", "documento", "email", "telefono", "direccion", "notas"]


def cliente_list(*, tenant_id: int, filters=None) -> QuerySet:
    """The tenant's customers as API rows, filtered by ``ClienteFilter`` (400 when invalid)."""
    filterset = ClienteFilter(filters or {}, queryset=Cliente.objects.for_tenant(tenant_id))
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return _as_api_rows(filterset.qs)


def cliente_of_tenant(*, tenant_id: int, pk: int) -> Cliente | None:
    """The tenant's customer with this id, or None (another tenant's id is None too)."""
    return Cliente.objects.for_tenant(tenant_id).filter(pk=pk).first()


def cliente_documento_en_uso(*, tenant_id: int, documento: str, exclude_id: int | None) -> bool:
    """Whether another customer of the tenant has this documento's canonical form.

    For friendly form errors only; the partial unique index is what guarantees the rule.
    """
    return (
        Cliente.objects.for_tenant(tenant_id)
        .filter(documento_canonico=DocumentoCanonico(Value(documento)))
        .exclude(pk=exclude_id)
        .exists()
    )


def cliente_con_resumen(queryset: QuerySet) -> QuerySet:
    """Annotates the historial's counts and sums, as subqueries of the customer's own query.

    The customer's sales are read once (count and non-cancelled sum together, as one JSON
    pair: a customer may have 100,000 of them); the last purchase is the first non-cancelled
    sale in index order.
    """
    ventas = Venta.objects.filter(tenant=OuterRef("tenant"), cliente=OuterRef("pk")).order_by()
    no_cancelada = Q(cancelada_en__isnull=True)
    cotizaciones = Cotizacion.objects.filter(
        tenant=OuterRef("tenant"), cliente=OuterRef("pk")
    ).order_by()
    return queryset.annotate(
        ventas_resumen=_scalar(
            ventas, JSONObject(cuantas=Count("id"), total=Sum("total", filter=no_cancelada))
        ),
        ultima_compra=Subquery(
            ventas.filter(no_cancelada).order_by("-creado_en", "-id").values("creado_en")[:1]
        ),
        cotizaciones_count=Coalesce(_scalar(cotizaciones, Count("id")), 0),
    )


def cliente_historial(*, cliente: Cliente) -> dict:
    """The customer with recent sales, pending quotations, counts and summary.

    ``cliente`` must come from ``cliente_con_resumen``; two more queries whatever the history.
    """
    ventas_resumen = cliente.ventas_resumen or {"cuantas": 0, "total": None}
    ventas = (
        Venta.objects.for_tenant(cliente.tenant_id)
        .filter(cliente=cliente)
        .order_by("-creado_en", "-id")
        .values(
            "id",
            "total",
            "notas",
            creadoEn=IsoUtc("creado_en"),
            canceladaEn=IsoUtc("cancelada_en"),
        )
    )
    cotizaciones = (
        Cotizacion.objects.for_tenant(cliente.tenant_id)
        .filter(cliente=cliente, estado=Cotizacion.Estado.PENDIENTE)
        .order_by("-creado_en", "-id")
        .values(
            "id",
            "total",
            "notas",
            "estado",
            validaHasta=IsoUtc("valida_hasta"),
            creadoEn=IsoUtc("creado_en"),
        )
    )
    return {
        **{column: getattr(cliente, column) for column in CLIENTE_COLUMNS},
        "creadoEn": cliente.creado_en,
        "ventas": list(ventas[:HISTORIAL_VENTAS]),
        "cotizaciones": list(cotizaciones[:HISTORIAL_COTIZACIONES]),
        "_count": {"ventas": ventas_resumen["cuantas"], "cotizaciones": cliente.cotizaciones_count},
        "resumen": {
            "totalComprado": ventas_resumen["total"] or 0,
            "ultimaCompra": cliente.ultima_compra,
        },
    }


def _scalar(queryset: QuerySet, aggregate) -> Subquery:
    return Subquery(queryset.values("cliente").annotate(valor=aggregate).values("valor")[:1])


def _as_api_rows(queryset: QuerySet) -> QuerySet:
    return queryset.values(*CLIENTE_COLUMNS, creadoEn=IsoUtc("creado_en"))
