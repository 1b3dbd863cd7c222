from django.apps import AppConfig


class CotizacionesConfig(AppConfig):
    name = "cotizaciones"
    verbose_name = "Cotizaciones"

    def ready(self):
        # A merged customer's quotations follow it to the survivor (clientes.merge).
        from clientes.merge import register_cliente_reference
        from comercial.services import register_feed_kind
        from cotizaciones.models import Cotizacion
        from cotizaciones.selectors import list_fields

        register_cliente_reference(Cotizacion)
        # Its events go to the tenant's feed with the quotation as its detail shows it.
        register_feed_kind(Cotizacion, prefix="cotizacion", detail_fields=list_fields)
