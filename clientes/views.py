import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from clientes import lifecycle, merge, selectors, services
from clientes.filters import BUSQUEDA_HELP, ClienteFilter
from clientes.models import Cliente
from clientes.serializers import (
    ClienteEventoSerializer,
    ClienteInputSerializer,
    ClienteSerializer,
    FusionInputSerializer,
    HistorialSerializer,
    MovedSerializer,
)
from config.api.exceptions import Moved
from config.api.ids import parse_id
from config.api.pagination import IdCursorPagination
from config.api.schema import ERROR_RESPONSES, LOCATION
from tenants.idempotency import IDEMPOTENCY_KEY, REPLAYED, idempotent
from tenants.viewsets import PartialUpdateMixin, TenantScopedViewSet

BUSQUEDA = OpenApiParameter("busqueda", str, description=BUSQUEDA_HELP)
OWN_ID = re.compile(r"^(/api/clientes/)[^/?]+")
MOVED = {
    308: OpenApiResponse(
        MovedSerializer,
        description="El cliente fue fusionado con otro: `Location` es la misma ruta bajo él.",
    )
}
ARCHIVADO = OpenApiParameter(
    "archivado",
    str,
    enum=["false", "true", "todos"],
    description=ClienteFilter.base_filters["archivado"].extra["help_text"],
)
ACTUALIZADO_DESDE = OpenApiParameter(
    "actualizadoDesde",
    OpenApiTypes.DATETIME,
    description=ClienteFilter.base_filters["actualizadoDesde"].extra["help_text"],
)


LINK = OpenApiParameter(
    "Link",
    str,
    location=OpenApiParameter.HEADER,
    response=[200],
    description=(
        'Presente cuando hay más clientes: `<URL de la página siguiente>; rel="next"` '
        "(mismos `busqueda` y `limite`, con `cursor`)."
    ),
)


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
        responses={200: ClienteSerializer, **MOVED, **ERROR_RESPONSES(401, 403, 404)},
    ),
    update=extend_schema(
        summary="Actualizar un cliente (parcial: solo los campos enviados)",
        request=ClienteInputSerializer(partial=True),
        responses={
            200: ClienteSerializer,
            **MOVED,
            **ERROR_RESPONSES(400, 401, 403, 404, 409, 413, 415),
        },
    ),
    partial_update=extend_schema(
        summary="Actualizar un cliente (igual que PUT)",
        request=ClienteInputSerializer(partial=True),
        responses={
            200: ClienteSerializer,
            **MOVED,
            **ERROR_RESPONSES(400, 401, 403, 404, 409, 413, 415),
        },
    ),
)
class ClienteViewSet(PartialUpdateMixin, TenantScopedViewSet):
    """Customers of the caller's tenant. Any active member reads, creates, updates and archives
    them; deleting, erasing and merging are an ADMIN's (the services say so)."""

    model = Cliente
    not_found_message = "Cliente no encontrado"
    input_serializer_class = ClienteInputSerializer
    output_serializer_class = ClienteSerializer
    create_service = staticmethod(services.cliente_create)
    update_service = staticmethod(services.cliente_update)
    pagination_class = IdCursorPagination

    def list(self, request, *args, **kwargs):
        rows = selectors.cliente_list(customers=self.get_queryset(), filters=request.query_params)
        return self.get_paginated_response(self.paginate_queryset(rows))

    @extend_schema(
        summary="Historial de compras de un cliente",
        responses={200: HistorialSerializer, **MOVED, **ERROR_RESPONSES(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def historial(self, request, *args, **kwargs):
        return Response(selectors.cliente_historial(cliente=self.get_object()))

    @extend_schema(
        summary="Eliminar un cliente creado por error (ADMIN; sin ventas ni cotizaciones)",
        responses={
            204: None,
            **MOVED,
            **ERROR_RESPONSES(
                401, 403, 404, 409, descriptions={409: lifecycle.MENSAJE_CON_DOCUMENTOS}
            ),
        },
    )
    def destroy(self, request, *args, **kwargs):
        lifecycle.cliente_delete(cliente=self.get_object(), por=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Anonimizar un cliente (ADMIN; habeas data, irreversible)",
        request=None,
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        responses={
            200: ClienteSerializer,
            **MOVED,
            **ERROR_RESPONSES(
                400,
                401,
                403,
                404,
                409,
                415,
                422,
                descriptions={409: lifecycle.MENSAJE_YA_ANONIMIZADO},
            ),
        },
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def anonimizar(self, request, *args, **kwargs):
        cliente = lifecycle.cliente_anonymize(cliente=self.get_object(), por=request.user)
        return Response(self.output(cliente))

    @extend_schema(
        summary="Fusionar un cliente duplicado en este (ADMIN)",
        request=FusionInputSerializer,
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        responses={
            200: ClienteSerializer,
            **MOVED,
            **ERROR_RESPONSES(400, 401, 403, 404, 409, 413, 415, 422),
        },
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def fusionar(self, request, *args, **kwargs):
        data = self.validated_input(serializer_class=FusionInputSerializer)
        cliente = merge.cliente_merge(
            superviviente=self.get_object(), duplicado_id=data["duplicadoId"], por=request.user
        )
        return Response(self.output(cliente))

    @extend_schema(
        summary="Historia de cambios de un cliente (la más antigua primero)",
        responses={
            200: ClienteEventoSerializer(many=True),
            **MOVED,
            **ERROR_RESPONSES(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)  # every event, not a page
    def eventos(self, request, *args, **kwargs):
        eventos = selectors.cliente_eventos(cliente=self.get_object())
        return Response(ClienteEventoSerializer(eventos, many=True).data)

    def get_object(self, queryset=None):
        """The customer, or a 308 to the one a merged id answers for now."""
        try:
            return super().get_object(queryset)
        except NotFound:
            pk = parse_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
            survivor = merge.merged_into(tenant_id=self.tenant.pk, pk=pk) if pk else None
            if survivor is None:
                raise
            raise Moved(
                merge.MENSAJE_FUSIONADO.format(id=survivor),
                location=OWN_ID.sub(rf"\g<1>{survivor}", self.request.get_full_path(), count=1),
                fusionadoCon=survivor,
            ) from None

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "historial":
            queryset = selectors.cliente_with_summary(queryset)
        return queryset
