"""What ends or joins a customer's life over HTTP: delete, erase, merge, its change history and
the personal-data document; and the 308 a merged id answers with on every route."""

import re

from django.http import StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from clientes import lifecycle, merge, selectors
from clientes.personal_data import cliente_personal_data
from clientes.serializers import (
    ClienteEventoSerializer,
    ClienteSerializer,
    DatosPersonalesSerializer,
    FusionInputSerializer,
)
from clientes.views.schema import MOVED, MOVED_LOCATION
from config.api.exceptions import Moved
from config.api.ids import parse_id
from config.api.schema import ERROR_RESPONSES
from tenants.api.idempotency import IDEMPOTENCY_KEY, REPLAYED, idempotent

OWN_ID = re.compile(r"^(/api/clientes/)[^/?]+")
# What a merged id answers with a 308 (the contract's list): reads and the customer's own
# writes, which the survivor takes as they are.
MOVED_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"}


class ClienteLifecycleMixin:
    """Routes of a ``TenantScopedViewSet`` of customers; the rules are the services'."""

    @extend_schema(
        summary="Eliminar un cliente creado por error (ADMIN; sin ventas ni cotizaciones)",
        parameters=[MOVED_LOCATION],
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
            **ERROR_RESPONSES(
                400,
                401,
                403,
                404,
                409,
                413,
                415,
                422,
                descriptions={409: merge.MENSAJE_ANONIMIZADO},
            ),
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
        parameters=[MOVED_LOCATION],
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

    @extend_schema(
        summary="Todo lo que la empresa guarda de un cliente (ADMIN; solicitud de acceso)",
        parameters=[MOVED_LOCATION],
        responses={200: DatosPersonalesSerializer, **MOVED, **ERROR_RESPONSES(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], url_path="datos-personales", pagination_class=None)
    def datos_personales(self, request, *args, **kwargs):
        document = cliente_personal_data(cliente=self.get_object(), por=request.user)
        return StreamingHttpResponse(document, content_type="application/json")

    def get_object(self, queryset=None):
        """The customer, or a 308 to the one a merged id answers for now. Not for a POST: an
        erasure or a merge must name the customer it means, and is never sent on elsewhere
        (so two opposite merges racing end in 200 and 404)."""
        try:
            return super().get_object(queryset)
        except NotFound:
            if self.request.method not in MOVED_METHODS:
                raise
            pk = parse_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
            survivor = merge.merged_into(tenant_id=self.tenant.pk, pk=pk) if pk else None
            if survivor is None:
                raise
            raise Moved(
                merge.MENSAJE_FUSIONADO.format(id=survivor),
                location=OWN_ID.sub(rf"\g<1>{survivor}", self.request.get_full_path(), count=1),
                fusionadoCon=survivor,
            ) from None
