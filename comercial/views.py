"""The API base of sales and quotations: list, detail, create and cancel, on the tenant-scoped
viewset every resource uses. A USUARIO's queryset holds only their own documents, so another
seller's id is a 404 exactly like another tenant's."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.decorators import action
from rest_framework.response import Response

from comercial.models import vendedor_seen_by
from comercial.representation import as_api_answer
from comercial.selectors import document_of, document_page, with_detail
from comercial.serializers import MotivoInputSerializer
from config.api.parsers import DecimalJSONParser
from tenants.api.idempotency import idempotent
from tenants.api.viewsets import PageListMixin, TenantScopedViewSet


class DocumentoViewSet(PageListMixin, TenantScopedViewSet):
    """Subclasses set ``model``, the serializers, ``filterset_class``, ``basename`` and their
    services, as every resource does: ``create_service(tenant=, por=, **data)`` (the base's
    ``create``, with ``Idempotency-Key``) and ``cancel_service(<model name>=, por=, motivo=)``
    (``venta_cancel(venta=...)``). A kind's own fields are its model's ``own_fields``."""

    cancel_service = None

    parser_classes = [DecimalJSONParser]
    # Read by the OpenAPI schema (the query parameters); ``list`` filters in its selector.
    filter_backends = [DjangoFilterBackend]
    filterset_class = None
    basename = None

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return queryset.visible_to(self.request.user)

    def page_rows(self, *, params, cursor: int | None):
        return document_page(
            self.model,
            tenant_id=self.tenant.pk,
            vendedor_id=vendedor_seen_by(self.request.user),
            cursor=cursor,
            filterset_class=self.filterset_class,
            filters=params,
            request=self.request,
        )

    def find_object(self, pk: int):
        # get_queryset()'s rows (the tenant's, visible to the caller), read by compiled SQL.
        return document_of(
            self.model,
            tenant_id=self.tenant.pk,
            pk=pk,
            vendedor_id=vendedor_seen_by(self.request.user),
        )

    def output(self, documento) -> dict:
        return as_api_answer(documento)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.output(self.get_object(self.with_detail())))

    create = idempotent(TenantScopedViewSet.create)

    @action(detail=True, methods=["post"])
    @idempotent
    def cancelar(self, request, *args, **kwargs):
        documento = self.get_object()
        motivo = self.validated_input(serializer_class=MotivoInputSerializer)["motivo"]
        documento = self.cancel_service(
            **{self.model._meta.model_name: documento}, por=request.user, motivo=motivo
        )
        return Response(self.output(self.reread(documento)))

    # -- helpers -----------------------------------------------------------------------
    def reread(self, documento):
        """The document as its detail shows it, after a transition changed it."""
        return self.with_detail().get(pk=documento.pk)

    def with_detail(self):
        return with_detail(self.get_queryset(), tenant_id=self.tenant.pk)
