from decimal import Decimal

from django.contrib import admin

from config.ids import parse_id
from tenants.admin import TenantScopedAdmin, TenantScopedInline
from ventas.models import Venta, VentaItem
from ventas.services import Linea


class VentaItemInline(TenantScopedInline):
    model = VentaItem
    fields = ["descripcion", "cantidad", "precio_unitario", "subtotal"]
    readonly_fields = ["subtotal"]
    extra = 1


class LineItemTotalsMixin:
    """Subtotals and the total are computed from the items, never typed in."""

    def save_formset(self, request, form, formset, change):
        for item_form in formset.forms:
            item = item_form.instance
            if item.cantidad is not None and item.precio_unitario is not None:
                item.subtotal = Linea(
                    item.descripcion, item.cantidad, item.precio_unitario
                ).subtotal
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        parent = form.instance
        parent.total = sum((item.subtotal for item in parent.items.all()), Decimal(0))
        parent.save(update_fields=["total"])


@admin.register(Venta)
class VentaAdmin(LineItemTotalsMixin, TenantScopedAdmin):
    list_display = ["id", "cliente", "total", "creado_en", "cancelada_en"]
    list_select_related = ["cliente"]
    list_filter = ["creado_en", "cancelada_en"]
    readonly_fields = ["total", "creado_en"]
    autocomplete_fields = ["cliente"]
    search_fields = ["cliente__nombre"]
    inlines = [VentaItemInline]
    ordering = ["-id"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        if (pk := parse_id(search_term.strip())) is not None:
            return queryset.filter(pk=pk), False
        return super().get_search_results(request, queryset, search_term)
