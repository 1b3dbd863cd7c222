import django_filters

from comercial.filters import ConditionFilter, DocumentoFilter
from cotizaciones.models import Cotizacion, expired_condition


class CotizacionFilter(DocumentoFilter):
    """Query parameters of GET /api/cotizaciones besides paging."""

    estado = django_filters.ChoiceFilter(
        choices=Cotizacion.Estado.choices, help_text="PENDIENTE, CONVERTIDA o CANCELADA."
    )
    vencida = ConditionFilter(
        condition=expired_condition,
        help_text="`true`: pendientes cuya validez terminó; `false`: las demás.",
    )

    class Meta:
        model = Cotizacion
        fields = []
