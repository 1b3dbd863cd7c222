from django.apps import AppConfig


class VentasConfig(AppConfig):
    name = "ventas"
    verbose_name = "Ventas"

    def ready(self):
        # A merged customer's sales follow it to the survivor (clientes.merge).
        from clientes.merge import register_cliente_reference
        from ventas.models import Venta

        register_cliente_reference(Venta)
