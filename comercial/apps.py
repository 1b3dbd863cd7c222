from django.apps import AppConfig


class ComercialConfig(AppConfig):
    """What sales and quotations share: lines, totals, numbering, events, cancelling.

    The package is ``comercial`` so that "documento" means one thing in the code, a customer's
    ID number; the app keeps its label ``documentos``, so its table (``documentos_numeracion``),
    migrations and admin templates keep their names.
    """

    name = "comercial"
    label = "documentos"
    verbose_name = "Documentos comerciales"
