from django.contrib import admin

from cotizaciones.models import Cotizacion, CotizacionItem
from tenants.admin import TenantScopedAdmin, TenantScopedInline
from ventas.admin import LineItemTotalsMixin


class CotizacionItemInline(TenantScopedInline):
    model = CotizacionItem
    fields = ["descripcion", "cantidad", "precio_unitario", "subtotal"]
    readonly_fields = ["subtotal"]
    extra = 1


@admin.register(Cotizacion)
class CotizacionAdmin(LineItemTotalsMixin, TenantScopedAdmin):
    list_display = ["id", "cliente", "estado", "total", "valida_hasta", "creado_en"]
    list_select_related = ["cliente"]
    list_filter = ["estado", "creado_en"]
    readonly_fields = ["total", "creado_en"]
    autocomplete_fields = ["cliente", "venta"]
    inlines = [CotizacionItemInline]
    ordering = ["-id"]
    show_full_result_count = False
