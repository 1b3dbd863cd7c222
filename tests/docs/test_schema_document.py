"""The schema is valid OpenAPI 3 and documents exactly the URLs (and methods) under ``/api/``."""

import json
import re

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.api import views as api_views
from tests.docs.schema_helpers import IGNORED_METHODS, resolve

SCHEMA_VIEWS = (SpectacularAPIView, SpectacularSwaggerView, SpectacularRedocView)


# -- the document is valid OpenAPI 3 ------------------------------------------------------


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"]
    assert schema["info"]["version"]
    assert schema["paths"]

    # The official OpenAPI 3.x JSON Schema, as shipped with drf-spectacular (its own
    # `spectacular --validate` uses it) ...
    from drf_spectacular.validation import validate_schema

    validate_schema(schema)
    # ... and the stricter openapi-spec-validator (semantic checks too) when it is installed.
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return
    validate(schema)


def test_every_local_ref_resolves(schema):
    refs = set(re.findall(r'"\$ref":\s*"([^"]+)"', json.dumps(schema)))
    assert refs, "expected component references"
    for ref in refs:
        assert ref.startswith("#/components/"), ref
        resolve(schema, {"$ref": ref})


# -- every URL under /api/ is documented, with its methods --------------------------------


def _pieces_to_openapi_path(pieces: list[str]) -> str:
    route = "".join(piece.removeprefix("^").removesuffix("$") for piece in pieces)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)  # re_path / routers
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)  # path() converters
    route = route.replace("{pk}", "{id}")  # drf-spectacular's SCHEMA_COERCE_PATH_PK
    return "/" + route


def _view_methods(callback) -> set[str]:
    if actions := getattr(callback, "actions", None):  # a ViewSet bound by a router
        # DRF adds "head" to this dict at the first GET: it is implicit, like OPTIONS.
        return {method.lower() for method in actions} - IGNORED_METHODS
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    assert view_class is not None, f"{callback} is not a class-based view"
    return {
        method
        for method in view_class.http_method_names
        if method not in IGNORED_METHODS and hasattr(view_class, method)
    }


def _walk(patterns, pieces=()):
    for pattern in patterns:
        here = [*pieces, str(pattern.pattern)]
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, here)
        elif isinstance(pattern, URLPattern):
            yield here, pattern


def api_endpoints() -> dict[str, set[str]]:
    """{OpenAPI path: methods} of every view the root URLconf routes under /api/."""
    endpoints: dict[str, set[str]] = {}
    catch_all = 0
    for pieces, pattern in _walk(get_resolver().url_patterns):
        path = _pieces_to_openapi_path(pieces)
        if not path.startswith("/api/"):
            continue
        if pattern.callback is api_views.api_not_found:
            catch_all += 1  # the contract's JSON 404 for unknown URLs
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, SCHEMA_VIEWS):
            continue
        endpoints.setdefault(path, set()).update(_view_methods(pattern.callback))
    assert catch_all == 1, "expected exactly one /api/ catch-all route"
    return endpoints


def test_the_resolver_walk_finds_the_known_endpoints():
    """Guards the walk itself: if it found nothing, the next test would prove nothing."""
    endpoints = api_endpoints()

    assert endpoints["/api/clientes"] == {"get", "post"}
    assert endpoints["/api/clientes/{id}"] >= {"get", "put", "patch"}
    assert endpoints["/api/clientes/{id}/historial"] == {"get"}
    assert endpoints["/api/auth/login"] == {"post"}
    assert endpoints["/api/auth/csrf"] == {"get"}


def test_every_api_url_is_in_the_schema_with_its_methods(schema):
    endpoints = api_endpoints()
    documented = {
        path: {method for method in item if method not in IGNORED_METHODS}
        for path, item in schema["paths"].items()
    }

    missing = {path: methods for path, methods in endpoints.items() if path not in documented}
    assert not missing, f"URLs under /api/ missing from the schema: {missing}"
    for path, methods in endpoints.items():
        assert documented[path] == methods, f"{path}: schema {documented[path]}, views {methods}"


def test_the_schema_documents_no_url_that_does_not_exist(schema):
    endpoints = api_endpoints()

    assert set(schema["paths"]) <= set(endpoints), set(schema["paths"]) - set(endpoints)


def test_schema_and_docs_views_are_not_documented_as_endpoints(schema):
    for path in schema["paths"]:
        assert not path.startswith(("/api/schema", "/api/docs", "/api/redoc")), path
