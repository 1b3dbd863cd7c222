"""API authentication: tokens (scripts) and sessions (the browser frontend).

Both load the user from the database on every request and refuse anyone whose ``estado`` is
not ACTIVO, so a suspension takes effect on the user's very next request.
"""

from rest_framework import authentication, exceptions

from tenants.models import ApiToken

MENSAJE_INACTIVO = "Usuario inactivo o suspendido"


def ensure_active(user) -> None:
    """401 for a user whose estado is not ACTIVO (or whose account is disabled)."""
    if not user.es_activo:
        raise exceptions.AuthenticationFailed(MENSAJE_INACTIVO)


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; the key is looked up by its SHA-256 digest."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user__tenant")
            .filter(digest=ApiToken.digest_of(key))
            .first()
        )
        if token is None or token.expirado:
            raise exceptions.AuthenticationFailed("Token inválido o expirado")
        ensure_active(token.user)
        return token.user, token


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """Django's session with a Spanish CSRF failure; no estado check (used by logout, so a
    suspended user can still end their session)."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                "Falta el token CSRF o no es válido (cabecera X-CSRFToken)"
            ) from None


class ActiveSessionAuthentication(CsrfSessionAuthentication):
    """The session of an ACTIVO user; anyone else gets 401 on their very next request."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            ensure_active(result[0])
        return result
