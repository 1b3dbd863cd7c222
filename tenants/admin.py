from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tenants.models import ApiToken, Tenant, User
from tenants.scoping import TenantScopedModel


def admin_tenant_id(request) -> int | None:
    """The tenant a non-superuser administrator is confined to (None: sees nothing)."""
    return None if request.user.is_superuser else request.user.tenant_id


def is_tenant_admin(user) -> bool:
    """A tenant's own administrator: staff, ADMIN role, active, with a tenant."""
    return bool(
        user.is_active
        and user.is_staff
        and getattr(user, "rol", None) == User.Rol.ADMIN
        and getattr(user, "tenant_id", None)
        and user.estado == User.Estado.ACTIVO
    )


class TenantScopedAdminMixin:
    """Superusers see every tenant (the greppable ``unscoped()``); a tenant's staff only theirs.

    Foreign keys to tenant-owned models are limited to the same tenant, and the ``tenant`` of
    a new row is stamped from the staff user. A tenant's ADMIN needs no Django model
    permissions for its own tenant's data.
    """

    def has_module_permission(self, request):
        return is_tenant_admin(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_tenant_admin(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_tenant_admin(request.user) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_tenant_admin(request.user) or super().has_change_permission(request, obj)

    def get_queryset(self, request):
        queryset = self.model.objects.get_queryset()
        if request.user.is_superuser:
            return queryset.unscoped()
        return queryset.for_tenant(request.user.tenant_id or 0)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if request.user.is_superuser else [*exclude, "tenant"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if issubclass(related, TenantScopedModel):
            tenant_id = admin_tenant_id(request)
            manager = related.objects
            kwargs["queryset"] = (
                manager.unscoped()
                if request.user.is_superuser
                else manager.for_tenant(tenant_id or 0)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TenantScopedAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return ["tenant", *filters] if request.user.is_superuser else filters

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.tenant_id = request.user.tenant_id
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline = inline_form.instance
            if isinstance(inline, TenantScopedModel) and not inline.tenant_id:
                inline.tenant_id = form.instance.tenant_id
        super().save_formset(request, form, formset, change)


class TenantScopedInline(TenantScopedAdminMixin, admin.TabularInline):
    extra = 0


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["nombre", "slug", "creado_en"]
    search_fields = ["nombre", "slug"]
    prepopulated_fields = {"slug": ["nombre"]}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefijo", "user", "creado_en", "expira_en"]
    list_select_related = ["user"]
    search_fields = ["prefijo", "user__email"]
    readonly_fields = ["prefijo", "digest", "user", "creado_en"]

    def has_add_permission(self, request) -> bool:
        return False  # keys are issued by `manage.py issue_token`, shown once
