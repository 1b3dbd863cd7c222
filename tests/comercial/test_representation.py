"""A sale's and a quotation's answer (comercial.representation.as_api_answer) is what their
detail serializers write, the schema's description of it: the same keys in the same order and
the same bytes once rendered, in every state a document can be in."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from drf_orjson_renderer.renderers import ORJSONRenderer

from comercial.representation import as_api_answer
from comercial.selectors import with_detail
from comercial.services import NewItem
from cotizaciones.models import Cotizacion
from cotizaciones.serializers import CotizacionSerializer
from cotizaciones.services import cotizacion_cancel, cotizacion_convert
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.models import Venta
from ventas.selectors import with_origin
from ventas.serializers import VentaSerializer
from ventas.services import venta_cancel, venta_create

pytestmark = pytest.mark.django_db

ITEMS = [
    NewItem("Cemento gris 50 kg", Decimal("2.5"), Decimal("32900")),
    NewItem("Tornillos", Decimal("0.125"), Decimal("8500.55")),
]


def detail(model, documento):
    """The document as a detail reads it (``with_detail``; a sale with its origin)."""
    queryset = model.objects.for_tenant(documento.tenant_id)
    if model is Venta:
        queryset = with_origin(queryset)
    return with_detail(queryset, tenant_id=documento.tenant_id).get(pk=documento.pk)


def assert_written_alike(documento, serializer_class):
    answer, described = as_api_answer(documento), serializer_class(documento).data
    assert list(answer) == list(described)
    assert answer == described
    assert ORJSONRenderer().render(answer) == ORJSONRenderer().render(described)


@pytest.fixture
def cliente(tenant):
    return make_cliente(tenant, nombre="José Álvarez")


def test_a_new_sale_is_answered_as_its_serializer_writes_it(tenant, admin_user, cliente):
    venta = venta_create(tenant=tenant, items=ITEMS, cliente=cliente, vendedor=admin_user)
    assert_written_alike(venta, VentaSerializer)


def test_a_sale_read_back_is_answered_as_its_serializer_writes_it(tenant, admin_user, cliente):
    venta = make_venta(tenant, cliente, vendedor=admin_user, notas="con notas")
    assert_written_alike(detail(Venta, venta), VentaSerializer)


def test_a_counter_sale_without_customer_or_seller_is_written_alike(tenant):
    venta = venta_create(tenant=tenant, items=ITEMS)
    assert_written_alike(detail(Venta, venta), VentaSerializer)


def test_a_cancelled_sale_is_written_alike(tenant, admin_user, cliente):
    venta = make_venta(tenant, cliente, vendedor=admin_user)
    venta_cancel(venta=venta, por=admin_user, motivo="Error de digitación")
    assert_written_alike(detail(Venta, venta), VentaSerializer)


def test_a_sale_converted_from_a_quotation_is_written_alike(tenant, admin_user, cliente):
    venta, _ = cotizacion_convert(cotizacion=make_cotizacion(tenant, cliente, vendedor=admin_user))
    assert venta.cotizacion_origen_id is not None
    assert_written_alike(venta, VentaSerializer)
    assert_written_alike(detail(Venta, venta), VentaSerializer)


def test_a_pending_quotation_is_written_alike(tenant, admin_user, cliente):
    cotizacion = make_cotizacion(tenant, cliente, vendedor=admin_user)
    assert_written_alike(cotizacion, CotizacionSerializer)
    assert_written_alike(detail(Cotizacion, cotizacion), CotizacionSerializer)


def test_an_expired_quotation_valid_to_a_microsecond_is_written_alike(tenant, admin_user):
    cotizacion = make_cotizacion(tenant, vendedor=admin_user)
    hasta = (timezone.now() - timedelta(days=1)).replace(microsecond=123456)
    Cotizacion.objects.for_tenant(tenant).filter(pk=cotizacion.pk).update(valida_hasta=hasta)
    read = detail(Cotizacion, cotizacion)
    assert read.vencida
    assert_written_alike(read, CotizacionSerializer)


def test_a_converted_quotation_is_written_alike(tenant, admin_user, cliente):
    _, cotizacion = cotizacion_convert(
        cotizacion=make_cotizacion(tenant, cliente, vendedor=admin_user), por=admin_user
    )
    assert_written_alike(cotizacion, CotizacionSerializer)
    assert_written_alike(detail(Cotizacion, cotizacion), CotizacionSerializer)


def test_a_cancelled_quotation_is_written_alike(tenant, admin_user, cliente):
    cotizacion = make_cotizacion(tenant, cliente, vendedor=admin_user)
    cotizacion_cancel(cotizacion=cotizacion, por=admin_user, motivo="El cliente desistió")
    assert_written_alike(detail(Cotizacion, cotizacion), CotizacionSerializer)
