from django.apps import AppConfig


class CotizacionesConfig(AppConfig):
    name = "cotizaciones"
    verbose_name = "Cotizaciones"

    def ready(self):
        # A merged customer's quotations follow it to the survivor (clientes.merge).
        from clientes.merge import register_cliente_reference
        from cotizaciones.models import Cotizacion

        register_cliente_reference(Cotizacion)
