"""Tenant isolation as a property of the whole API, not a list of examples.

Every URL pattern under ``/api/`` is enumerated from Django's URL resolver (a new endpoint is
picked up automatically), every HTTP method is called on it as a member of tenant B with the
ids of tenant A's objects in the path, and each call must:

- answer 404 on A's objects (exactly as it answers for an id that exists nowhere), an answer with
  only B's rows on lists, 405 for a method the endpoint does not have, never a 5xx;
- show nothing of A (no marker string of A's data in any body);
- change nothing of A (every row A owns, compared before and after each request).

Then the same guarantee one layer down: tenant-owned querysets refuse to run without a tenant,
and PostgreSQL refuses rows that point at another tenant's rows (composite foreign keys).
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern
from rest_framework.test import APIClient

from clientes.models import Cliente
from cotizaciones.models import Cotizacion, CotizacionItem
from tenants.scoping import TenantScopedModel, TenantScopeError
from tenants.viewsets import TenantScopedViewSet
from tests.factories import (
    PASSWORD,
    make_cliente,
    make_cotizacion,
    make_tenant,
    make_token,
    make_user,
    make_venta,
)
from tests.hardening.conftest import tenant_owned_models, tenant_snapshot
from ventas.models import Venta, VentaItem

ALL_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# The enumeration must at least find these (route, method) pairs; it may find more.
REQUIRED_PAIRS = {
    ("api/clientes", "GET"),
    ("api/clientes", "POST"),
    ("api/clientes/<pk>", "GET"),
    ("api/clientes/<pk>", "PUT"),
    ("api/clientes/<pk>", "PATCH"),
    ("api/clientes/<pk>/historial", "GET"),
    ("api/auth/login", "POST"),
    ("api/auth/logout", "POST"),
    ("api/auth/me", "GET"),
    ("api/auth/csrf", "GET"),
}
MIN_ENDPOINTS = 10
MIN_TENANT_SCOPED_PAIRS = 6

# Strings that only tenant A's data contains; none may appear in an answer to B.
MARK = "zqxmarcaa"


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


# --- the world: two tenants with data ------------------------------------------------------
@dataclass
class World:
    a: object
    b: object
    user_a: object
    user_b: object
    token_b: str
    objects_a: dict  # model -> an object of A
    objects_b: dict  # model -> an object of B
    markers: tuple[str, ...]


def build_world() -> World:
    a = make_tenant(nombre=f"Tienda {MARK} uno")
    b = make_tenant(nombre="Tienda B")
    user_a = make_user(a, email=f"{MARK}@tienda-a.example", nombre=f"Ana {MARK}")
    user_b = make_user(b)
    make_token(user_a)
    cliente_a = make_cliente(
        a,
        nombre=f"Cliente {MARK}",
        documento="1.020.345-678",
        email=f"cliente.{MARK}@tienda-a.example",
        telefono="300 123 4567",
        direccion=f"Calle {MARK}",
        notas=f"Notas {MARK}",
    )
    make_cliente(a, nombre=f"Otro {MARK}")
    venta_a = make_venta(a, cliente_a, total="150000.00", notas=f"venta {MARK}")
    make_venta(a, cliente_a, total="20.00", vendedor=user_a)
    cotizacion_a = make_cotizacion(a, cliente_a, total="99000.50", notas=f"cot {MARK}")
    cliente_b = make_cliente(b, nombre="Cliente de B", documento="B-1")
    venta_b = make_venta(b, cliente_b)
    cotizacion_b = make_cotizacion(b, cliente_b)
    return World(
        a=a,
        b=b,
        user_a=user_a,
        user_b=user_b,
        token_b=make_token(user_b),
        objects_a={Cliente: cliente_a, Venta: venta_a, Cotizacion: cotizacion_a},
        objects_b={Cliente: cliente_b, Venta: venta_b, Cotizacion: cotizacion_b},
        markers=(MARK,),
    )


def client_b(world: World) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.token_b}")
    return client


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
        "teach this test how to fill them with another tenant's ids"
    )
    lookup = cls.lookup_url_kwarg or cls.lookup_field
    unknown = set(endpoint.params) - {lookup}
    assert not unknown, f"{endpoint}: no rule to fill {unknown}"
    assert cls.model in objects, (
        f"{endpoint} serves {cls.model.__name__}: add an object of it to build_world()"
    )
    return {lookup: objects[cls.model].pk}


def nowhere_id(endpoint: Endpoint) -> dict[str, int]:
    """An id of the endpoint's model that exists in no tenant."""
    if not endpoint.params:
        return {}
    cls = endpoint.view_class
    top = cls.model.objects.unscoped().order_by("-pk").values_list("pk", flat=True).first() or 0
    return {cls.lookup_url_kwarg or cls.lookup_field: top + 1_000_000}


def send(client: APIClient, method: str, path: str, body: dict | None = None, **query):
    kwargs = {}
    if method in WRITE_METHODS:
        kwargs = {"data": json.dumps(body or {}), "content_type": "application/json"}
    elif query:
        kwargs = {"data": query}
    return getattr(client, method.lower())(path, **kwargs)


def body_json(response):
    """The body as JSON when the answer says it is JSON (``application/json``, ``+json``)."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    if is_json and response.content:
        return json.loads(response.content)
    return None


def assert_nothing_of_a(world: World, response, what: str) -> None:
    text = response.content.decode("utf-8", "replace").lower()
    for marker in world.markers:
        assert marker.lower() not in text, f"{what}: the answer shows {marker!r} of tenant A"


# --- the property ---------------------------------------------------------------------------
def test_enumeration_finds_every_endpoint():
    endpoints = api_endpoints()
    pairs = {(e.route, m) for e in endpoints for m in e.methods}
    assert len(endpoints) >= MIN_ENDPOINTS, [str(e) for e in endpoints]
    assert pairs >= REQUIRED_PAIRS, REQUIRED_PAIRS - pairs
    scoped = [(e.route, m) for e in endpoints if e.tenant_scoped for m in e.methods]
    assert len(scoped) >= MIN_TENANT_SCOPED_PAIRS, scoped


@pytest.mark.django_db
def test_every_endpoint_and_method_is_confined_to_the_callers_tenant(capsys):
    world = build_world()
    schema = json.loads(APIClient().get("/api/schema/").content)
    operations = schema_operations(schema)
    endpoints = api_endpoints()
    by_callback = {e.callback: e for e in endpoints}

    # Every operation the schema documents is one the enumeration found (and will probe).
    for callback, method in operations:
        assert callback in by_callback, f"schema operation {method} not enumerated"
        assert method in by_callback[callback].methods

    a_before = tenant_snapshot(world.a)
    exposed_pairs = probed_pairs = 0
    failures = []
    for n, (endpoint, method) in enumerate((e, m) for e in endpoints for m in ALL_METHODS):
        exposed = method in endpoint.methods
        exposed_pairs += exposed
        probed_pairs += 1
        what = f"{method} {endpoint}"
        body = body_for(schema, operations.get((endpoint.callback, method)), n)
        if endpoint.route == "api/auth/login":
            body = {"email": world.user_b.email, "password": PASSWORD}
        if "documento" in body and method == "POST":  # same documento, other tenant: fine
            body["documento"] = world.objects_a[Cliente].documento
        if method in {"POST", "PUT", "PATCH"}:
            # Fields naming a tenant or an id must be ignored, never obeyed.
            body |= {"tenant": world.a.pk, "tenant_id": world.a.pk, "empresa": world.a.pk}
            body |= {"id": world.objects_a[Cliente].pk}

        path = path_for(endpoint, ids_for(endpoint, world.objects_a))
        response = send(client_b(world), method, path, body)
        try:
            assert response.status_code < 500, (
                f"{what}: {response.status_code} {response.content[:100]!r}"
            )
            assert_nothing_of_a(world, response, what)
            check_answer(world, endpoint, method, exposed, path, body, response)
            if endpoint.params:
                # Indistinguishable from an id that exists nowhere: no existence oracle.
                other = send(
                    client_b(world), method, path_for(endpoint, nowhere_id(endpoint)), body
                )
                assert (other.status_code, other.content) == (
                    response.status_code,
                    response.content,
                ), f"{what}: A's id answers differently from a missing id"
            if endpoint.tenant_scoped and endpoint.params and exposed and method != "OPTIONS":
                # Positive control: the same request on B's own object works.
                own = path_for(endpoint, ids_for(endpoint, world.objects_b))
                control = send(client_b(world), method, own, body)
                assert 200 <= control.status_code < 300, (
                    f"{what} on B's own object: {control.status_code} {control.content[:300]}"
                )
            assert tenant_snapshot(world.a) == a_before, f"{what} changed tenant A's data"
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
            a_before = tenant_snapshot(world.a)

    with capsys.disabled():
        print(
            f"\n[isolation] {len(endpoints)} endpoints; {exposed_pairs} exposed endpoint×method "
            f"pairs, {probed_pairs} endpoint×method pairs probed (incl. 405s)"
        )
    assert not failures, "\n".join(failures)
    assert exposed_pairs >= len(REQUIRED_PAIRS)


def check_answer(world, endpoint, method, exposed, path, body, response) -> None:
    what = f"{method} {endpoint}"
    status = response.status_code
    data = body_json(response)
    if endpoint.is_catch_all:
        assert status == 404, f"{what}: {status}"
        return
    if not exposed:
        assert status == 405, f"{what} is not exposed: expected 405, got {status}"
        if method != "HEAD":
            assert isinstance(data, dict) and "error" in data, (
                f"{what}: 405 without the JSON error body "
                f"({response.get('Content-Type')}: {response.content[:60]!r})"
            )
        return
    if method == "OPTIONS":
        assert status in {200, 404}, f"{what}: {status}"
        return
    if endpoint.tenant_scoped and endpoint.params:
        assert status == 404, f"{what} on tenant A's object: expected 404, got {status}"
        if method != "HEAD":
            assert isinstance(data, dict) and isinstance(data.get("error"), str), what
        return
    if endpoint.tenant_scoped:  # a collection
        model = endpoint.view_class.model
        ids_a = set(model.objects.unscoped().filter(tenant=world.a).values_list("pk", flat=True))
        ids_b = set(model.objects.unscoped().filter(tenant=world.b).values_list("pk", flat=True))
        if method in {"GET", "HEAD"}:
            assert status == 200, f"{what}: {status}"
            if method == "GET":
                check_list(world, endpoint, data, ids_a, ids_b, what)
        elif method == "POST":
            assert status == 201, f"{what}: {status} {response.content[:300]}"
            created = model.objects.unscoped().get(pk=data["id"])
            assert created.tenant_id == world.b.pk, f"{what}: created in tenant {created.tenant_id}"
        else:
            assert status < 500, f"{what}: {status}"
        return
    # Endpoints that are not tenant data (auth, schema, docs): they answer, and only about B.
    assert status < 500, f"{what}: {status}"
    if endpoint.route == "api/auth/me" and method == "GET":
        assert data["empresa"]["id"] == world.b.pk, f"{what}: {data}"
    if endpoint.route == "api/auth/login":
        assert status == 200 and data["empresa"]["id"] == world.b.pk, f"{what}: {data}"


def check_list(world, endpoint, data, ids_a, ids_b, what) -> None:
    assert isinstance(data, list), f"{what}: {data!r:.200}"
    got = {row["id"] for row in data}
    assert got <= ids_b and not got & ids_a, f"{what}: rows of another tenant {got - ids_b}"
    assert got, f"{what}: B's own rows are missing"
    # With each query parameter aimed at A's data: A's name, an id above A's rows.
    path = path_for(endpoint, {})
    cliente_a = world.objects_a[Cliente]
    for query in (
        {"busqueda": MARK},
        {"busqueda": cliente_a.documento},
        {"busqueda": "3001234567"},
        {"cursor": str(max(ids_a) + 1)},
        {"limite": "500"},
    ):
        response = send(client_b(world), "GET", path, **query)
        assert response.status_code == 200, f"{what} {query}: {response.status_code}"
        rows = {row["id"] for row in body_json(response)}
        assert rows <= ids_b and not rows & ids_a, f"{what} {query}: rows of A {rows & ids_a}"


@pytest.mark.django_db
def test_session_member_of_b_is_confined_too():
    """The browser channel (session + CSRF) reaches the same tenant-scoped code."""
    world = build_world()
    client = APIClient(enforce_csrf_checks=True, raise_request_exception=False)
    login = client.post(
        "/api/auth/login",
        {"email": world.user_b.email, "password": PASSWORD},
        format="json",
    )
    assert login.status_code == 200
    csrf = client.get("/api/auth/csrf").json()["csrfToken"]
    cliente_a = world.objects_a[Cliente]
    before = tenant_snapshot(world.a)
    for method, path in (
        ("get", f"/api/clientes/{cliente_a.pk}"),
        ("get", f"/api/clientes/{cliente_a.pk}/historial"),
        ("put", f"/api/clientes/{cliente_a.pk}"),
        ("patch", f"/api/clientes/{cliente_a.pk}"),
    ):
        response = getattr(client, method)(
            path, {"nombre": "Robado"}, format="json", HTTP_X_CSRFTOKEN=csrf
        )
        assert response.status_code == 404, (method, path, response.status_code)
    listed = client.get("/api/clientes").json()
    assert {row["id"] for row in listed} == {world.objects_b[Cliente].pk}
    assert tenant_snapshot(world.a) == before


# --- tenant scoping of querysets ----------------------------------------------------------
UNSCOPED_QUERIES = {
    "list(all())": lambda m: list(m.objects.all()),
    "count()": lambda m: m.objects.count(),
    "exists()": lambda m: m.objects.exists(),
    "first()": lambda m: m.objects.first(),
    "get(pk=1)": lambda m: m.objects.get(pk=1),
    "values_list()": lambda m: list(m.objects.values_list("pk", flat=True)),
    "iterator()": lambda m: list(m.objects.iterator()),
    "aggregate()": lambda m: m.objects.aggregate(n=Count("pk")),
    "in_bulk()": lambda m: m.objects.in_bulk([1]),
    "update()": lambda m: m.objects.update(tenant_id=m.objects.unscoped().first().tenant_id),
    "delete()": lambda m: m.objects.all().delete(),
    "filter(pk__gt=0)": lambda m: list(m.objects.filter(pk__gt=0)),
    "filter(tenant__in=...)": lambda m: list(m.objects.filter(tenant__in=[1, 2])),
    "exclude(tenant=...)": lambda m: list(m.objects.exclude(tenant=1)),
    "filter(tenant=A) | filter(tenant=B)": lambda m: list(
        m.objects.filter(tenant=1) | m.objects.filter(tenant=2)
    ),
    "for_tenant(None)": lambda m: list(m.objects.for_tenant(None)),
}


@pytest.fixture
def two_shops(db):
    a, b = make_tenant(), make_tenant()
    for tenant in (a, b):
        cliente = make_cliente(tenant, documento=f"DOC-{tenant.pk}")
        make_venta(tenant, cliente)
        make_cotizacion(tenant, cliente)
    return a, b


@pytest.mark.parametrize("query", UNSCOPED_QUERIES)
@pytest.mark.parametrize("model", tenant_owned_models(), ids=lambda m: m.__name__)
def test_default_manager_refuses_queries_without_tenant(two_shops, model, query):
    before = {m: m.objects.unscoped().count() for m in tenant_owned_models()}
    with pytest.raises(TenantScopeError):
        UNSCOPED_QUERIES[query](model)
    after = {m: m.objects.unscoped().count() for m in tenant_owned_models()}
    assert after == before


def test_the_named_models_are_tenant_scoped():
    models = set(tenant_owned_models())
    assert {Cliente, Venta, VentaItem, Cotizacion, CotizacionItem} <= models
    for model in models:
        assert issubclass(model, TenantScopedModel)


@pytest.mark.parametrize("model", tenant_owned_models(), ids=lambda m: m.__name__)
def test_for_tenant_and_unscoped_work(two_shops, model):
    a, b = two_shops
    rows_a = list(model.objects.for_tenant(a))
    assert rows_a and all(row.tenant_id == a.pk for row in rows_a)
    assert model.objects.for_tenant(a.pk).count() == len(rows_a)
    assert model.objects.for_tenant(a).exists()
    assert model.objects.for_tenant(a).filter(pk=rows_a[0].pk).first() == rows_a[0]
    everyone = model.objects.unscoped()
    assert {row.tenant_id for row in everyone} >= {a.pk, b.pk}
    assert everyone.count() == len(rows_a) + model.objects.for_tenant(b).count() + (
        model.objects.unscoped().exclude(tenant__in=[a, b]).count()
    )


def test_update_and_delete_through_for_tenant_touch_one_tenant(two_shops):
    a, b = two_shops
    extra_a = make_cliente(a, nombre="Borrable")
    make_cliente(b, nombre="Borrable")
    assert Cliente.objects.for_tenant(a).filter(nombre="Borrable").update(notas="x") == 1
    assert Cliente.objects.for_tenant(b).get(nombre="Borrable").notas is None
    Cliente.objects.for_tenant(a).filter(pk=extra_a.pk).delete()
    assert Cliente.objects.unscoped().filter(nombre="Borrable").count() == 1
    assert Cliente.objects.for_tenant(b).filter(nombre="Borrable").exists()


def test_union_with_an_unscoped_queryset_is_refused(two_shops):
    """A scoped queryset combined with an unscoped one must not return other tenants' rows."""
    a, _ = two_shops
    with pytest.raises(TenantScopeError):
        list(Cliente.objects.for_tenant(a).union(Cliente.objects.all()))


def test_related_managers_of_a_tenant_object_are_scoped(two_shops):
    a, _ = two_shops
    cliente = Cliente.objects.for_tenant(a).get()
    assert [v.tenant_id for v in cliente.ventas.all()] == [a.pk]
    assert [c.tenant_id for c in cliente.cotizaciones.all()] == [a.pk]


# --- the database refuses cross-tenant references ----------------------------------------
def _refused(build) -> IntegrityError:
    """Runs ``build`` in a savepoint with every constraint checked at once; returns the error."""
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        build()
    return info.value


def _constraint(error: IntegrityError) -> str:
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") or ""


def test_database_refuses_sale_for_another_tenants_customer(two_shops):
    a, b = two_shops
    cliente_b = Cliente.objects.for_tenant(b).get()
    before = Venta.objects.unscoped().count()
    error = _refused(lambda: Venta.objects.create(tenant=a, cliente=cliente_b, total=Decimal(1)))
    assert "mismo_tenant" in _constraint(error), _constraint(error)
    assert Venta.objects.unscoped().count() == before


def test_database_refuses_moving_a_sale_onto_another_tenants_customer(two_shops):
    a, b = two_shops
    venta_a = Venta.objects.for_tenant(a).get()
    cliente_b = Cliente.objects.for_tenant(b).get()
    error = _refused(
        lambda: Venta.objects.for_tenant(a).filter(pk=venta_a.pk).update(cliente=cliente_b)
    )
    assert "mismo_tenant" in _constraint(error)
    venta_a.refresh_from_db()
    assert venta_a.cliente.tenant_id == a.pk


def test_database_refuses_quotation_for_another_tenants_customer(two_shops):
    a, b = two_shops
    cliente_b = Cliente.objects.for_tenant(b).get()
    error = _refused(
        lambda: Cotizacion.objects.create(tenant=a, cliente=cliente_b, total=Decimal(1))
    )
    assert "mismo_tenant" in _constraint(error)


def test_database_refuses_sale_item_of_another_tenants_sale(two_shops):
    a, b = two_shops
    venta_b = Venta.objects.for_tenant(b).get()
    error = _refused(
        lambda: VentaItem.objects.create(
            tenant=a,
            venta=venta_b,
            descripcion="x",
            cantidad=Decimal(1),
            precio_unitario=Decimal(1),
            subtotal=Decimal(1),
        )
    )
    assert "mismo_tenant" in _constraint(error)


def test_database_refuses_quotation_converted_into_another_tenants_sale(two_shops):
    a, b = two_shops
    venta_b = Venta.objects.for_tenant(b).get()
    error = _refused(lambda: Cotizacion.objects.create(tenant=a, venta=venta_b, total=Decimal(1)))
    assert "mismo_tenant" in _constraint(error)


def test_database_refuses_quotation_item_of_another_tenants_quotation(two_shops):
    a, b = two_shops
    cotizacion_b = Cotizacion.objects.for_tenant(b).get()
    error = _refused(
        lambda: CotizacionItem.objects.create(
            tenant=a,
            cotizacion=cotizacion_b,
            descripcion="x",
            cantidad=Decimal(1),
            precio_unitario=Decimal(1),
            subtotal=Decimal(1),
        )
    )
    assert "mismo_tenant" in _constraint(error)


def test_database_accepts_same_tenant_references(two_shops):
    """Control: the same rows within one tenant are accepted; the refusals are about tenancy."""
    a, _ = two_shops
    cliente_a = Cliente.objects.for_tenant(a).get()
    with transaction.atomic():
        venta = Venta.objects.create(tenant=a, cliente=cliente_a, total=Decimal(1))
        VentaItem.objects.create(
            tenant=a,
            venta=venta,
            descripcion="x",
            cantidad=Decimal(1),
            precio_unitario=Decimal(1),
            subtotal=Decimal(1),
        )
        Cotizacion.objects.create(tenant=a, cliente=cliente_a, venta=venta, total=Decimal(1))
