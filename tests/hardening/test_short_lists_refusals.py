"""Refusals on the list routes (``tenants.api.short_lists``): whatever the short way meets,
a bad token, a suspension, a bad filter, the rate, a failing statement, DRF answers as it
always has, with the request counted once, its token looked up once and its page read
once."""

import itertools

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from psycopg import errors as pg_errors
from rest_framework.throttling import SimpleRateThrottle

from tenants.api.throttling import UserRateThrottle
from tenants.models import Tenant, User
from tests.auth.helpers import assert_json_error, inside_one_window
from tests.clients import key_client, token_client
from tests.factories import make_token, make_user
from tests.hardening.test_short_lists import LISTS

pytestmark = pytest.mark.django_db

INVALID_QUERIES = {
    "/api/clientes": "archivado=talvez",
    "/api/ventas": "cancelada=quizas",
    "/api/cotizaciones": "estado=NINGUNO",
}


def _limit_user_rate(monkeypatch, rate: str) -> None:
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "user": rate}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


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


def test_a_failing_page_statement_runs_once_and_is_a_503(admin_api):
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
