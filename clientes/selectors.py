"""Reads of customers: the list with its search, and the historial."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django_filters.utils import translate_validation

from clientes.filters import ClienteFilter
from clientes.models import Cliente
from clientes.search import DocumentoCanonico
from cotizaciones.models import Cotizacion
from ventas.models import Venta

HISTORIAL_VENTAS = 20
HISTORIAL_COTIZACIONES = 10

# The API's field names -> columns; the list is served from ``values()`` rows.
CLIENTE_FIELDS = {
    "id": F("id"),
    "nombre": F("nombre"),
    "documento": F("documento"),
    "email": F("email"),
    "telefono": F("telefono"),
    "direccion": F("direccion"),
    "notas": F("notas"),
    "creadoEn": F("creado_en"),
}


def cliente_list(*, tenant_id: int, filters=None) -> QuerySet:
    """The tenant's customers as API rows, filtered by ``ClienteFilter`` (400 when invalid)."""
    filterset = ClienteFilter(filters or {}, queryset=Cliente.objects.for_tenant(tenant_id))
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.qs.values(*_plain(CLIENTE_FIELDS), **_renamed(CLIENTE_FIELDS))


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
    """Annotates the historial's counts and sums, as subqueries of the customer's own query."""
    ventas = Venta.objects.filter(tenant=OuterRef("tenant"), cliente=OuterRef("pk")).order_by()
    no_canceladas = ventas.filter(cancelada_en__isnull=True)
    cotizaciones = Cotizacion.objects.filter(
        tenant=OuterRef("tenant"), cliente=OuterRef("pk")
    ).order_by()
    return queryset.annotate(
        ventas_count=Coalesce(_scalar(ventas, Count("id")), 0),
        cotizaciones_count=Coalesce(_scalar(cotizaciones, Count("id")), 0),
        total_comprado=Coalesce(
            _scalar(no_canceladas, Sum("total")), Value(Decimal(0)), output_field=DecimalField()
        ),
        ultima_compra=_scalar(no_canceladas, Max("creado_en")),
    )


def cliente_historial(*, cliente: Cliente) -> dict:
    """The customer with recent sales, pending quotations, counts and summary.

    ``cliente`` must come from ``cliente_con_resumen``; two more queries whatever the history.
    """
    ventas = (
        Venta.objects.for_tenant(cliente.tenant_id)
        .filter(cliente=cliente)
        .order_by("-creado_en", "-id")
        .values("id", "total", "notas", creadoEn=F("creado_en"), canceladaEn=F("cancelada_en"))
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
            validaHasta=F("valida_hasta"),
            creadoEn=F("creado_en"),
        )
    )
    return {
        **{name: getattr(cliente, expr.name) for name, expr in CLIENTE_FIELDS.items()},
        "ventas": list(ventas[:HISTORIAL_VENTAS]),
        "cotizaciones": list(cotizaciones[:HISTORIAL_COTIZACIONES]),
        "_count": {"ventas": cliente.ventas_count, "cotizaciones": cliente.cotizaciones_count},
        "resumen": {
            "totalComprado": cliente.total_comprado,
            "ultimaCompra": cliente.ultima_compra,
        },
    }


def _scalar(queryset: QuerySet, aggregate) -> Subquery:
    return Subquery(queryset.values("cliente").annotate(valor=aggregate).values("valor")[:1])


def _plain(fields: dict) -> list[str]:
    return [name for name, expr in fields.items() if expr.name == name]


def _renamed(fields: dict) -> dict:
    return {name: expr for name, expr in fields.items() if expr.name != name}
