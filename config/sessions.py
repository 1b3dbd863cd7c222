"""Django's session, authentication and messages middleware, skipped by token requests to the
API's resources, which use none of them (issue 21, decision 3).

Such a request is authenticated by its token or refused (401): DRF's token authentication
comes first and never falls back to the session for an ``Authorization: Token …`` header. It
reads no session, sets no session cookie and shows no message. Skipping the three saves 2 to
4 % of its CPU (bench/README.md, "tenth step"). CSRF's middleware stays for every request,
and the routes under /api/ that deal in the browser's session (login, logout, the docs) run
all three whatever the header says.
"""

from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from rest_framework.authentication import get_authorization_header

# ``tenants.api.authentication.ApiTokenAuthentication.keyword``, as DRF compares it.
TOKEN_KEYWORD = b"token"
# Under /api/ but about the browser's session (config/urls.py).
SESSION_ROUTES = ("/api/auth/", "/api/docs/", "/api/redoc/", "/api/schema/")


def token_resource_request(request) -> bool:
    """A request under /api/, not to a session route, with ``Authorization: Token …`` (read
    as DRF's token authentication reads it, byte for byte)."""
    path = request.path
    if not path.startswith("/api/") or path.startswith(SESSION_ROUTES):
        return False
    words = get_authorization_header(request).split()
    return bool(words) and words[0].lower() == TOKEN_KEYWORD


class SkippedByTokenRequests:
    """A Django middleware that lets a token request to an API resource pass untouched."""

    def __call__(self, request):
        if token_resource_request(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(SkippedByTokenRequests, sessions.SessionMiddleware):
    """Django's ``SessionMiddleware``, for the requests that may use a session."""


class AuthenticationMiddleware(SkippedByTokenRequests, auth.AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware`` (``request.user`` from the session), likewise."""


class MessageMiddleware(SkippedByTokenRequests, messages.MessageMiddleware):
    """Django's ``MessageMiddleware``, likewise."""
