from django.apps import AppConfig


class VentasConfig(AppConfig):
    name = "ventas"
    verbose_name = "Ventas"

    def ready(self):
        # A merged customer's sales follow it to the survivor (clientes.merge).
        from clientes.merge import register_cliente_reference
        from comercial.services import register_feed_kind
        from ventas.models import Venta
        from ventas.selectors import list_fields

        register_cliente_reference(Venta)
        # Its events go to the tenant's feed with the sale as its detail shows it.
        register_feed_kind(Venta, prefix="venta", detail_fields=list_fields)
