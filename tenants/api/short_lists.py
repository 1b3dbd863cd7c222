"""The list routes' short way: the commonest list request answered without DRF's dispatch.

DRF's generic machinery costs a list page about a quarter of its CPU: wrapping the request,
negotiating, building and rendering a ``Response`` (bench/README.md, the tenth and eleventh
steps). The short way takes only the plainest request, ``GET`` with ``Authorization: Token``
and no ``Accept`` or a JSON one, and answers it with what DRF's view would run: the same
authentication, permission, throttles, ``page_rows`` and page statement, the same bytes and
headers.

Anything else goes to DRF's view, as does every refusal the short way meets (401, 403, 400,
429, a database error): DRF answers it as it always has. The steps with an effect, the
token's lookup (which counts the request), a throttle's count and the page's statement, go
through ``config.api.once``, so DRF's second pass gets their first outcome instead of running
them again.
"""

import functools
import logging

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.authentication import get_authorization_header
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.viewsets import GenericViewSet

from config.api.pagination import IdCursorPagination
from tenants.api.authentication import ActiveSessionAuthentication, ApiTokenAuthentication
from tenants.api.permissions import IsTenantMember

logger = logging.getLogger(__name__)

# What DRF's dispatch runs around a list's handler, as the short way runs it.
_DRF_STEPS = (
    "dispatch",
    "initialize_request",
    "initial",
    "get_authenticators",
    "perform_authentication",
    "perform_content_negotiation",
    "get_renderers",
    "check_permissions",
    "get_permissions",
    "check_throttles",
    "get_throttles",
    "finalize_response",
    "default_response_headers",
    "http_method_names",
)

# Accept headers whose negotiation has one outcome: the JSON renderer, ``application/json``.
_PLAIN_ACCEPTS = frozenset({None, "*/*", "application/json"})


class _DrfAnswers(Exception):
    """The short way stops: DRF's view answers the request."""


def with_short_way(drf_view):
    """``drf_view`` (a ``PageListMixin`` viewset's list route) taking the short way first."""
    viewset_class = drf_view.cls
    _check_supported(viewset_class)
    allowed = _allowed_methods(drf_view)

    @functools.wraps(drf_view)
    def view(request, *args, **kwargs):
        try:
            return _short_answer(request, viewset_class(**drf_view.initkwargs), allowed)
        except _DrfAnswers:
            pass
        except Exception:
            # DRF's view meets the same failure (or its kept outcome) and answers it.
            logger.debug("list answered by DRF after a failure", exc_info=True)
        return drf_view(request, *args, **kwargs)

    view.takes_short_way = True
    return view


def _short_answer(request, viewset, allowed: str) -> HttpResponse:
    if request.method != "GET" or request.META.get("HTTP_ACCEPT") not in _PLAIN_ACCEPTS:
        raise _DrfAnswers
    credentials = get_authorization_header(request).split()
    if len(credentials) != 2 or credentials[0].lower() != b"token":
        raise _DrfAnswers
    paginator = viewset.pagination_class()
    limit, cursor = paginator.bounds(request.GET)
    # DRF's authentication leaves the user on Django's request too (the access log reads it).
    request.user, request.auth = ApiTokenAuthentication().authenticate(request)
    viewset.request = request
    if not IsTenantMember().has_permission(request, viewset):
        raise _DrfAnswers
    if not all(throttle.allow_request(request, viewset) for throttle in viewset.get_throttles()):
        raise _DrfAnswers
    rows = viewset.page_rows(params=request.GET, cursor=cursor)
    page, next_cursor = paginator.read_page(request, rows, limit=limit)
    # The headers in DRF's order: the view's own, then the class's (``finalize_response``).
    response = HttpResponse(page, content_type="application/json")
    for name, value in paginator.link(request, next_cursor).items():
        response[name] = value
    response["Allow"] = allowed
    return response


def _allowed_methods(drf_view) -> str:
    """The ``Allow`` header DRF's view sends: its viewset's methods, bound as ``as_view``
    binds them (``HEAD`` beside ``GET``)."""
    viewset = drf_view.cls(**drf_view.initkwargs)
    for method in (*drf_view.actions, "head"):
        setattr(viewset, method, None)
    return ", ".join(viewset.allowed_methods)


def _check_supported(viewset_class) -> None:
    """The short way runs exactly these classes; a route configured otherwise must not take
    it (it would answer differently from its DRF view)."""
    expected = {
        "authentication_classes": [ApiTokenAuthentication, ActiveSessionAuthentication],
        "permission_classes": [IsTenantMember],
        "content_negotiation_class": DefaultContentNegotiation,
        "pagination_class": IdCursorPagination,
        "versioning_class": None,
    }
    for name, classes in expected.items():
        if getattr(viewset_class, name) != classes:
            raise ImproperlyConfigured(
                f"{viewset_class.__name__}.{name} is not what the short way runs: {classes}"
            )
    if viewset_class.renderer_classes != [ORJSONRenderer]:
        raise ImproperlyConfigured(
            f"{viewset_class.__name__} renders otherwise than ORJSONRenderer"
        )
    for name in _DRF_STEPS:
        if getattr(viewset_class, name) is not getattr(GenericViewSet, name):
            raise ImproperlyConfigured(f"{viewset_class.__name__} changes DRF's {name}")
