"""Token requests to the API's resources run without Django's session, authentication and
messages middleware (``config.sessions``); every request that may use a session runs them."""

import pytest
from rest_framework.test import APIClient

from tests.auth.helpers import CLIENTES, CSRF, ME, login, session_client
from tests.factories import make_token

pytestmark = pytest.mark.django_db


def _ran_the_session_middleware(response) -> bool:
    request = response.wsgi_request
    return all(hasattr(request, name) for name in ("session", "_messages"))


def test_a_token_request_to_a_resource_runs_without_them(api):
    response = api.get(CLIENTES)

    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "session")
    assert not hasattr(response.wsgi_request, "_messages")
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.get("Vary", "")


def test_the_keyword_is_read_as_drf_reads_it(user):
    client = APIClient(headers={"Authorization": f"tOkEn {make_token(user)}"})

    response = client.get(CLIENTES)

    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "session")


def test_a_session_request_runs_them(user):
    response = session_client(user).get(CLIENTES)

    assert response.status_code == 200
    assert _ran_the_session_middleware(response)


def test_a_header_that_is_not_a_token_runs_them(user):
    client = session_client(user)
    client.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    response = client.get(CLIENTES)

    # Token authentication does not claim it: the session's user is the caller.
    assert response.status_code == 200
    assert _ran_the_session_middleware(response)


def test_a_session_route_runs_them_whatever_the_header(user):
    client = APIClient(headers={"Authorization": f"Token {make_token(user)}"})

    response = client.get(CSRF)

    assert response.status_code == 200
    assert _ran_the_session_middleware(response)
    assert "csrftoken" in response.cookies


def test_a_login_with_a_token_header_still_opens_a_session(user):
    client = APIClient(headers={"Authorization": f"Token {make_token(user)}"})

    response = login(client, user.email)

    assert response.status_code == 200
    assert "sessionid" in response.cookies
    client.credentials()  # the session alone from here on
    assert client.get(ME).status_code == 200


def test_an_invalid_token_is_refused_without_a_session(user):
    client = session_client(user)
    client.credentials(HTTP_AUTHORIZATION="Token no-such-key")

    response = client.get(CLIENTES)

    # As before: a token header is the token's to answer, even beside a valid session.
    assert response.status_code == 401
    assert not hasattr(response.wsgi_request, "session")
