"""The OpenAPI 3 document at /api/schema/ and the Swagger UI / Redoc pages that render it.

The schema must be a valid OpenAPI 3 document that lists every URL the resolver exposes under
``/api/`` (and nothing else), with the contract's camelCase fields, query parameters, error
bodies and both ways to authenticate. The documentation pages must work offline: every asset
they load comes from this service's ``/static/``.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.api import views as api_views
from tests import contract

SCHEMA_URL = "/api/schema/"
DOC_PAGES = ["/api/docs/", "/api/redoc/"]
SCHEMA_VIEWS = (SpectacularAPIView, SpectacularSwaggerView, SpectacularRedocView)
IGNORED_METHODS = {"options", "head", "trace"}

CLIENTE_FIELDS = set(contract.CLIENTE_FIELDS)

# (method, path) -> the error statuses the contract says that operation can answer.
# 429 is possible everywhere: every view is throttled (request rate, login attempts).
EXPECTED_ERRORS = {
    ("get", "/api/clientes"): {400, 401, 403, 429},
    ("post", "/api/clientes"): {400, 401, 403, 409, 413, 415, 429},
    ("get", "/api/clientes/{id}"): {401, 403, 404, 429},
    ("put", "/api/clientes/{id}"): {400, 401, 403, 404, 409, 413, 415, 429},
    ("patch", "/api/clientes/{id}"): {400, 401, 403, 404, 409, 413, 415, 429},
    ("get", "/api/clientes/{id}/historial"): {401, 403, 404, 429},
    ("post", "/api/auth/login"): {400, 401, 415, 429},
    ("post", "/api/auth/logout"): {403, 429},
    ("get", "/api/auth/me"): {401, 429},
    ("get", "/api/auth/csrf"): {429},
}


@pytest.fixture(scope="module")
def schema() -> dict:
    response = Client().get(SCHEMA_URL)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(("application/json", "application/vnd.oai"))
    return response.json()


def resolve(schema: dict, node: dict) -> dict:
    """Follow local ``$ref``s (and a single-item ``allOf`` wrapper) to the schema object."""
    while True:
        if "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/"), ref
            node = schema
            for part in ref[2:].split("/"):
                node = node[part]
        elif len(node.get("allOf", [])) == 1:
            node = node["allOf"][0]
        else:
            return node


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}:
                yield method, path, operation


def json_body(schema: dict, response: dict) -> dict:
    content = response.get("content", {})
    assert "application/json" in content, f"no application/json body: {response}"
    return resolve(schema, content["application/json"]["schema"])


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


# -- shapes: camelCase fields, list parameters, Link header -------------------------------


def test_cliente_schema_has_the_contract_camel_case_fields(schema):
    cliente = resolve(schema, {"$ref": "#/components/schemas/Cliente"})

    assert set(cliente["properties"]) == CLIENTE_FIELDS
    assert cliente["properties"]["creadoEn"]["format"] == "date-time"
    for field in ["documento", "email", "telefono", "direccion", "notas"]:
        assert cliente["properties"][field].get("nullable") is True, field
    assert not any("_" in name for name in cliente["properties"])


def test_cliente_responses_use_the_cliente_schema(schema):
    paths = schema["paths"]
    ok = {
        ("get", "/api/clientes/{id}"): "200",
        ("put", "/api/clientes/{id}"): "200",
        ("patch", "/api/clientes/{id}"): "200",
        ("post", "/api/clientes"): "201",
    }
    for (method, path), status in ok.items():
        body = json_body(schema, paths[path][method]["responses"][status])
        assert set(body["properties"]) == CLIENTE_FIELDS, (method, path)


def test_list_answers_a_plain_array_of_clientes(schema):
    body = json_body(schema, schema["paths"]["/api/clientes"]["get"]["responses"]["200"])

    assert body["type"] == "array"
    assert set(resolve(schema, body["items"])["properties"]) == CLIENTE_FIELDS


def test_create_body_names_only_writable_camel_case_fields(schema):
    request = schema["paths"]["/api/clientes"]["post"]["requestBody"]
    body = resolve(schema, request["content"]["application/json"]["schema"])

    assert set(body["properties"]) == CLIENTE_FIELDS - {"id", "creadoEn"}
    assert body["required"] == ["nombre"]
    assert "application/json" in request["content"]


def test_historial_schema_has_the_contract_fields(schema):
    operation = schema["paths"]["/api/clientes/{id}/historial"]["get"]
    body = json_body(schema, operation["responses"]["200"])

    assert set(body["properties"]) >= CLIENTE_FIELDS | {
        "ventas",
        "cotizaciones",
        "_count",
        "resumen",
    }
    venta = resolve(schema, body["properties"]["ventas"]["items"])
    assert {"id", "total", "notas", "creadoEn", "canceladaEn"} <= set(venta["properties"])
    cotizacion = resolve(schema, body["properties"]["cotizaciones"]["items"])
    assert {"id", "total", "estado", "validaHasta", "creadoEn"} <= set(cotizacion["properties"])
    count = resolve(schema, body["properties"]["_count"])
    assert set(count["properties"]) == {"ventas", "cotizaciones"}
    resumen = resolve(schema, body["properties"]["resumen"])
    assert set(resumen["properties"]) == {"totalComprado", "ultimaCompra"}


def test_list_documents_busqueda_limite_and_cursor(schema):
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/clientes"]["get"].get("parameters", [])
    }

    assert {"busqueda", "limite", "cursor"} <= set(parameters)
    for name in ["busqueda", "limite", "cursor"]:
        assert parameters[name]["in"] == "query"
        assert not parameters[name].get("required", False)
        assert parameters[name].get("description"), name
    assert parameters["busqueda"]["schema"]["type"] == "string"
    assert parameters["limite"]["schema"]["type"] == "integer"
    assert parameters["limite"]["schema"].get("minimum") == 1
    assert parameters["cursor"]["schema"]["type"] == "integer"


def test_list_documents_the_link_header(schema):
    response = schema["paths"]["/api/clientes"]["get"]["responses"]["200"]

    headers = {name.lower(): header for name, header in response.get("headers", {}).items()}
    assert "link" in headers, "the 200 of GET /api/clientes must document the `Link` header"
    assert headers["link"].get("description")


def test_path_id_parameters_are_documented(schema):
    for path in ["/api/clientes/{id}", "/api/clientes/{id}/historial"]:
        for method, operation in schema["paths"][path].items():
            if method in IGNORED_METHODS or not isinstance(operation, dict):
                continue
            names = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
            assert "id" in names, (method, path)
            assert names["id"]["required"] is True


def test_clientes_operations_carry_examples(schema):
    """The issue asks for examples; at least the customer bodies show one."""
    found = False
    for _method, path, operation in operations(schema):
        if not path.startswith("/api/clientes"):
            continue
        bodies = [operation.get("requestBody", {}), *operation["responses"].values()]
        for body in bodies:
            for media in body.get("content", {}).values():
                found = found or "example" in media or "examples" in media
    cliente = resolve(schema, {"$ref": "#/components/schemas/Cliente"})
    found = found or "example" in cliente
    assert found, "no example in any /api/clientes request or response body"


# -- errors: every documented error has the contract's body -------------------------------


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED_ERRORS))
def test_operation_documents_its_error_statuses(schema, method, path):
    responses = schema["paths"][path][method]["responses"]

    documented = {int(status) for status in responses if status[0] in "45"}
    missing = EXPECTED_ERRORS[(method, path)] - documented
    assert not missing, f"{method.upper()} {path} does not document {sorted(missing)}"


def test_every_documented_error_has_the_error_body(schema):
    checked = 0
    for method, path, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status[0] not in "45":
                continue
            body = json_body(schema, response)
            where = f"{method.upper()} {path} {status}"
            assert body.get("type") == "object", where
            assert body["properties"]["error"]["type"] == "string", where
            assert "error" in body.get("required", []), where
            assert response.get("description"), where
            if status == "400":
                detalles = body["properties"].get("detalles")
                assert detalles is not None, f"{where}: 400 must describe `detalles`"
                assert detalles["type"] == "object", where
                assert detalles["additionalProperties"]["type"] == "array", where
            else:
                assert "detalles" not in body.get("required", []), where
            checked += 1
    assert checked >= 30


# -- authentication ------------------------------------------------------------------------


def test_both_auth_schemes_are_declared(schema):
    schemes = schema["components"]["securitySchemes"]

    token = [s for s in schemes.values() if s.get("in") == "header"]
    assert len(token) == 1
    assert token[0]["type"] == "apiKey"
    assert token[0]["name"] == "Authorization"
    assert "Token" in token[0].get("description", "")

    cookie = [s for s in schemes.values() if s.get("in") == "cookie"]
    assert len(cookie) == 1
    assert cookie[0]["type"] == "apiKey"
    from django.conf import settings

    assert cookie[0]["name"] == settings.SESSION_COOKIE_NAME


def test_data_endpoints_accept_both_schemes_and_login_none(schema):
    schemes = schema["components"]["securitySchemes"]
    header = next(name for name, s in schemes.items() if s.get("in") == "header")
    cookie = next(name for name, s in schemes.items() if s.get("in") == "cookie")

    for method, path, operation in operations(schema):
        security = operation.get("security", schema.get("security"))
        names = {name for requirement in security or [] for name in requirement}
        if path in {"/api/auth/login", "/api/auth/csrf"}:
            assert not names, f"{method.upper()} {path} needs no credentials"
        elif path == "/api/auth/logout":  # ends a session: the cookie, or nothing to end
            assert names == {cookie}, f"{method.upper()} {path}: {security}"
        else:
            assert {header, cookie} <= names, f"{method.upper()} {path}: {security}"


# -- Swagger UI and Redoc, from local files ------------------------------------------------


class _AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe"} and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])


def page_assets(html: str) -> list[str]:
    parser = _AssetParser()
    parser.feed(html)
    return parser.assets


@pytest.mark.parametrize("url", DOC_PAGES)
def test_doc_page_is_html_and_points_at_the_schema(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert SCHEMA_URL in response.content.decode()


@pytest.mark.parametrize("url", DOC_PAGES)
def test_doc_page_loads_nothing_from_another_host(client, url):
    html = client.get(url).content.decode()

    assets = page_assets(html)
    assert any(asset.endswith(".js") for asset in assets), assets
    remote = [asset for asset in assets if not asset.startswith("/static/")]
    assert not remote, f"{url} loads assets from outside /static/: {remote}"
    urls = re.findall(r"""https?://[^\s"'<>)]+""", html)
    assert not urls, f"{url} references remote URLs (no internet here): {urls}"


@pytest.mark.parametrize("url", DOC_PAGES)
def test_doc_page_assets_are_served(client, url):
    assets = page_assets(client.get(url).content.decode())

    for asset in assets:
        if not asset.startswith("/static/"):
            continue  # reported by the test above
        response = client.get(asset)
        # Consuming streaming_content closes the response the way the test client expects.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, asset
        assert body, asset
