"""Rate limits shared by every worker without Redis: a PostgreSQL counter (tenants.api.ratelimit).

- A real gunicorn with 5 workers (``make run``'s production config) enforces exactly the
  documented limits: 16 wrong logins for one account are 10 × 401 then 6 × 429, sent one
  after the other or all at once; 25 from one address for as many accounts are 20 × 401
  then 429.
- The counter is atomic: threads on their own connections never lose or repeat a count.
- A new window starts from 1; ended windows are pruned; a failing store lets requests
  through (logged), as the cache did; with ``REDIS_URL`` (store ``cache``) the cache counts.
- A token request is looked up and counted by one statement (``token_with_user_and_tenant``);
  without the counters' table it is let through and logged all the same.
"""

import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from devtools.servers import Gunicorn, database_url
from tenants.api import ratelimit
from tests.auth.helpers import CLIENTES, ME, assert_json_error, login
from tests.conftest import token_client
from tests.factories import make_tenant, make_user

WORKERS = 5
WRONG = "clave-equivocada"
ERROR_429 = {"error": "Demasiadas solicitudes; intente de nuevo más tarde"}


def migrated() -> None:
    """The latest schema (a migration test earlier in the run may have left an older one)."""
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(targets):
        executor.migrate(targets)


def inside_one_window(seconds: float = 10) -> None:
    """Wait, if need be, so that the next ``seconds`` fall inside one minute window."""
    if time.time() % 60 > 60 - seconds:
        time.sleep(60 - time.time() % 60 + 0.05)


def wrong_login(server: Gunicorn, email: str):
    return server.request("POST", "/api/auth/login", {"email": email, "password": WRONG})


def backends(app_name: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [app_name])
        return {row[0] for row in cursor.fetchall()}


# --- Across worker processes ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        migrated()
    app_name = f"throttles-{uuid.uuid4().hex[:8]}"
    gunicorn = Gunicorn(
        database_url(connection.settings_dict, application_name=app_name), workers=WORKERS
    ).start()
    gunicorn.application_name = app_name
    yield gunicorn
    gunicorn.stop()


@pytest.fixture
def counters(transactional_db):
    """No counter left from elsewhere; none left behind for the tests that follow."""
    ratelimit.clear()
    yield
    ratelimit.clear()


def statuses(answers) -> list[int]:
    return [a.status for a in answers]


@pytest.mark.django_db(transaction=True)
def test_sixteen_wrong_logins_for_one_account_are_ten_401_then_429_on_five_workers(
    server, counters
):
    user = make_user(None, email="cuenta@example.test")
    inside_one_window(15)  # each wrong login hashes for about half a second

    answers = [wrong_login(server, user.email) for _ in range(16)]

    assert statuses(answers) == [401] * 10 + [429] * 6, (answers, server.log())
    assert all(a.body == ERROR_429 and int(a.headers["retry-after"]) > 0 for a in answers[10:])


@pytest.mark.django_db(transaction=True)
def test_sixteen_wrong_logins_at_once_for_one_account_are_exactly_ten_401(server, counters):
    inside_one_window()

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: wrong_login(server, "otra@example.test"), range(16)))

    assert sorted(statuses(answers)) == [401] * 10 + [429] * 6, (answers, server.log())
    # Several processes answered them (a login hashes for a while, so they overlap): each
    # worker that served a request holds its own database connection.
    assert len(backends(server.application_name)) >= 2, server.log()


@pytest.mark.django_db(transaction=True)
def test_the_address_limit_holds_across_workers(server, counters):
    inside_one_window(20)

    answers = [wrong_login(server, f"intento{i}@example.test") for i in range(25)]

    assert statuses(answers) == [401] * 20 + [429] * 5, (answers, server.log())


@pytest.mark.django_db(transaction=True)
def test_the_right_password_is_refused_too_once_the_account_is_throttled(server, counters):
    user = make_user(None, email="bloqueada@example.test")
    inside_one_window()
    for _ in range(10):
        assert wrong_login(server, user.email).status == 401

    answer = server.request(
        "POST", "/api/auth/login", {"email": user.email, "password": "clave-de-prueba-9xk"}
    )

    assert answer.status == 429, answer


# --- The counter itself -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_their_own_connections_never_lose_a_count(counters):
    threads, hits_each = 8, 40
    results: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker():
        try:
            start.wait()
            mine = [ratelimit.hit("carrera", 7, time.time() + 60) for _ in range(hits_each)]
            with lock:
                results.extend(mine)
        finally:
            connection.close()  # this thread's own connection

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    assert sorted(results) == list(range(1, threads * hits_each + 1))


@pytest.mark.django_db
def test_a_new_window_counts_from_one_and_an_older_one_counts_in_the_newer():
    later = time.time() + 60
    assert [ratelimit.hit("k", 1, later) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("k", 2, later + 60) == 1
    # A worker whose clock is behind (window 1 again) adds to window 2, never resets it.
    assert ratelimit.hit("k", 1, later) == 2
    assert ratelimit.hit("k", 2, later + 60) == 3


@pytest.mark.django_db
def test_prune_deletes_only_the_windows_that_ended():
    now = time.time()
    ratelimit.hit("vieja", 1, now - 5)
    ratelimit.hit("actual", 2, now + 55)

    assert ratelimit.prune(now=now) == 1

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {ratelimit.TABLE}")  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == ["actual"]


@pytest.mark.django_db
def test_the_table_is_unlogged():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", [ratelimit.TABLE])
        assert cursor.fetchone() == ("u",)


# --- In the request path ----------------------------------------------------------------------


@pytest.fixture
def one_request_a_minute(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, "user": "1/min"}
    )


@pytest.mark.django_db
def test_a_failing_store_lets_a_session_request_through_and_logs_it(
    anon, user, monkeypatch, caplog, one_request_a_minute
):
    login(anon, user.email)

    def broken(*args, **kwargs):
        raise ConnectionError("contador caído")

    monkeypatch.setattr(ratelimit, "hit", broken)

    with caplog.at_level(logging.WARNING, logger="tenants.api.throttling"):
        answers = [anon.get(CLIENTES) for _ in range(3)]

    assert [r.status_code for r in answers] == [200, 200, 200]
    assert "rate-limit store unavailable" in caplog.text


def user_counter(user) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hits FROM {ratelimit.TABLE} WHERE key = %s",  # noqa: S608
            [f"throttle_user_{user.pk}"],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.django_db
def test_a_token_request_is_looked_up_and_counted_in_one_statement(api, user):
    with CaptureQueriesContext(connection) as queries:
        api.get(ME)

    (statement,) = queries.captured_queries
    assert "tenants_apitoken" in statement["sql"] and ratelimit.TABLE in statement["sql"]
    assert user_counter(user) == 1


@pytest.mark.django_db
def test_token_requests_are_counted_once_each(api, user, other_api, other_user):
    for _ in range(3):
        api.get(ME)
    other_api.get(ME)

    assert (user_counter(user), user_counter(other_user)) == (3, 1)


@pytest.mark.django_db
def test_a_token_request_over_the_rate_counted_by_its_lookup_gets_429(api, one_request_a_minute):
    inside_one_window()

    answers = [api.get(CLIENTES) for _ in range(2)]

    assert [r.status_code for r in answers] == [200, 429]


@pytest.fixture
def counters_table_missing(transactional_db):
    """The counters' table out of reach (renamed) for the test, back in place afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {ratelimit.TABLE} RENAME TO ratelimit_out_of_reach")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE ratelimit_out_of_reach RENAME TO {ratelimit.TABLE}")


def test_without_the_counters_table_token_requests_are_let_through_and_logged(
    counters_table_missing, one_request_a_minute, caplog
):
    api = token_client(make_user(make_tenant(nombre="Sin contadores")))

    with caplog.at_level(logging.WARNING):
        answers = [api.get(CLIENTES) for _ in range(3)]

    assert [r.status_code for r in answers] == [200, 200, 200]
    assert "rate-limit store unavailable" in caplog.text


@pytest.mark.django_db
def test_with_the_cache_store_the_cache_counts(settings, user):
    settings.API_THROTTLE_STORE = "cache"  # what REDIS_URL selects
    client = APIClient()

    answers = [login(client, user.email, WRONG, REMOTE_ADDR="10.9.9.9") for _ in range(11)]

    assert [r.status_code for r in answers] == [401] * 10 + [429]
    assert_json_error(answers[-1], 429)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {ratelimit.TABLE}")  # noqa: S608
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
def test_without_redis_the_counts_are_in_the_database(user):
    client = APIClient()

    answers = [login(client, user.email, WRONG, REMOTE_ADDR="10.9.9.8") for _ in range(11)]

    assert [r.status_code for r in answers] == [401] * 10 + [429]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(hits) FROM {ratelimit.TABLE}")  # noqa: S608
        assert cursor.fetchone() == (11,)
