"""The one base class every tenant-owned API resource derives from.

It takes the tenant from the authenticated user (after DRF authentication, so token users are
covered too), scopes every query with it, and stamps it on every create. No view filters by
tenant by hand.
"""

from django.urls import reverse
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from config.api.ids import parse_id
from config.api.pagination import IdCursorPagination, PageRows
from tenants.models import Tenant


class TenantScopedViewSet(viewsets.GenericViewSet):
    """Base viewset: ``model``'s rows of the caller's tenant only.

    Subclasses set ``model``, ``not_found_message``, ``output_serializer_class``,
    ``input_serializer_class`` and the service ``create_service(tenant=, por=, **data)``
    (``data``: what the input serializer validated); ``PartialUpdateMixin`` adds PUT and
    PATCH.
    """

    model = None
    not_found_message = "Recurso no encontrado"
    output_serializer_class = None
    input_serializer_class = None
    create_service = None
    update_service = None
    lookup_value_regex = "[^/]+"

    @property
    def tenant(self) -> Tenant:
        """The caller's tenant (loaded with the user at authentication): the API's one tenant
        chooser; every query, create and context below takes it from here."""
        return self.request.user.tenant

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.model.objects.none()
        return self.model.objects.for_tenant(self.tenant)

    def get_serializer_class(self):
        if self.request and self.request.method in {"POST", "PUT", "PATCH"}:
            return self.input_serializer_class
        return self.output_serializer_class

    def get_object(self, queryset=None):
        """The row named in the URL, from ``queryset`` (default ``find_object``), or 404."""
        pk = parse_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if pk is None:
            instance = None
        elif queryset is None:
            instance = self.find_object(pk)
        else:
            instance = queryset.filter(pk=pk).first()
        if instance is None:
            raise NotFound(self.not_found_message)
        self.check_object_permissions(self.request, instance)
        return instance

    def find_object(self, pk: int):
        """The row of ``get_queryset()`` with this id, or None. A resource may read it its own
        way (compiled SQL, ``tenants.compiled``) if it finds exactly the same rows."""
        return self.get_queryset().filter(pk=pk).first()

    def validated_input(self, *, partial: bool = False, serializer_class=None) -> dict:
        """The body validated by ``serializer_class`` (default: the input serializer), which
        gets the caller's ``tenant_id`` in its context."""
        serializer = (serializer_class or self.input_serializer_class)(
            data=self.request.data,
            partial=partial,
            context={"request": self.request, "tenant_id": self.tenant.pk},
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def output(self, instance) -> dict:
        return self.output_serializer_class(instance).data

    def created(self, instance, body=None, *, basename: str | None = None) -> Response:
        """201 with ``body`` (default: ``instance`` as an answer shows it) and the new row's
        ``Location`` (its detail route, of ``basename`` or this viewset's)."""
        location = reverse(f"{basename or self.basename}-detail", args=[instance.pk])
        return Response(
            self.output(instance) if body is None else body,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    # -- actions -----------------------------------------------------------------------
    def retrieve(self, request, *args, **kwargs):
        return Response(self.output(self.get_object()))

    def create(self, request, *args, **kwargs):
        data = self.validated_input(partial=False)
        return self.created(self.create_service(tenant=self.tenant, por=request.user, **data))


class PageListMixin:
    """``list`` on a ``TenantScopedViewSet``: the page of ``page_rows`` rendered by PostgreSQL
    (``IdCursorPagination.json_page``). Its route also takes the short way
    (``tenants.api.short_lists``), which reads the same ``page_rows``."""

    pagination_class = IdCursorPagination

    def page_rows(self, *, params, cursor: int | None) -> PageRows:
        """The rows of the caller's page below ``cursor``, filtered by the query string
        ``params`` (400 when invalid). Reads only ``self.request.user``: the short way
        calls it with Django's request."""
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        limit, cursor = self.paginator.bounds(request.query_params)
        rows = self.page_rows(params=request.query_params, cursor=cursor)
        return self.paginator.json_page(request, rows, limit=limit)


class PartialUpdateMixin:
    """PUT and PATCH on a ``TenantScopedViewSet``, both partial: only the fields sent change
    (through ``update_service(instance=, data=, por=)``)."""

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.validated_input(partial=True)
        instance = self.update_service(instance=instance, data=data, por=self.request.user)
        return Response(self.output(instance))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)
