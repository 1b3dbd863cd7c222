"""Login attempt limits (per address, per email) and the request-rate limit.

Defaults: 20 login attempts a minute per address, 10 per email. The login throttles read their
rates when their module is imported, so these tests send enough requests instead of tuning them.
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tenants.api.throttling import UserRateThrottle
from tests.auth.helpers import CLIENTES, WRONG_PASSWORD, assert_json_error, ids, login
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db

ENOUGH = 30  # more than either login limit


def attempts(emails, *, address: str = "10.1.1.1", **extra):
    """One failed login per email, all from ``address``."""
    client = APIClient()
    return [login(client, email, WRONG_PASSWORD, REMOTE_ADDR=address, **extra) for email in emails]


def first_throttled(responses) -> int:
    statuses = [r.status_code for r in responses]
    assert 429 in statuses, statuses
    return statuses.index(429)


def test_repeated_failed_logins_from_one_address_get_429(user):
    responses = attempts([f"intento{i}@example.test" for i in range(ENOUGH)])

    index = first_throttled(responses)
    assert index > 0, "the first attempt must not be throttled"
    assert all(r.status_code == 401 for r in responses[:index])
    assert all(r.status_code == 429 for r in responses[index:])


def test_throttled_login_is_json_with_retry_after(user):
    responses = attempts([f"intento{i}@example.test" for i in range(ENOUGH)])

    throttled = responses[first_throttled(responses)]
    assert_json_error(throttled, 429)
    assert int(throttled["Retry-After"]) > 0


def test_throttled_address_is_refused_even_with_the_right_password(user):
    attempts([f"intento{i}@example.test" for i in range(ENOUGH)])

    response = login(APIClient(), user.email, REMOTE_ADDR="10.1.1.1")

    assert_json_error(response, 429)


def test_address_limit_does_not_affect_other_addresses(user):
    attempts([f"intento{i}@example.test" for i in range(ENOUGH)], address="10.1.1.1")

    response = login(APIClient(), user.email, REMOTE_ADDR="10.2.2.2")

    assert response.status_code == 200


def test_repeated_failed_logins_for_one_email_from_many_addresses_get_429(user):
    client = APIClient()
    responses = [
        login(client, user.email, WRONG_PASSWORD, REMOTE_ADDR=f"10.3.0.{i}")
        for i in range(1, ENOUGH)
    ]

    index = first_throttled(responses)
    assert index > 0
    assert_json_error(responses[index], 429)
    assert responses[index]["Retry-After"]


def test_unknown_email_and_wrong_password_answer_alike_through_throttling(user):
    unknown = attempts(["nadie@example.test"] * ENOUGH, address="10.4.4.1")
    wrong = attempts([user.email] * ENOUGH, address="10.4.4.2")

    assert [(r.status_code, r.json()) for r in unknown] == [
        (r.status_code, r.json()) for r in wrong
    ]
    assert {r.status_code for r in unknown} == {401, 429}


def test_forged_x_forwarded_for_does_not_escape_the_address_limit(user):
    """Without a trusted proxy configured, the address is the connection's, not a header."""
    client = APIClient()
    responses = [
        login(
            client,
            f"intento{i}@example.test",
            WRONG_PASSWORD,
            REMOTE_ADDR="10.5.5.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
        for i in range(ENOUGH)
    ]

    first_throttled(responses)


def test_request_rate_limit_answers_429_json_with_retry_after(
    monkeypatch, api, tenant, other_tenant
):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "user": "3/min"},
    )
    own = make_cliente(tenant)
    foreign = make_cliente(other_tenant)

    allowed = [api.get(CLIENTES) for _ in range(3)]
    throttled = api.get(CLIENTES)

    assert all(r.status_code == 200 for r in allowed)
    assert all(ids(r) == {own.pk} and foreign.pk not in ids(r) for r in allowed)
    assert_json_error(throttled, 429)
    assert int(throttled["Retry-After"]) > 0


def test_a_request_at_a_windows_edge_counts_once_in_the_token_lookups_window(
    monkeypatch, api, user
):
    # The token lookup reads the clock just before a minute ends, the throttle just after.
    clock = itertools.chain([119.999], itertools.repeat(120.001))
    monkeypatch.setattr(UserRateThrottle, "timer", staticmethod(lambda: next(clock)))

    with CaptureQueriesContext(connection) as queries:
        assert api.get(CLIENTES).status_code == 200

    assert len(queries) == 2  # the token (with the count) and the page: no count of its own
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bucket, hits FROM tenants_ratelimit WHERE key = %s",
            [f"throttle_user_{user.pk}"],
        )
        assert cursor.fetchall() == [(1, 1)]  # minute 1 (60-120 s), counted once
