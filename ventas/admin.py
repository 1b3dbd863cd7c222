"""Sales in the admin: created and cancelled through ``ventas.services`` (see comercial.admin)."""

from django.contrib import admin

from clientes.admin import ClienteDocumentosInline, add_cliente_inline
from comercial.admin import DocumentoAdmin, EventoInline, ItemInline, VendedorFilter
from ventas.models import Venta, VentaEvento, VentaItem
from ventas.services import venta_cancel, venta_create


class VentaItemInline(ItemInline):
    """The sale's lines."""

    model = VentaItem


class VentaEventoInline(EventoInline):
    """The sale's history."""

    model = VentaEvento


class CanceladaFilter(admin.SimpleListFilter):
    """Cancelled or not."""

    title = "cancelada"
    parameter_name = "cancelada"

    def lookups(self, request, model_admin):
        return [("si", "Sí"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "si":
            return queryset.filter(cancelada_en__isnull=False)
        if self.value() == "no":
            return queryset.filter(cancelada_en__isnull=True)
        return queryset


@admin.register(Venta)
class VentaAdmin(DocumentoAdmin):
    """Sales: listed, searched and filtered; added and cancelled through the services."""

    list_display = ["numero", "cliente", "vendedor", "total", "creado_en", "cancelada"]
    list_filter = [CanceladaFilter, "creado_en", VendedorFilter]
    add_fields = ["tenant", "cliente", "vendedor", "notas"]
    change_fields = [
        "tenant",
        "numero",
        "cliente",
        "vendedor",
        "total",
        "creado_en",
        "cotizacion",
        "notas",
        "cancelada",
        "cancelada_en",
        "cancelada_por",
        "motivo_cancelacion",
    ]

    def get_inlines(self, request, obj):
        return [VentaItemInline] if obj is None else [VentaItemInline, VentaEventoInline]

    @admin.display(boolean=True, description="Cancelada", ordering="cancelada_en")
    def cancelada(self, venta: Venta) -> bool:
        """Whether the sale was cancelled."""
        return venta.cancelada

    @admin.display(description="Cotización de origen")
    def cotizacion(self, venta: Venta):
        """The quotation this sale was converted from, if any."""
        return getattr(venta, "cotizacion_origen", None) or "-"

    def is_closed(self, documento: Venta) -> bool:
        return documento.cancelada

    def create_document(self, request, cleaned_data, **kwargs) -> Venta:
        return venta_create(**kwargs)

    def cancel_document(self, documento, *, por, motivo):
        return venta_cancel(venta=documento, por=por, motivo=motivo)


class ClienteVentasInline(ClienteDocumentosInline):
    model = Venta
    fields = ["numero", "creado_en", "total", "cancelada_en", "notas"]


add_cliente_inline(ClienteVentasInline)
