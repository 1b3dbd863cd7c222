"""API authentication: tokens (scripts) and sessions (the browser frontend).

Both load the user, with their tenant, from the database on every request (the token in one
query with both, the session's user in one query with the tenant: ``TenantModelBackend``),
and refuse:

- anyone whose ``estado`` is not ACTIVO: 401 ``Usuario inactivo o suspendido``;
- the users of a SUSPENDIDA tenant: 403 ``Empresa suspendida``.

So a suspension, of a user or of a whole shop, takes effect on their very next request.
Logout authenticates without these checks: ending a session is always allowed.
"""

from django.contrib.auth.backends import ModelBackend
from rest_framework import authentication, exceptions

from config.api.once import once
from config.csrf import csrf_message
from tenants.api.throttling import UserRateThrottle
from tenants.api.tokens import token_with_user_and_tenant
from tenants.models import ApiToken, Tenant, User

MENSAJE_INACTIVO = "Usuario inactivo o suspendido"
MENSAJE_EMPRESA_SUSPENDIDA = "Empresa suspendida"


def ensure_active(user) -> None:
    """401 for a user whose estado is not ACTIVO (or whose account is disabled); 403 for a
    member of a suspended tenant. ``user.tenant`` must come loaded with the user."""
    if not user.may_sign_in:
        raise exceptions.AuthenticationFailed(MENSAJE_INACTIVO)
    ensure_tenant_active(user)


def ensure_tenant_active(user) -> None:
    """403 ``Empresa suspendida`` when the user's tenant is not ACTIVA."""
    if user.tenant_id is not None and user.tenant.estado != Tenant.Estado.ACTIVA:
        raise exceptions.PermissionDenied(MENSAJE_EMPRESA_SUSPENDIDA)


class TenantModelBackend(ModelBackend):
    """Django's ModelBackend whose ``get_user`` (a session's user, each request) brings the
    tenant in the same query, so checking the tenant's estado costs nothing."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("tenant").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; the key is looked up by its SHA-256 digest."""

    keyword = "Token"

    def authenticate(self, request):
        # Once per request: the lookup counts the request (the list routes' short way may
        # have done it before DRF's view, tenants.api.short_lists).
        return once(
            request, "token", lambda: super(ApiTokenAuthentication, self).authenticate(request)
        )

    def authenticate_credentials(self, key):
        digest = ApiToken.digest_of(key)
        token = token_with_user_and_tenant(
            digest, count_in=UserRateThrottle.window_for_token_lookup()
        )
        if token is None or token.expired:
            raise exceptions.AuthenticationFailed("Token inválido o expirado")
        ensure_active(token.user)
        return token.user, token


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """Django's session with a Spanish CSRF failure; no estado check (used by logout, so a
    suspended user, or a member of a suspended tenant, can still end their session)."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            reason = str(exc.detail).removeprefix("CSRF Failed: ")
            raise exceptions.PermissionDenied(csrf_message(reason)) from None


class ActiveSessionAuthentication(CsrfSessionAuthentication):
    """The session of an ACTIVO user of an ACTIVA tenant; anyone else is refused on their very
    next request (401 or 403, see ``ensure_active``)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            ensure_active(result[0])
        return result
