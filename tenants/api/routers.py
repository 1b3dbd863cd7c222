"""The API's router."""

from django.urls import URLPattern
from rest_framework.routers import SimpleRouter

from tenants.api.short_lists import with_short_way
from tenants.api.viewsets import PageListMixin


class ApiRouter(SimpleRouter):
    """DRF's ``SimpleRouter`` without trailing slashes (the contract's URLs are
    ``/api/clientes`` and ``/api/clientes/{id}``), whose ``PageListMixin`` list routes take
    the short way first (``tenants.api.short_lists``)."""

    def __init__(self):
        super().__init__(trailing_slash=False)

    def get_urls(self) -> list[URLPattern]:
        return [self._with_short_way(url) for url in super().get_urls()]

    @staticmethod
    def _with_short_way(url: URLPattern) -> URLPattern:
        view = url.callback
        if getattr(view, "actions", {}).get("get") != "list" or not issubclass(
            view.cls, PageListMixin
        ):
            return url
        return URLPattern(url.pattern, with_short_way(view), url.default_args, url.name)
