from drf_spectacular.utils import extend_schema_view
from rest_framework.decorators import action

from comercial.representation import as_api_answer
from comercial.schema import (
    VALIDEZ_PASADA,
    create_schema,
    detail_schema,
    list_schema,
    transition_schema,
)
from comercial.serializers import MotivoInputSerializer
from comercial.views import DocumentoViewSet
from cotizaciones import services
from cotizaciones.filters import CotizacionFilter
from cotizaciones.models import Cotizacion
from cotizaciones.serializers import (
    ConversionSerializer,
    CotizacionInputSerializer,
    CotizacionListSerializer,
    CotizacionSerializer,
)
from tenants.api.idempotency import idempotent


@extend_schema_view(
    list=list_schema("Listar cotizaciones (más recientes primero)", CotizacionListSerializer),
    create=create_schema(
        "Registrar una cotización",
        CotizacionInputSerializer,
        CotizacionSerializer,
        rules=(VALIDEZ_PASADA,),
    ),
    retrieve=detail_schema("Obtener una cotización", CotizacionSerializer),
    cancelar=transition_schema(
        "Cancelar una cotización pendiente (su vendedor o un ADMIN)",
        MotivoInputSerializer,
        CotizacionSerializer,
    ),
    convertir=transition_schema(
        "Convertir una cotización en venta (su vendedor o un ADMIN)",
        None,
        ConversionSerializer,
        status=201,
    ),
)
class CotizacionViewSet(DocumentoViewSet):
    """Quotations of the caller's tenant (a USUARIO: only their own)."""

    model = Cotizacion
    basename = "cotizacion"
    not_found_message = "Cotización no encontrada"
    input_serializer_class = CotizacionInputSerializer
    output_serializer_class = CotizacionSerializer
    filterset_class = CotizacionFilter
    create_service = staticmethod(services.cotizacion_create)
    cancel_service = staticmethod(services.cotizacion_cancel)

    @action(detail=True, methods=["post"])
    @idempotent
    def convertir(self, request, *args, **kwargs):
        venta, cotizacion = services.cotizacion_convert(
            cotizacion=self.get_object(), por=request.user
        )
        body = {
            "venta": as_api_answer(venta),
            "cotizacion": self.output(cotizacion),
        }
        return self.created(venta, body, basename="venta")
