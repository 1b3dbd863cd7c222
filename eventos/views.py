"""GET /api/eventos: the tenant's feed, resumable after any ``secuencia`` (ADMIN only)."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from config.api.schema import ERROR_RESPONSES
from eventos.models import Evento
from eventos.selectors import MENSAJE_CURSOR_ANTIGUO, eventos_after
from eventos.sequencing import sequence_events
from eventos.serializers import EventoSerializer, FeedQuerySerializer
from tenants.api.permissions import require_admin
from tenants.api.viewsets import TenantScopedViewSet

MENSAJE_SOLO_ADMIN_EVENTOS = "Solo un administrador puede consultar los eventos"


class EventoViewSet(TenantScopedViewSet):
    """The feed: events in ``secuencia`` order after the consumer's cursor."""

    model = Evento
    output_serializer_class = EventoSerializer
    pagination_class = None  # the cursor is ``despues``: the last element's ``secuencia``

    @extend_schema(
        summary="Eventos de la empresa en orden, después de un cursor (ADMIN)",
        parameters=[FeedQuerySerializer],
        responses={
            200: EventoSerializer(many=True),
            **ERROR_RESPONSES(400, 401, 403, 410, descriptions={410: MENSAJE_CURSOR_ANTIGUO}),
        },
    )
    def list(self, request, *args, **kwargs):
        require_admin(request.user, MENSAJE_SOLO_ADMIN_EVENTOS)
        query = FeedQuerySerializer(
            data={**request.query_params.dict(), "tipo": request.query_params.getlist("tipo")}
        )
        if not query.is_valid():
            raise ValidationError(query.errors)
        # Number what committed since the last look (eventos.sequencing: why nothing skips).
        sequence_events(tenant_id=self.tenant.pk)
        eventos = eventos_after(tenant_id=self.tenant.pk, **_renamed(query.validated_data))
        return Response(EventoSerializer(eventos, many=True).data)


def _renamed(query: dict) -> dict:
    return {"despues": query["despues"], "limite": query["limite"], "tipos": query["tipo"]}
