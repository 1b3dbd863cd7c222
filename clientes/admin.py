from django.contrib import admin

from clientes.models import Cliente
from cotizaciones.models import Cotizacion
from tenants.admin import TenantScopedAdmin, TenantScopedInline
from ventas.models import Venta


class VentaInline(TenantScopedInline):
    model = Venta
    fields = ["creado_en", "total", "cancelada_en", "notas"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    max_num = 0


class CotizacionInline(TenantScopedInline):
    model = Cotizacion
    fields = ["creado_en", "total", "estado", "valida_hasta"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    max_num = 0


@admin.register(Cliente)
class ClienteAdmin(TenantScopedAdmin):
    list_display = ["nombre", "documento", "email", "telefono", "creado_en"]
    list_filter = ["creado_en"]
    search_fields = ["nombre"]  # replaced by the API's accent-insensitive search below
    readonly_fields = ["creado_en"]
    fields = [
        "tenant",
        "nombre",
        "documento",
        "email",
        "telefono",
        "direccion",
        "notas",
        "creado_en",
    ]
    inlines = [VentaInline, CotizacionInline]
    ordering = ["-id"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        return (queryset.buscar(term) if term else queryset), False
