"""Rate limits shared by every worker without Redis: a PostgreSQL counter (tenants.api.ratelimit).

- A real gunicorn with 5 workers (``make run``'s production config) enforces exactly the
  documented limits: 16 wrong logins for one account are 10 × 401 then 6 × 429, sent one
  after the other or all at once; 25 from one address for as many accounts are 20 × 401
  then 429.
- The counter is atomic: threads on their own connections never lose or repeat a count.
- A new window starts from 1; ended windows are pruned.

How requests use the counter is ``test_shared_throttles_requests.py``.
"""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from devtools.databases import database_url
from devtools.servers import Gunicorn
from tenants.api import ratelimit
from tests.auth.helpers import WRONG_PASSWORD, inside_one_window
from tests.factories import make_user
from tests.operations.helpers import migrated

WORKERS = 5
ERROR_429 = {"error": "Demasiadas solicitudes; intente de nuevo más tarde"}


def wrong_login(server: Gunicorn, email: str):
    return server.request("POST", "/api/auth/login", {"email": email, "password": WRONG_PASSWORD})


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
    ratelimit.clear()  # counters committed by servers of earlier tests (any order)
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
