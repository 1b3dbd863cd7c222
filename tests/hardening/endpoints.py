"""The API's endpoints as the isolation tests see them: every URL pattern under ``/api/``
enumerated from Django's URL resolver (a new endpoint is picked up automatically) with the
methods its view answers, a valid JSON body for any operation of the OpenAPI schema, and the
path of an endpoint for given ids."""

import json
import re
from dataclasses import dataclass

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern
from rest_framework.test import APIClient

from tenants.api.viewsets import TenantScopedViewSet
from webhooks.models import Entrega

ALL_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
# Path parameters of rows under another (``/api/webhooks/<pk>/entregas/<entrega_id>/…``):
# filled with a row of that model under the object the path's ``pk`` names.
SUB_RESOURCES = {"entrega_id": (Entrega, "suscripcion")}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# --- enumeration --------------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoint:
    route: str  # e.g. "api/clientes/<pk>"
    name: str | None  # qualified URL name, for reverse()
    params: tuple[str, ...]
    callback: object
    methods: frozenset[str]  # the methods the view answers (others: 405)

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def tenant_scoped(self) -> bool:
        cls = self.view_class
        return isinstance(cls, type) and issubclass(cls, TenantScopedViewSet)

    @property
    def is_catch_all(self) -> bool:
        return self.name is None and not self.params and self.route == "api/"

    def __str__(self) -> str:
        return "/" + self.route


def _route_of(pattern) -> str:
    """A readable route: ``path()`` routes as they are, regexes with ``<name>`` for groups."""
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)
    return text


def _methods_of(callback) -> frozenset[str]:
    actions = getattr(callback, "actions", None)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if actions:  # a DRF viewset route: {"get": "list", ...}
        methods = {method.upper() for method in actions}
        if cls is not None and hasattr(cls, "options"):
            methods.add("OPTIONS")
    elif cls is not None:  # APIView / Django class-based view
        methods = {m.upper() for m in cls.http_method_names if hasattr(cls, m)}
    else:  # a plain function view: assume it answers everything
        methods = set(ALL_METHODS)
    if "GET" in methods:
        methods.add("HEAD")  # Django and DRF answer HEAD with the GET handler
    return frozenset(methods & set(ALL_METHODS))


def _walk(patterns, prefix: str = "", namespaces: tuple[str, ...] = ()):
    for pattern in patterns:
        route = prefix + _route_of(pattern)
        if isinstance(pattern, URLResolver):
            ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield route, name, pattern.callback


def api_endpoints() -> list[Endpoint]:
    endpoints = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        endpoints.append(Endpoint(route, name, params, callback, _methods_of(callback)))
    return endpoints


# --- request bodies from the OpenAPI schema ----------------------------------------------
def _resolve_ref(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        target = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _valid_value(schema: dict, node: dict, name: str, n: int):
    node = _resolve_ref(schema, node)
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in node:
            return _valid_value(schema, node[combinator][0], name, n)
    kind = node.get("type", "string")
    if "enum" in node:
        return node["enum"][0]
    if kind == "string":
        if node.get("format") == "email":
            return f"b{n}@tienda-b.example"
        if node.get("format") == "date-time":
            return "2030-01-01T00:00:00Z"
        return f"Valor de B {name} {n}"[: node.get("maxLength", 100)]
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "array":
        return [_valid_value(schema, node.get("items", {}), name, n)]
    if kind == "object":
        return {
            prop: _valid_value(schema, sub, prop, n)
            for prop, sub in node.get("properties", {}).items()
            if not sub.get("readOnly")
        }
    return None


def schema_operations(schema: dict) -> dict[tuple[object, str], dict]:
    """``(view callback, METHOD) -> OpenAPI operation`` for every operation of the schema."""
    operations = {}
    for path, methods in schema["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        callback = resolve(concrete).func
        for method, operation in methods.items():
            if method.upper() in ALL_METHODS:
                operations[(callback, method.upper())] = operation
    return operations


def body_for(schema: dict, operation: dict | None, n: int) -> dict:
    """A valid JSON body for ``operation``: every writable property with a valid value."""
    if not operation or "requestBody" not in operation:
        return {}
    media = operation["requestBody"]["content"].get("application/json")
    if media is None:
        return {}
    return _valid_value(schema, media["schema"], "body", n)


# --- paths and requests ------------------------------------------------------------------
def path_for(endpoint: Endpoint, ids: dict[str, int]) -> str:
    if endpoint.name:
        path = reverse(endpoint.name, kwargs=ids)
    else:
        path = "/" + endpoint.route
        for param, value in ids.items():
            path = path.replace(f"<{param}>", str(value))
    assert resolve(path).func is endpoint.callback, f"{path} does not reach {endpoint}"
    return path


def ids_for(endpoint: Endpoint, objects: dict) -> dict[str, int]:
    """The path parameters of ``endpoint`` filled with the ids of ``objects``' rows."""
    if not endpoint.params:
        return {}
    cls = endpoint.view_class
    assert endpoint.tenant_scoped, (
        f"{endpoint} has path parameters {endpoint.params} but is not a TenantScopedViewSet: "
        "teach the isolation test how to fill them with another tenant's ids"
    )
    lookup = cls.lookup_url_kwarg or cls.lookup_field
    unknown = set(endpoint.params) - {lookup} - set(SUB_RESOURCES)
    assert not unknown, f"{endpoint}: no rule to fill {unknown}"
    assert cls.model in objects, (
        f"{endpoint} serves {cls.model.__name__}: add an object of it to build_world()"
    )
    parent = objects[cls.model]
    ids = {lookup: parent.pk}
    for param in set(endpoint.params) & set(SUB_RESOURCES):
        model, parent_field = SUB_RESOURCES[param]
        rows = model.objects.unscoped().filter(**{parent_field: parent})
        ids[param] = rows.values_list("pk", flat=True).first()
        assert ids[param], f"{endpoint}: give {parent} a {model.__name__} in build_world()"
    return ids


def nowhere_id(endpoint: Endpoint) -> dict[str, int]:
    """An id of the endpoint's model that exists in no tenant."""
    if not endpoint.params:
        return {}
    cls = endpoint.view_class
    ids = {cls.lookup_url_kwarg or cls.lookup_field: _beyond(cls.model)}
    for param in set(endpoint.params) & set(SUB_RESOURCES):
        ids[param] = _beyond(SUB_RESOURCES[param][0])
    return ids


def _beyond(model) -> int:
    top = model.objects.unscoped().order_by("-pk").values_list("pk", flat=True).first() or 0
    return top + 1_000_000


def send(
    client: APIClient,
    method: str,
    path: str,
    body: dict | None = None,
    *,
    key: str | None = None,
    **query,
):
    """One request; writes carry ``body`` as JSON and, when given, ``Idempotency-Key: key``."""
    kwargs = {}
    if method in WRITE_METHODS:
        kwargs = {"data": json.dumps(body or {}), "content_type": "application/json"}
        if key is not None:
            kwargs["HTTP_IDEMPOTENCY_KEY"] = key
    elif query:
        kwargs = {"data": query}
    return read_whole(getattr(client, method.lower())(path, **kwargs))


def read_whole(response):
    """A streamed answer (an export, a person's data) read whole, so every check reads its
    ``content`` like any other answer's."""
    if not response.streaming:
        return response
    whole = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
    for name, value in response.items():
        whole[name] = value
    return whole


def body_json(response):
    """The body as JSON when the answer says it is JSON (``application/json``, ``+json``)."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    if is_json and response.content:
        return json.loads(response.content)
    return None
