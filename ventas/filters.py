from django.db.models import Q

from documentos.filters import ConditionFilter, DocumentoFilter, TenantDateFilter
from ventas.models import Venta


class VentaFilter(DocumentoFilter):
    """Query parameters of GET /api/ventas besides paging."""

    desde = TenantDateFilter(field_name="creado_en", lookup_expr="gte")
    hasta = TenantDateFilter(field_name="creado_en", lookup_expr="lt")
    cancelada = ConditionFilter(condition=lambda: Q(cancelada_en__isnull=False))

    class Meta:
        model = Venta
        fields = []
