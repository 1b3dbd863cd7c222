from rest_framework import exceptions, permissions

from core.errors import ForbiddenError
from tenants.models import User

MENSAJE_SIN_EMPRESA = "Usuario sin empresa asignada"


class IsTenantMember(permissions.BasePermission):
    """An authenticated, active user who belongs to a tenant."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            raise exceptions.NotAuthenticated()
        if user.tenant_id is None:
            raise exceptions.PermissionDenied(MENSAJE_SIN_EMPRESA)
        return True


def require_admin(user, message: str) -> None:
    """Only a tenant's ADMIN (a command, with no user, acts as the operator it is):
    ``ForbiddenError(message)`` otherwise."""
    if user is not None and user.rol != User.Rol.ADMIN:
        raise ForbiddenError(message)
