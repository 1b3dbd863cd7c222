"""Admin of empresas, users and API tokens.

Platform superusers see and manage every empresa. Anyone else needs to be a tenant's ADMIN
(``is_tenant_admin``) *and* hold the Django model permission, and then reaches only their own
empresa's rows: its users (never a superuser), its users' tokens, and the empresa itself,
read-only. Suspending or reactivating empresas is for platform superusers only.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tenants.admin.site import ValidSelectionMixin, admin_tenant_id, is_tenant_admin
from tenants.models import ApiToken, Tenant, User
from tenants.services import tenant_reactivate, tenant_suspend

# Fields that would reach beyond the tenant admin's own empresa or grant platform powers.
PLATFORM_ONLY_USER_FIELDS = frozenset({"tenant", "is_superuser", "groups", "user_permissions"})


class TenantStaffPermissionsMixin(ValidSelectionMixin):
    """Django's model permissions, plus: a non-superuser must be a tenant's ADMIN, and an
    object must belong to their empresa (``tenant_id_of``)."""

    def tenant_id_of(self, obj) -> int | None:
        """The empresa ``obj`` belongs to."""
        raise NotImplementedError

    def _allowed(self, request, granted: bool, obj=None) -> bool:
        user = request.user
        if not granted or user.is_superuser:
            return granted
        if not is_tenant_admin(user):
            return False
        return obj is None or self.tenant_id_of(obj) == user.tenant_id

    def has_module_permission(self, request):
        return self._allowed(request, super().has_module_permission(request))

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, super().has_view_permission(request, obj), obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request, super().has_add_permission(request, *args))

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, super().has_change_permission(request, obj), obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, super().has_delete_permission(request, obj), obj)


@admin.register(Tenant)
class TenantAdmin(TenantStaffPermissionsMixin, admin.ModelAdmin):
    """Empresas. A tenant's ADMIN with the view permission sees only their own, read-only."""

    list_display = ["nombre", "slug", "estado", "zona_horaria", "creado_en"]
    list_filter = ["estado"]
    search_fields = ["nombre", "slug"]
    prepopulated_fields = {"slug": ["nombre"]}
    # Changed only through the actions (the services), never typed in a form.
    readonly_fields = ["estado"]
    actions = ["suspend", "reactivate"]

    def tenant_id_of(self, obj) -> int | None:
        return obj.pk

    def get_queryset(self, request):
        tenants = super().get_queryset(request)
        tenant_id = admin_tenant_id(request)
        return tenants if tenant_id is None else tenants.filter(pk=tenant_id)

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_platform_permission(self, request) -> bool:
        """Suspending or reactivating empresas: platform superusers only."""
        return request.user.is_superuser

    @admin.action(description="Suspender las empresas seleccionadas", permissions=["platform"])
    def suspend(self, request, queryset):
        self._set_estado(request, queryset, Tenant.Estado.SUSPENDIDA, tenant_suspend, "suspendidas")

    @admin.action(description="Reactivar las empresas seleccionadas", permissions=["platform"])
    def reactivate(self, request, queryset):
        self._set_estado(request, queryset, Tenant.Estado.ACTIVA, tenant_reactivate, "reactivadas")

    def _set_estado(self, request, queryset, estado, service, done: str) -> None:
        selected = list(queryset)
        changed = [tenant for tenant in selected if tenant.estado != estado]
        for tenant in changed:
            service(tenant=tenant)
        message = f"Empresas {done}: {len(changed)}."
        if unchanged := len(selected) - len(changed):
            message += f" Ya lo estaban: {unchanged}."
        self.message_user(request, message, messages.SUCCESS)


@admin.register(User)
class UserAdmin(TenantStaffPermissionsMixin, DjangoUserAdmin):
    """Users. A tenant's ADMIN (with the permissions) manages their own empresa's users: they
    cannot move anyone to another empresa, make a superuser, grant Django permissions or
    groups, or delete users (suspend them: estado SUSPENDIDO)."""

    ordering = ["email"]
    list_display = ["email", "nombre", "tenant", "rol", "estado", "is_staff"]
    list_filter = ["tenant", "rol", "estado", "is_staff", "is_superuser"]
    list_editable = ["rol", "estado"]
    search_fields = ["email", "nombre"]
    autocomplete_fields = ["tenant"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Perfil", {"fields": ["nombre", "tenant", "rol", "estado"]}),
        (
            "Permisos",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Fechas", {"fields": ["last_login", "creado_en"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "nombre", "tenant", "rol", "estado", "password1", "password2"],
            },
        ),
    ]

    def tenant_id_of(self, obj) -> int | None:
        # A superuser is nobody's to manage but the platform's, whatever empresa they have.
        return None if obj.is_superuser else obj.tenant_id

    def get_queryset(self, request):
        users = super().get_queryset(request)
        tenant_id = admin_tenant_id(request)
        return users if tenant_id is None else users.filter(tenant_id=tenant_id, is_superuser=False)

    def has_delete_permission(self, request, obj=None):
        # Users sign sales, quotations and their events: a tenant suspends them instead.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": _tenant_fields(options["fields"])})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "last_login", "creado_en"]

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if request.user.is_superuser else _tenant_fields(shown)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return filters if request.user.is_superuser else _tenant_fields(filters)

    def save_model(self, request, obj, form, change):
        if (tenant_id := admin_tenant_id(request)) is not None:
            # Not in the tenant admin's form; stamped so that no posted value can matter.
            obj.tenant_id = tenant_id
            obj.is_superuser = False
        super().save_model(request, obj, form, change)


def _tenant_fields(fields) -> list:
    return [field for field in fields if field not in PLATFORM_ONLY_USER_FIELDS]


@admin.register(ApiToken)
class ApiTokenAdmin(TenantStaffPermissionsMixin, admin.ModelAdmin):
    """API tokens (only their prefix and digest are stored). A tenant's ADMIN with the
    permissions sees and revokes only their own empresa's users' tokens."""

    list_display = ["prefijo", "user", "creado_en", "expira_en"]
    list_select_related = ["user"]
    search_fields = ["prefijo", "user__email"]
    readonly_fields = ["prefijo", "digest", "user", "creado_en"]

    def tenant_id_of(self, obj) -> int | None:
        return None if obj.user.is_superuser else obj.user.tenant_id

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        tenant_id = admin_tenant_id(request)
        if tenant_id is None:
            return tokens
        return tokens.filter(user__tenant_id=tenant_id, user__is_superuser=False)

    def has_add_permission(self, request) -> bool:
        return False  # keys are issued by `manage.py issue_token`, shown once
