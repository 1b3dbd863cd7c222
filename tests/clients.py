"""API clients of the suite: one sending a given token, one of a user with a new token."""

from rest_framework.test import APIClient

from tests.factories import make_token


def key_client(key: str, **kwargs) -> APIClient:
    """A client sending ``key`` as its API token (``kwargs`` go to the client)."""
    client = APIClient(**kwargs)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def token_client(user) -> APIClient:
    """A client of ``user`` with a token issued for it."""
    return key_client(make_token(user))
