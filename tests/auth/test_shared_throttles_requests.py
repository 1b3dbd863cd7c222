"""How requests use the shared rate-limit counter (tenants.api.ratelimit).

- A failing store lets requests through (logged), as the cache did; with ``REDIS_URL`` (store
  ``cache``) the cache counts.
- A token request is looked up and counted by one statement (``token_with_user_and_tenant``);
  without the counters' table it is let through and logged all the same.

The counter itself, and the limits across gunicorn's workers, are ``test_shared_throttles.py``.
"""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tenants.api import ratelimit
from tests.auth.helpers import (
    CLIENTES,
    ME,
    WRONG_PASSWORD,
    assert_json_error,
    inside_one_window,
    login,
)
from tests.clients import token_client
from tests.factories import make_tenant, make_user


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

    answers = [login(client, user.email, WRONG_PASSWORD, REMOTE_ADDR="10.9.9.9") for _ in range(11)]

    assert [r.status_code for r in answers] == [401] * 10 + [429]
    assert_json_error(answers[-1], 429)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {ratelimit.TABLE}")  # noqa: S608
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
def test_without_redis_the_counts_are_in_the_database(user):
    client = APIClient()

    answers = [login(client, user.email, WRONG_PASSWORD, REMOTE_ADDR="10.9.9.8") for _ in range(11)]

    assert [r.status_code for r in answers] == [401] * 10 + [429]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(hits) FROM {ratelimit.TABLE}")  # noqa: S608
        assert cursor.fetchone() == (11,)
