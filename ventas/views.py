from drf_spectacular.utils import extend_schema_view

from comercial.schema import create_schema, detail_schema, list_schema, transition_schema
from comercial.serializers import MotivoInputSerializer
from comercial.views import DocumentoViewSet
from ventas import selectors, services
from ventas.filters import VentaFilter
from ventas.models import Venta
from ventas.serializers import VentaInputSerializer, VentaListSerializer, VentaSerializer


@extend_schema_view(
    list=list_schema("Listar ventas (más recientes primero)", VentaListSerializer),
    create=create_schema("Registrar una venta", VentaInputSerializer, VentaSerializer),
    retrieve=detail_schema("Obtener una venta", VentaSerializer),
    cancelar=transition_schema(
        "Cancelar una venta (solo ADMIN, el mismo día en la zona horaria de la empresa)",
        MotivoInputSerializer,
        VentaSerializer,
    ),
)
class VentaViewSet(DocumentoViewSet):
    """Sales of the caller's tenant (a USUARIO: only their own)."""

    model = Venta
    basename = "venta"
    not_found_message = "Venta no encontrada"
    input_serializer_class = VentaInputSerializer
    output_serializer_class = VentaSerializer
    filterset_class = VentaFilter
    create_service = staticmethod(services.venta_create)
    cancel_service = staticmethod(services.venta_cancel)

    def get_queryset(self):
        return selectors.with_origin(super().get_queryset())
