"""The customers' API: the resource itself (``resource``), what ends or joins a customer's
life (``lifecycle``) and the spreadsheet's way in and out (``transfer``)."""

from clientes.views.resource import ClienteViewSet

__all__ = ["ClienteViewSet"]
