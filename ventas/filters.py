from django.db.models import Q

from comercial.filters import ConditionFilter, DateRangeForm, DocumentoFilter, TenantDateFilter
from ventas.models import Venta


class VentaFilter(DocumentoFilter):
    """Query parameters of GET /api/ventas besides paging."""

    desde = TenantDateFilter(
        field_name="creado_en",
        lookup_expr="gte",
        help_text="YYYY-MM-DD: ventas de ese día o después (días en la zona de la empresa).",
    )
    hasta = TenantDateFilter(
        field_name="creado_en",
        lookup_expr="lt",
        help_text=(
            "YYYY-MM-DD: ventas de ese día o antes (días en la zona de la empresa); "
            "anterior a `desde`: 400."
        ),
    )
    cancelada = ConditionFilter(
        condition=lambda: Q(cancelada_en__isnull=False),
        help_text="`true`: solo canceladas; `false`: solo vigentes.",
    )

    class Meta:
        model = Venta
        fields = []
        form = DateRangeForm
