"""Webhooks in the admin: subscriptions (never their secrets) and their deliveries, read only;
a failed delivery can be sent again (through the same service as the API)."""

from django.contrib import admin

from tenants.admin.scoped import TenantScopedAdmin, TenantScopedInline
from webhooks.dispatch import entrega_retry
from webhooks.models import Entrega, Suscripcion

SUSCRIPCION_FIELDS = ["url", "tipos", "descripcion", "activo", "fallando_desde", "creado_en"]
ENTREGA_FIELDS = [
    "suscripcion",
    "evento",
    "estado",
    "intentos",
    "ultimo_status",
    "ultimo_error",
    "duracion_ms",
    "proximo_intento",
    "creado_en",
]


class ReadOnlyMixin:
    """Shown, never written here: the API's services own these rows."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntregaInline(ReadOnlyMixin, TenantScopedInline):
    model = Entrega
    fields = readonly_fields = ENTREGA_FIELDS[1:]
    ordering = ["-id"]
    max_num = 0
    show_change_link = True


@admin.register(Suscripcion)
class SuscripcionAdmin(ReadOnlyMixin, TenantScopedAdmin):
    list_display = ["url", "activo", "fallando_desde", "creado_en"]
    list_filter = ["activo"]
    fields = readonly_fields = SUSCRIPCION_FIELDS
    ordering = ["-id"]
    inlines = [EntregaInline]


@admin.register(Entrega)
class EntregaAdmin(ReadOnlyMixin, TenantScopedAdmin):
    list_display = ["evento", "suscripcion", "estado", "intentos", "ultimo_status", "creado_en"]
    list_filter = ["estado"]
    fields = readonly_fields = ENTREGA_FIELDS
    list_select_related = ["evento", "suscripcion"]
    ordering = ["-id"]
    actions = ["reintentar"]

    @admin.action(description="Reintentar las entregas seleccionadas ahora", permissions=["view"])
    def reintentar(self, request, queryset):
        """Send each selected delivery again at the worker's next round."""

        def again(entrega, por):
            entrega_retry(entrega=entrega, por=por)
            return f"Entrega {entrega.pk}: se reintentará ahora."

        self.run_per_row(request, queryset.order_by("id"), again)
