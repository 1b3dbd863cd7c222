from django.apps import AppConfig


class DocumentosConfig(AppConfig):
    """What sales and quotations share: lines, totals, numbering, events, cancelling."""

    name = "documentos"
    verbose_name = "Documentos comerciales"
