from django.apps import AppConfig


class CotizacionesConfig(AppConfig):
    name = "cotizaciones"
    verbose_name = "Cotizaciones"
