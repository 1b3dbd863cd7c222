"""The list routes' short way (``tenants.api.short_lists``): a plain token ``GET`` of a list
answered without DRF's dispatch, byte for byte as DRF answers it; everything else, and every
refusal, answered by DRF, with the request counted once and its page read once."""

import itertools
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from psycopg import errors as pg_errors
from rest_framework.permissions import AllowAny
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

import tenants.api.short_lists
from clientes.views import ClienteViewSet
from tenants.api.routers import ApiRouter
from tenants.api.throttling import UserRateThrottle
from tenants.models import Tenant, User
from tests.auth.helpers import assert_json_error, inside_one_window, session_client
from tests.clients import key_client, token_client
from tests.factories import make_cliente, make_cotizacion, make_token, make_user, make_venta

pytestmark = pytest.mark.django_db

LISTS = ["/api/clientes", "/api/ventas", "/api/cotizaciones"]
# Query strings of each list, filters among them, for the comparison with DRF's answer.
QUERIES = {
    "/api/clientes": ["", "limite=2", "cursor=999999", "busqueda=ana", "archivado=todos"],
    "/api/ventas": ["", "limite=2", "cursor=999999", "cancelada=false"],
    "/api/cotizaciones": ["", "limite=2", "cursor=999999", "estado=PENDIENTE"],
}
INVALID_QUERIES = {
    "/api/clientes": "archivado=talvez",
    "/api/ventas": "cancelada=quizas",
    "/api/cotizaciones": "estado=NINGUNO",
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


def _limit_user_rate(monkeypatch, rate: str) -> None:
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "user": rate}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


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


# -- refusals: DRF answers, the request counted once ------------------------------------


def test_an_invalid_token_is_looked_up_once_and_refused(anon):
    client = key_client("no-existe")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/clientes")

    assert_json_error(response, 401)
    assert response.json()["error"] == "Token inválido o expirado"
    assert len(queries) == 1


@pytest.mark.parametrize("estado", [User.Estado.SUSPENDIDO, User.Estado.PENDIENTE])
def test_a_suspended_user_is_refused_on_the_next_request(tenant, estado):
    user = make_user(tenant)
    client = token_client(user)
    assert client.get("/api/clientes").status_code == 200
    User.objects.filter(pk=user.pk).update(estado=estado)

    assert_json_error(client.get("/api/clientes"), 401)


def test_a_suspended_tenants_members_are_refused_on_the_next_request(tenant, api):
    Tenant.objects.filter(pk=tenant.pk).update(estado=Tenant.Estado.SUSPENDIDA)

    body = assert_json_error(api.get("/api/clientes"), 403)

    assert body["error"] == "Empresa suspendida"


def test_a_user_without_a_tenant_is_refused():
    client = key_client(make_token(make_user(None)))

    body = assert_json_error(client.get("/api/clientes"), 403)

    assert body["error"] == "Usuario sin empresa asignada"


@pytest.mark.parametrize("path", LISTS)
def test_an_invalid_filter_is_a_400_and_the_token_is_looked_up_once(admin_api, path):
    with CaptureQueriesContext(connection) as queries:
        response = admin_api.get(f"{path}?{INVALID_QUERIES[path]}")

    assert_json_error(response, 400)
    assert len(queries) == 1


def test_an_invalid_limit_is_a_400(admin_api):
    body = assert_json_error(admin_api.get("/api/clientes?limite=0"), 400)

    assert list(body["detalles"]) == ["limite"]


@pytest.mark.parametrize("store", ["database", "cache"])
def test_refused_requests_count_once_against_the_rate(monkeypatch, settings, api, store):
    settings.API_THROTTLE_STORE = store
    _limit_user_rate(monkeypatch, "3/min")
    inside_one_window()

    refused = [api.get("/api/clientes?archivado=talvez") for _ in range(3)]
    throttled = api.get("/api/clientes")

    assert [r.status_code for r in refused] == [400, 400, 400]
    assert_json_error(throttled, 429)
    assert int(throttled["Retry-After"]) > 0


@pytest.mark.parametrize("store", ["database", "cache"])
def test_the_rate_limit_holds_on_the_short_way(monkeypatch, settings, api, store):
    settings.API_THROTTLE_STORE = store
    _limit_user_rate(monkeypatch, "2/min")
    inside_one_window()

    statuses = [api.get("/api/clientes").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_throttled_request_counts_once_in_the_cache(monkeypatch, settings, api, user):
    settings.API_THROTTLE_STORE = "cache"
    _limit_user_rate(monkeypatch, "1/min")
    inside_one_window()

    statuses = [api.get("/api/clientes").status_code for _ in range(2)]

    assert statuses == [200, 429]
    throttle = UserRateThrottle()
    window = int(throttle.timer() // throttle.duration)
    key = throttle.cache_format % {"scope": "user", "ident": user.pk}
    assert throttle.cache.get(f"{key}:{window}") == 2


def test_a_request_refused_at_a_windows_edge_waits_for_the_window_it_was_counted_in(
    monkeypatch, settings, api
):
    settings.API_THROTTLE_STORE = "cache"
    _limit_user_rate(monkeypatch, "1/min")
    # The first request at 100 s; the second counted by the short way just before a minute
    # ends, then answered by DRF just after it.
    clock = itertools.chain([100.0, 119.999], itertools.repeat(120.001))
    monkeypatch.setattr(UserRateThrottle, "timer", staticmethod(lambda: next(clock)))

    assert api.get("/api/clientes").status_code == 200
    throttled = api.get("/api/clientes")

    assert_json_error(throttled, 429)
    assert throttled["Retry-After"] == "2"  # the counted window's end, not the next one's


def test_a_failing_page_statement_runs_once_and_is_a_503(admin_api, rows):
    runs = []

    def cancelled(execute, sql, params, many, context):
        if ") AS pagina (" in sql:  # the page statement
            runs.append(sql)
            raise OperationalError("canceling statement") from pg_errors.QueryCanceled()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cancelled):
        response = admin_api.get("/api/clientes")

    assert_json_error(response, 503)
    assert response["Retry-After"]
    assert len(runs) == 1


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
