from rest_framework import exceptions, permissions

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
