"""Sales and quotations changelists: columns, filters (state, dates, seller) and search (number,
customer name), never showing another tenant's documents."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_cancel
from tests.admin.helpers import COTIZACIONES, VENTAS, changelist_ids
from tests.factories import make_cliente, make_cotizacion, make_user, make_venta
from ventas.models import Venta
from ventas.services import venta_cancel

pytestmark = pytest.mark.django_db


def filter_choices(response, parameter: str) -> list:
    """The (value, label) choices a SimpleListFilter offers on the changelist."""
    specs = response.context["cl"].filter_specs
    spec = next(s for s in specs if getattr(s, "parameter_name", None) == parameter)
    return list(spec.lookup_choices)


def test_sales_list_columns(staff):
    response = staff.get(VENTAS)

    assert response.context["cl"].list_display[1:] == [
        "numero",
        "cliente",
        "vendedor",
        "total",
        "creado_en",
        "cancelada",
    ]


def test_quotations_list_shows_state_and_expiry(staff):
    response = staff.get(COTIZACIONES)

    assert {"numero", "estado", "vencida", "valida_hasta"} <= set(
        response.context["cl"].list_display
    )


def test_superuser_list_adds_the_tenant_column(root):
    assert "tenant" in root.get(VENTAS).context["cl"].list_display


def test_list_answers_in_a_fixed_number_of_queries(staff, tenant, django_assert_max_num_queries):
    for _ in range(5):
        make_venta(tenant, make_cliente(tenant), vendedor=make_user(tenant))

    with django_assert_max_num_queries(10):
        assert len(changelist_ids(staff.get(VENTAS))) == 5


def test_cancelled_filter(staff, tenant, other_tenant):
    vigente = make_venta(tenant)
    cancelada = venta_cancel(venta=make_venta(tenant), por=None, motivo="Error")
    venta_cancel(venta=make_venta(other_tenant), por=None, motivo="Ajena")

    assert changelist_ids(staff.get(VENTAS, {"cancelada": "si"})) == {cancelada.pk}
    assert changelist_ids(staff.get(VENTAS, {"cancelada": "no"})) == {vigente.pk}


def test_estado_filter(staff, tenant, other_tenant):
    pendiente = make_cotizacion(tenant)
    cancelada = cotizacion_cancel(cotizacion=make_cotizacion(tenant), por=None, motivo="No")
    make_cotizacion(other_tenant)

    listed = changelist_ids(staff.get(COTIZACIONES, {"estado__exact": "PENDIENTE"}))
    assert listed == {pendiente.pk}
    listed = changelist_ids(staff.get(COTIZACIONES, {"estado__exact": "CANCELADA"}))
    assert listed == {cancelada.pk}


def test_date_filter(staff, tenant, other_tenant):
    reciente = make_venta(tenant)
    vieja = make_venta(tenant)
    Venta.objects.for_tenant(tenant).filter(pk=vieja.pk).update(
        creado_en=timezone.now() - timedelta(days=30)
    )
    make_venta(other_tenant)
    desde = str(timezone.now() - timedelta(days=7))  # as the filter's own links write it

    assert changelist_ids(staff.get(VENTAS, {"creado_en__gte": desde})) == {reciente.pk}


def test_seller_filter(staff, tenant):
    ana = make_user(tenant, nombre="Ana")
    de_ana = make_venta(tenant, vendedor=ana)
    make_venta(tenant, vendedor=make_user(tenant, nombre="Beto"))

    assert changelist_ids(staff.get(VENTAS, {"vendedor": ana.pk})) == {de_ana.pk}


def test_seller_filter_offers_only_own_tenant_users(staff, tenant, other_tenant):
    ana = make_user(tenant, nombre="Ana")
    ajeno = make_user(other_tenant, nombre="Vendedor Ajeno")

    response = staff.get(COTIZACIONES)

    values = [value for value, _label in filter_choices(response, "vendedor")]
    assert ana.pk in values
    assert ajeno.pk not in values
    assert b"Vendedor Ajeno" not in response.content


def test_seller_filter_with_another_tenant_seller_shows_nothing(staff, tenant, other_tenant):
    ajeno = make_user(other_tenant)
    make_venta(tenant)
    make_venta(other_tenant, vendedor=ajeno)

    assert changelist_ids(staff.get(VENTAS, {"vendedor": ajeno.pk})) == set()


def test_seller_filter_ignores_a_malformed_id(staff, tenant):
    make_venta(tenant)

    assert changelist_ids(staff.get(VENTAS, {"vendedor": "abc"})) == set()


def test_search_by_number_matches_it_exactly(staff, tenant, other_tenant):
    ventas = [make_venta(tenant) for _ in range(12)]
    make_venta(other_tenant)  # also numero 1, in the other tenant

    assert changelist_ids(staff.get(VENTAS, {"q": "1"})) == {ventas[0].pk}
    assert changelist_ids(staff.get(VENTAS, {"q": "#12"})) == {ventas[11].pk}


def test_search_by_number_of_quotations(staff, tenant):
    primera, segunda = make_cotizacion(tenant), make_cotizacion(tenant)

    assert changelist_ids(staff.get(COTIZACIONES, {"q": "2"})) == {segunda.pk}
    assert primera.numero == 1


def test_search_by_number_is_not_the_database_id(staff, tenant, other_tenant):
    for _ in range(3):
        make_venta(other_tenant)
    mia = make_venta(tenant)
    assert mia.pk != mia.numero

    assert changelist_ids(staff.get(VENTAS, {"q": str(mia.pk)})) == set()


def test_search_by_customer_name_ignores_case_and_accents(staff, tenant, other_tenant):
    jose = make_venta(tenant, make_cliente(tenant, nombre="José Álvarez"))
    make_venta(tenant, make_cliente(tenant, nombre="María Pérez"))
    make_venta(other_tenant, make_cliente(other_tenant, nombre="José Álvarez"))

    assert changelist_ids(staff.get(VENTAS, {"q": "jose alv"})) == {jose.pk}


def test_superuser_sees_and_searches_every_tenant(root, tenant, other_tenant):
    a = make_cotizacion(tenant, make_cliente(tenant, nombre="Lucía"))
    b = make_cotizacion(other_tenant, make_cliente(other_tenant, nombre="Lucía"))

    assert changelist_ids(root.get(COTIZACIONES)) == {a.pk, b.pk}
    assert changelist_ids(root.get(COTIZACIONES, {"q": "lucia"})) == {a.pk, b.pk}
    assert Cotizacion.objects.for_tenant(tenant).get().numero == 1


def test_filter_counts_cover_only_own_tenant_documents(staff, tenant, other_tenant):
    ana = make_user(tenant, nombre="Ana")
    make_venta(tenant, vendedor=ana)
    make_venta(other_tenant, vendedor=make_user(other_tenant))

    response = staff.get(VENTAS, {"_facets": "True"})

    assert response.status_code == 200
    assert "Ana (1)" in response.content.decode()
    assert changelist_ids(response) == set(
        Venta.objects.for_tenant(tenant).values_list("pk", flat=True)
    )
