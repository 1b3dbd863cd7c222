"""API authentication: tokens (scripts) and sessions (the browser frontend).

Both load the user from the database on every request and refuse anyone whose ``estado`` is
not ACTIVO, so a suspension takes effect on the user's very next request.
"""

from rest_framework import authentication, exceptions

from tenants.models import ApiToken

MENSAJE_INACTIVO = "Usuario inactivo o suspendido"


def ensure_active(user) -> None:
    if not user.es_activo:
        raise exceptions.AuthenticationFailed(MENSAJE_INACTIVO)


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; the key is looked up by its SHA-256 digest."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(key))
            .first()
        )
        if token is None or token.expirado:
            raise exceptions.AuthenticationFailed("Token inválido o expirado")
        ensure_active(token.user)
        return token.user, token


class ActiveSessionAuthentication(authentication.SessionAuthentication):
    """Django's session, with the estado check and a Spanish CSRF failure."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if not user or not user.is_authenticated:
            return None
        ensure_active(user)
        self.enforce_csrf(request)
        return user, None

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                "Falta el token CSRF o no es válido (cabecera X-CSRFToken)"
            ) from None
