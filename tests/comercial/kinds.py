"""The declarations of the document endpoints: what the battery (``tests/comercial/battery``)
needs to know of sales and of quotations. A kind's own folder reads its URLs, messages and
stored rows from here too."""

from datetime import timedelta

from django.utils import timezone

from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_cancel, cotizacion_convert, cotizacion_create
from tests import contract
from tests.comercial.helpers import frozen_now
from tests.comercial.kind import Kind
from tests.factories import make_cotizacion
from ventas.models import Venta
from ventas.services import venta_cancel, venta_create


def document_kind(model, fields, *, services: tuple, **own) -> Kind:
    """The kind of ``model``: its endpoints at ``/api/<its app>``, with ``fields`` in the
    detail; its ``(create, cancel)`` services. ``own`` is what differs between kinds (its
    messages as the contract writes them, among others)."""
    create, cancel = services
    keyword = model._meta.model_name  # the services name the document by its model

    def cancel_by_position(document, por, motivo):
        return cancel(**{keyword: document}, por=por, motivo=motivo)

    return Kind(
        list_url=f"/api/{model._meta.app_label}",
        fields=fields,
        model=model,
        create=create,
        cancel=cancel_by_position,
        **own,
    )


# -- sales ---------------------------------------------------------------------------------------


def venta_made_from_a_quotation(tenant, vendedor, cliente) -> Venta:
    """A sale made by converting a quotation: its row names the quotation."""
    return cotizacion_convert(cotizacion=make_cotizacion(tenant, cliente, vendedor=vendedor))[0]


VENTAS = document_kind(
    Venta,
    contract.VENTA_FIELDS,
    services=(venta_create, venta_cancel),
    created={"cotizacionId": None},
    cancelled={},
    not_found="Venta no encontrada",
    already_cancelled="La venta ya está cancelada",
    ignored={"cotizacionId": 5},
    vigentes={"cancelada": "false", "desde": "2000-01-01"},
    special=(venta_made_from_a_quotation,),
)


# -- quotations ----------------------------------------------------------------------------------


def cotizacion_convertida(tenant, vendedor, cliente) -> Cotizacion:
    return cotizacion_convert(cotizacion=make_cotizacion(tenant, cliente, vendedor=vendedor))[1]


def cotizacion_valid_until_a_microsecond(tenant, vendedor, cliente) -> Cotizacion:
    """A quotation valid until an instant with microseconds, which its row writes as is."""
    cotizacion = make_cotizacion(tenant, cliente, vendedor=vendedor)
    hasta = frozen_now().replace(microsecond=123456)
    Cotizacion.objects.for_tenant(tenant).filter(pk=cotizacion.pk).update(valida_hasta=hasta)
    return cotizacion


COTIZACIONES = document_kind(
    Cotizacion,
    contract.COTIZACION_FIELDS,
    services=(cotizacion_create, cotizacion_cancel),
    created={"estado": "PENDIENTE", "vencida": False, "ventaId": None, "convertidaEn": None},
    cancelled={"estado": "CANCELADA", "vencida": False},
    not_found="Cotización no encontrada",
    already_cancelled="La cotización ya está cancelada",
    ignored={"estado": "CONVERTIDA", "ventaId": 5, "convertidaEn": "2020-01-01T00:00:00Z"},
    vigentes={"estado": "PENDIENTE", "vencida": "false"},
    row_defaults=lambda: {"valida_hasta": timezone.now() + timedelta(days=7)},
    special=(cotizacion_convertida, cotizacion_valid_until_a_microsecond),
)
