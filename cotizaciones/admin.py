"""Quotations in the admin: created, cancelled and converted through ``cotizaciones.services``
(see comercial.admin)."""

from django.contrib import admin

from clientes.admin import ClienteDocumentosInline, add_cliente_inline
from comercial.admin import DocumentoAdmin, EventoInline, ItemInline, VendedorFilter
from cotizaciones.models import Cotizacion, CotizacionEvento, CotizacionItem
from cotizaciones.services import cotizacion_cancel, cotizacion_convert, cotizacion_create


class CotizacionItemInline(ItemInline):
    """The quotation's lines."""

    model = CotizacionItem


class CotizacionEventoInline(EventoInline):
    """The quotation's history."""

    model = CotizacionEvento


@admin.register(Cotizacion)
class CotizacionAdmin(DocumentoAdmin):
    """Quotations: listed, searched and filtered; added, cancelled and converted through the
    services. ``estado`` changes only through those transitions."""

    list_display = [
        "numero",
        "cliente",
        "vendedor",
        "total",
        "creado_en",
        "estado",
        "vencida",
        "valida_hasta",
    ]
    list_filter = ["estado", "creado_en", VendedorFilter]
    add_fields = ["tenant", "cliente", "vendedor", "valida_hasta", "notas"]
    change_fields = [
        "tenant",
        "numero",
        "estado",
        "cliente",
        "vendedor",
        "total",
        "creado_en",
        "valida_hasta",
        "vencida",
        "notas",
        "convertida_en",
        "venta",
        "cancelada_en",
        "cancelada_por",
        "motivo_cancelacion",
    ]
    actions = ["cancelar", "convertir"]

    def get_inlines(self, request, obj):
        if obj is None:
            return [CotizacionItemInline]
        return [CotizacionItemInline, CotizacionEventoInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "valida_hasta":
            kwargs.update(required=False, help_text="Vacío: 7 días desde ahora.")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(boolean=True, description="Vencida")
    def vencida(self, cotizacion: Cotizacion) -> bool:
        """Pending and past its validity."""
        return cotizacion.vencida

    def is_closed(self, documento: Cotizacion) -> bool:
        return documento.estado != Cotizacion.Estado.PENDIENTE

    def create_document(self, request, cleaned_data, **kwargs) -> Cotizacion:
        return cotizacion_create(valida_hasta=cleaned_data.get("valida_hasta"), **kwargs)

    def cancel_document(self, documento, *, por, motivo):
        return cotizacion_cancel(cotizacion=documento, por=por, motivo=motivo)

    @admin.action(description="Convertir en venta", permissions=["change"])
    def convertir(self, request, queryset):
        """Convert each selected quotation into a sale through the service."""

        def convert(cotizacion, por):
            venta, _ = cotizacion_convert(cotizacion=cotizacion, por=por)
            return f"{cotizacion} convertida en {venta}."

        self.run_per_row(request, list(queryset), convert)


class ClienteCotizacionesInline(ClienteDocumentosInline):
    model = Cotizacion
    fields = ["numero", "creado_en", "total", "estado", "valida_hasta"]


add_cliente_inline(ClienteCotizacionesInline)
