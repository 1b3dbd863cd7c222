from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from clientes import selectors, services
from clientes.models import Cliente
from clientes.representation import as_api_answer
from clientes.serializers import ClienteInputSerializer, ClienteSerializer, HistorialSerializer
from clientes.views.lifecycle import ClienteLifecycleMixin
from clientes.views.schema import (
    ACTUALIZADO_DESDE,
    ARCHIVADO,
    BUSQUEDA,
    LINK,
    MOVED,
    MOVED_LOCATION,
)
from clientes.views.transfer import ClienteTransferMixin
from config.api.schema import ERROR_RESPONSES, LOCATION
from tenants.api.viewsets import PageListMixin, PartialUpdateMixin, TenantScopedViewSet


@extend_schema_view(
    list=extend_schema(
        summary="Listar clientes (más recientes primero)",
        parameters=[BUSQUEDA, ARCHIVADO, ACTUALIZADO_DESDE, LINK],
        responses={200: ClienteSerializer(many=True), **ERROR_RESPONSES(400, 401, 403)},
    ),
    create=extend_schema(
        summary="Crear un cliente",
        request=ClienteInputSerializer,
        parameters=[LOCATION],
        responses={201: ClienteSerializer, **ERROR_RESPONSES(400, 401, 403, 409, 413, 415)},
    ),
    retrieve=extend_schema(
        summary="Obtener un cliente",
        parameters=[MOVED_LOCATION],
        responses={200: ClienteSerializer, **MOVED, **ERROR_RESPONSES(401, 403, 404)},
    ),
    update=extend_schema(
        summary="Actualizar un cliente (parcial: solo los campos enviados)",
        request=ClienteInputSerializer(partial=True),
        parameters=[MOVED_LOCATION],
        responses={
            200: ClienteSerializer,
            **MOVED,
            **ERROR_RESPONSES(400, 401, 403, 404, 409, 413, 415),
        },
    ),
    partial_update=extend_schema(
        summary="Actualizar un cliente (igual que PUT)",
        request=ClienteInputSerializer(partial=True),
        parameters=[MOVED_LOCATION],
        responses={
            200: ClienteSerializer,
            **MOVED,
            **ERROR_RESPONSES(400, 401, 403, 404, 409, 413, 415),
        },
    ),
)
class ClienteViewSet(
    ClienteTransferMixin,
    ClienteLifecycleMixin,
    PageListMixin,
    PartialUpdateMixin,
    TenantScopedViewSet,
):
    """Customers of the caller's tenant. Any active member reads, creates, updates and archives
    them; deleting, erasing and merging are an ADMIN's (the services say so)."""

    model = Cliente
    not_found_message = "Cliente no encontrado"
    input_serializer_class = ClienteInputSerializer
    output_serializer_class = ClienteSerializer
    create_service = staticmethod(services.cliente_create)
    update_service = staticmethod(services.cliente_update)

    def find_object(self, pk: int):
        # get_queryset()'s rows (the tenant's customers), read by compiled SQL.
        return selectors.cliente_of_tenant(tenant_id=self.tenant.pk, pk=pk)

    def output(self, instance) -> dict:
        return as_api_answer(instance)

    def page_rows(self, *, params, cursor: int | None):
        return selectors.cliente_page(tenant_id=self.tenant.pk, cursor=cursor, filters=params)

    @extend_schema(
        summary="Historial de compras de un cliente",
        parameters=[MOVED_LOCATION],
        responses={200: HistorialSerializer, **MOVED, **ERROR_RESPONSES(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def historial(self, request, *args, **kwargs):
        cliente = self.get_object(selectors.cliente_with_summary(self.get_queryset()))
        return Response(selectors.cliente_historial(cliente=cliente))
