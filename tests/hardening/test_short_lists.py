"""The list routes' short way (``tenants.api.short_lists``): a plain token ``GET`` of a list
answered without DRF's dispatch, byte for byte as DRF answers it; every other request
answered by DRF; the routes that take it. Refusals: test_short_lists_refusals."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

import tenants.api.short_lists
from clientes.views import ClienteViewSet
from tenants.api.routers import ApiRouter
from tests.auth.helpers import session_client
from tests.clients import token_client
from tests.factories import make_cliente, make_cotizacion, make_venta

pytestmark = pytest.mark.django_db

LISTS = ["/api/clientes", "/api/ventas", "/api/cotizaciones"]
# Query strings of each list, filters among them, for the comparison with DRF's answer.
QUERIES = {
    "/api/clientes": ["", "limite=2", "cursor=999999", "busqueda=ana", "archivado=todos"],
    "/api/ventas": ["", "limite=2", "cursor=999999", "cancelada=false"],
    "/api/cotizaciones": ["", "limite=2", "cursor=999999", "estado=PENDIENTE"],
}


@pytest.fixture
def rows(tenant, other_tenant, admin_user) -> dict[str, set[int]]:
    """Three rows of each list in the caller's tenant (ids by route), one in another's."""
    own = {path: set() for path in LISTS}
    for nombre in ["Ana Pérez", "Bruno Díaz", "Ana Gil"]:
        cliente = make_cliente(tenant, nombre=nombre)
        own["/api/clientes"].add(cliente.pk)
        own["/api/ventas"].add(make_venta(tenant, cliente, vendedor=admin_user).pk)
        own["/api/cotizaciones"].add(make_cotizacion(tenant, cliente, vendedor=admin_user).pk)
    foreign = make_cliente(other_tenant, nombre="Ana Ajena")
    make_venta(other_tenant, foreign)
    make_cotizacion(other_tenant, foreign)
    return own


@pytest.fixture
def drf_answered(monkeypatch) -> list[str]:
    """The methods of the requests DRF's view answered (it runs as before)."""
    answered = []
    initial = APIView.initial

    def recording(view, request, *args, **kwargs):
        answered.append(request.method)
        return initial(view, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "initial", recording)
    return answered


def _answer(response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k != "X-Request-ID"}
    return response.status_code, response.content, headers


# -- the short way ----------------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_a_plain_token_get_of_a_list_takes_the_short_way(drf_answered, admin_api, rows, path):
    response = admin_api.get(path)

    assert response.status_code == 200
    assert {row["id"] for row in response.json()} == rows[path]
    assert drf_answered == []


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_each_plain_accept_header_takes_the_short_way(drf_answered, admin_api, rows, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    assert admin_api.get("/api/clientes", **headers).status_code == 200
    assert drf_answered == []


@pytest.mark.parametrize(("path", "query"), [(p, q) for p in LISTS for q in QUERIES[p]])
def test_the_short_way_answers_byte_for_byte_as_drf(
    monkeypatch, drf_answered, admin_api, rows, path, query
):
    short = admin_api.get(f"{path}?{query}")
    assert drf_answered == []
    with monkeypatch.context() as patched:
        patched.setattr(tenants.api.short_lists, "_short_answer", _drf_answers)
        drf = admin_api.get(f"{path}?{query}")

    assert _answer(short) == _answer(drf)
    assert short.status_code == 200


def _drf_answers(*args):
    raise tenants.api.short_lists._DrfAnswers


def test_a_short_list_runs_two_statements(admin_api, rows, django_assert_num_queries):
    with django_assert_num_queries(2):  # the token (counting the request) and the page
        assert admin_api.get("/api/clientes").status_code == 200


def test_a_sellers_short_list_holds_only_their_own_sales(drf_answered, tenant, user, rows):
    own = make_venta(tenant, vendedor=user)

    response = token_client(user).get("/api/ventas")

    assert [row["id"] for row in response.json()] == [own.pk]
    assert drf_answered == []


def test_the_access_log_names_the_caller_of_a_short_list(caplog, admin_api, admin_user, rows):
    with caplog.at_level(logging.INFO, logger="config.access"):
        admin_api.get("/api/clientes")

    line = caplog.records[-1].getMessage()
    assert f'"tenant":{admin_user.tenant_id}' in line
    assert f'"user_id":{admin_user.pk}' in line


# -- left to DRF ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "status"), [("text/html", 406), ("application/json, text/plain, */*", 200)]
)
def test_other_accept_headers_are_negotiated_by_drf(drf_answered, admin_api, rows, accept, status):
    response = admin_api.get("/api/clientes", HTTP_ACCEPT=accept)

    assert response.status_code == status
    assert drf_answered == ["GET"]


def test_head_is_answered_by_drf(drf_answered, admin_api, rows):
    response = admin_api.head("/api/clientes")

    assert response.status_code == 200
    assert drf_answered == ["HEAD"]


def test_a_session_request_is_answered_by_drf(drf_answered, admin_user, rows):
    client = session_client(admin_user)  # logs in: a POST
    response = client.get("/api/clientes")

    assert {row["id"] for row in response.json()} == rows["/api/clientes"]
    assert drf_answered == ["POST", "GET"]


def test_a_create_on_a_list_route_is_answered_by_drf(drf_answered, api):
    response = api.post("/api/clientes", {"nombre": "Nueva"}, format="json")

    assert response.status_code == 201
    assert drf_answered == ["POST"]


# -- which routes take it ----------------------------------------------------------------


def test_only_list_routes_take_the_short_way():
    router = ApiRouter()
    router.register("clientes", ClienteViewSet, basename="cliente")

    taking = {url.name for url in router.urls if getattr(url.callback, "takes_short_way", False)}

    assert taking == {"cliente-list"}


def test_a_list_configured_otherwise_than_the_short_way_runs_is_refused():
    class Abierta(ClienteViewSet):
        permission_classes = [AllowAny]

    router = ApiRouter()
    router.register("abiertas", Abierta, basename="abierta")

    with pytest.raises(ImproperlyConfigured, match="permission_classes"):
        router.get_urls()


@pytest.mark.parametrize("step", ["check_throttles", "finalize_response", "initial"])
def test_a_list_that_changes_a_step_of_drfs_dispatch_is_refused(step):
    Cambiada = type("Cambiada", (ClienteViewSet,), {step: lambda self, *args, **kwargs: None})
    router = ApiRouter()
    router.register("cambiadas", Cambiada, basename="cambiada")

    with pytest.raises(ImproperlyConfigured, match=step):
        router.get_urls()
