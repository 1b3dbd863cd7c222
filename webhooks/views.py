"""/api/webhooks: the tenant's subscriptions, their deliveries, a test send (ADMIN only)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from config.api.ids import parse_id
from config.api.pagination import IdCursorPagination
from config.api.schema import ERROR_RESPONSES, LOCATION
from tenants.api.permissions import require_admin
from tenants.api.viewsets import TenantScopedViewSet
from webhooks import dispatch, services
from webhooks.addresses import MENSAJE_DIRECCION
from webhooks.models import Entrega, Suscripcion
from webhooks.serializers import (
    EntregaSerializer,
    EntregasQuerySerializer,
    PruebaSerializer,
    SuscripcionConSecretoSerializer,
    SuscripcionInputSerializer,
    SuscripcionSerializer,
)

ERRORS = ERROR_RESPONSES(401, 403, 404)
# What no schema can say: the URL's host must resolve, to public addresses only.
URL_PRIVADA = OpenApiExample(
    "UrlHaciaUnaDireccionNoPermitida",
    value={
        "error": "La URL no es válida",
        "detalles": {"url": [MENSAJE_DIRECCION]},
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="Suscripciones de webhook de la empresa (ADMIN)",
        responses={200: SuscripcionSerializer(many=True), **ERROR_RESPONSES(401, 403)},
    ),
    create=extend_schema(
        summary="Suscribir una URL a eventos (ADMIN); el secreto se muestra solo aquí",
        request=SuscripcionInputSerializer,
        parameters=[LOCATION],
        responses={
            201: SuscripcionConSecretoSerializer,
            **ERROR_RESPONSES(
                400,
                401,
                403,
                409,
                413,
                415,
                descriptions={409: "Como máximo 20 suscripciones por empresa"},
                examples={400: [URL_PRIVADA]},
            ),
        },
    ),
    retrieve=extend_schema(
        summary="Una suscripción", responses={200: SuscripcionSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        summary="Cambiar url, tipos, descripcion o activo",
        request=SuscripcionInputSerializer(partial=True),
        responses={200: SuscripcionSerializer, **ERROR_RESPONSES(400, 401, 403, 404, 413, 415)},
    ),
    destroy=extend_schema(summary="Eliminar una suscripción", responses={204: None, **ERRORS}),
)
class SuscripcionViewSet(TenantScopedViewSet):
    model = Suscripcion
    not_found_message = "Suscripción no encontrada"
    input_serializer_class = SuscripcionInputSerializer
    output_serializer_class = SuscripcionSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_admin(request.user, services.MENSAJE_SOLO_ADMIN)

    def list(self, request, *args, **kwargs):  # at most 20: no pages
        suscripciones = self.get_queryset().order_by("id")
        return Response(SuscripcionSerializer(suscripciones, many=True).data)

    def create(self, request, *args, **kwargs):
        suscripcion = services.suscripcion_create(
            tenant=self.tenant, data=self.validated_input(), por=request.user
        )
        return self.created(suscripcion, SuscripcionConSecretoSerializer(suscripcion).data)

    def partial_update(self, request, *args, **kwargs):
        suscripcion = services.suscripcion_update(
            suscripcion=self.get_object(),
            data=self.validated_input(partial=True),
            por=request.user,
        )
        return Response(self.output(suscripcion))

    def destroy(self, request, *args, **kwargs):
        services.suscripcion_delete(suscripcion=self.get_object(), por=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Nuevo secreto (el anterior sigue firmando 24 horas)",
        request=None,
        responses={200: SuscripcionConSecretoSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="rotar-secreto")
    def rotar_secreto(self, request, *args, **kwargs):
        suscripcion = services.secret_rotate(suscripcion=self.get_object(), por=request.user)
        return Response(SuscripcionConSecretoSerializer(suscripcion).data)

    @extend_schema(
        summary="Enviar ahora un evento webhook.prueba y ver la respuesta del receptor",
        request=None,
        responses={200: PruebaSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def probar(self, request, *args, **kwargs):
        result = services.probe(suscripcion=self.get_object(), por=request.user)
        return Response(
            {"status": result.status, "error": result.error, "duracionMs": result.duration_ms}
        )

    @extend_schema(
        summary="Entregas de la suscripción (las más recientes primero)",
        parameters=[EntregasQuerySerializer],
        responses={200: EntregaSerializer(many=True), **ERROR_RESPONSES(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=IdCursorPagination)
    def entregas(self, request, *args, **kwargs):
        query = EntregasQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        entregas = self._entregas(self.get_object()).select_related("evento")
        if estado := query.validated_data.get("estado"):
            entregas = entregas.filter(estado=estado)
        page = self.paginate_queryset(entregas)
        return self.get_paginated_response(EntregaSerializer(page, many=True).data)

    @extend_schema(
        summary="Reintentar una entrega ahora",
        request=None,
        responses={202: EntregaSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"entregas/(?P<entrega_id>[^/]+)/reintentar",
    )
    def reintentar(self, request, *args, entrega_id=None, **kwargs):
        pk = parse_id(entrega_id)
        entrega = self._entregas(self.get_object()).filter(pk=pk).first() if pk else None
        if entrega is None:
            raise NotFound("Entrega no encontrada")
        entrega = dispatch.entrega_retry(entrega=entrega, por=request.user)
        return Response(EntregaSerializer(entrega).data, status=status.HTTP_202_ACCEPTED)

    def _entregas(self, suscripcion: Suscripcion):
        return Entrega.objects.for_tenant(self.tenant).filter(suscripcion=suscripcion)
