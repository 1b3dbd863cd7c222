"""GET /api/ventas filters: cliente, vendedor, desde/hasta (tenant's days), cancelada."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_cliente, make_venta
from tests.ventas.helpers import (
    LIST_URL,
    admin_client,
    assert_validation_error,
    ids,
    seller_client,
    set_creado_en,
    set_zone,
)
from ventas.services import venta_cancel

pytestmark = pytest.mark.django_db

US = timedelta(microseconds=1)
# America/Bogota is UTC-5 all year: its 2026-03-01 runs from 05:00Z to 05:00Z the next day.
BOGOTA_1_MARZO = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)


def venta_at(tenant, when: datetime, *, cancelada=False, **kwargs) -> int:
    """A sale of ``tenant`` made at ``when`` (cancelled first when asked: the same-day rule)."""
    venta = make_venta(tenant, **kwargs)
    if cancelada:
        venta_cancel(venta=venta, por=None, motivo="prueba")
    set_creado_en(tenant, venta.pk, when)
    return venta.pk


def listed(client, **params) -> list[int]:
    return ids(client.get(LIST_URL, params))


@pytest.fixture
def admin(tenant):
    return admin_client(tenant)[0]


@pytest.fixture
def ajenas(other_tenant):
    """Sales of another tenant that match every filter used here; never listed."""
    cliente = make_cliente(other_tenant)
    venta_at(other_tenant, BOGOTA_1_MARZO, cliente=cliente)
    venta_at(other_tenant, BOGOTA_1_MARZO + timedelta(hours=23), cliente=cliente, cancelada=True)
    return cliente


# -- cliente and vendedor ------------------------------------------------------------------


def test_cliente_keeps_only_that_customers_sales(admin, tenant, ajenas):
    cliente = make_cliente(tenant)
    own = [make_venta(tenant, cliente).pk for _ in range(2)]
    make_venta(tenant, make_cliente(tenant))
    make_venta(tenant)

    assert listed(admin, cliente=str(cliente.pk)) == sorted(own, reverse=True)


def test_cliente_of_another_tenant_lists_nothing(admin, tenant, ajenas):
    make_venta(tenant, make_cliente(tenant))

    assert listed(admin, cliente=str(ajenas.pk)) == []


def test_an_admin_filters_by_vendedor(admin, tenant, other_tenant, user):
    _, otro = seller_client(tenant)
    own = [make_venta(tenant, vendedor=user).pk for _ in range(2)]
    make_venta(tenant, vendedor=otro)
    make_venta(tenant)
    make_venta(other_tenant)

    assert listed(admin, vendedor=str(user.pk)) == sorted(own, reverse=True)


def test_vendedor_is_ignored_for_a_usuario(api, tenant, other_tenant, user):
    _, otro = seller_client(tenant)
    mine = make_venta(tenant, vendedor=user).pk
    make_venta(tenant, vendedor=otro)
    make_venta(other_tenant)

    assert listed(api, vendedor=str(otro.pk)) == [mine]
    assert listed(api, vendedor=str(user.pk)) == [mine]


# -- desde and hasta: days in the tenant's time zone ---------------------------------------


def test_a_sale_belongs_to_the_day_of_the_tenants_time_zone(admin, tenant, ajenas):
    set_zone(tenant, "America/Bogota")
    late_evening = venta_at(tenant, datetime(2026, 3, 2, 3, 0, tzinfo=UTC))  # 1 March, 22:00

    assert listed(admin, desde="2026-03-01", hasta="2026-03-01") == [late_evening]
    assert listed(admin, desde="2026-03-02") == []
    assert listed(admin, hasta="2026-02-28") == []


def test_desde_includes_the_whole_first_day(admin, tenant, ajenas):
    set_zone(tenant, "America/Bogota")
    venta_at(tenant, BOGOTA_1_MARZO - US)  # 28 February, 23:59:59.999999
    first_instant = venta_at(tenant, BOGOTA_1_MARZO)
    later = venta_at(tenant, BOGOTA_1_MARZO + timedelta(days=30))

    assert listed(admin, desde="2026-03-01") == [later, first_instant]


def test_hasta_includes_the_whole_last_day(admin, tenant, ajenas):
    set_zone(tenant, "America/Bogota")
    earlier = venta_at(tenant, BOGOTA_1_MARZO - timedelta(days=30))
    last_instant = venta_at(tenant, BOGOTA_1_MARZO + timedelta(days=1) - US)
    venta_at(tenant, BOGOTA_1_MARZO + timedelta(days=1))  # 2 March, 00:00

    assert listed(admin, hasta="2026-03-01") == [last_instant, earlier]


def test_the_same_instants_fall_on_other_days_in_utc(admin, tenant, ajenas):
    set_zone(tenant, "UTC")
    late_evening_in_bogota = venta_at(tenant, datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    first_instant_in_bogota = venta_at(tenant, BOGOTA_1_MARZO)
    last_february_instant_in_bogota = venta_at(tenant, BOGOTA_1_MARZO - US)

    assert listed(admin, desde="2026-03-01", hasta="2026-03-01") == [
        last_february_instant_in_bogota,
        first_instant_in_bogota,
    ]
    assert listed(admin, desde="2026-03-02") == [late_evening_in_bogota]


def test_hasta_before_desde_is_400_naming_hasta(admin, tenant, ajenas):
    venta_at(tenant, BOGOTA_1_MARZO + timedelta(hours=12))

    response = admin.get(LIST_URL, {"desde": "2026-03-02", "hasta": "2026-03-01"})

    assert_validation_error(response, "hasta")
    assert response.json()["detalles"]["hasta"] == [
        "Debe ser el mismo día de «desde» o uno posterior."
    ]


@pytest.mark.parametrize("params", [{"desde": "0001-01-01"}, {"hasta": "9999-12-31"}])
def test_the_extreme_dates_of_the_calendar_are_valid_bounds(admin, tenant, ajenas, params):
    own = venta_at(tenant, BOGOTA_1_MARZO)

    response = admin.get(LIST_URL, params)

    assert ids(response) == [own]


# -- cancelada -------------------------------------------------------------------------------


def test_cancelada_true_and_false_split_the_sales(admin, tenant, ajenas):
    vigente = make_venta(tenant).pk
    cancelada = venta_at(tenant, BOGOTA_1_MARZO, cancelada=True)

    assert listed(admin, cancelada="true") == [cancelada]
    assert listed(admin, cancelada="false") == [vigente]
    assert listed(admin) == [cancelada, vigente]


# -- combinations and invalid values ---------------------------------------------------------


def test_filters_combine(admin, tenant, ajenas, user):
    cliente = make_cliente(tenant)
    match = venta_at(tenant, BOGOTA_1_MARZO + timedelta(hours=1), cliente=cliente, vendedor=user)
    venta_at(tenant, BOGOTA_1_MARZO + timedelta(hours=2), cliente=cliente)  # other seller
    venta_at(tenant, BOGOTA_1_MARZO + timedelta(days=2), cliente=cliente, vendedor=user)
    venta_at(tenant, BOGOTA_1_MARZO + timedelta(hours=3), vendedor=user)  # other customer
    cancelled = venta_at(
        tenant, BOGOTA_1_MARZO + timedelta(hours=4), cliente=cliente, vendedor=user, cancelada=True
    )

    params = {
        "cliente": str(cliente.pk),
        "vendedor": str(user.pk),
        "desde": "2026-03-01",
        "hasta": "2026-03-01",
    }
    assert listed(admin, **params) == [cancelled, match]
    assert listed(admin, **params, cancelada="false") == [match]
    assert listed(admin, **params, cancelada="true") == [cancelled]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("cancelada", "quizá"),
        ("cancelada", "1"),
        ("cancelada", "TRUE"),
        ("desde", "2026-02-30"),
        ("desde", "01/03/2026"),
        ("hasta", "2026-03-01T00:00:00"),
        ("hasta", "mañana"),
        ("cliente", "abc"),
        ("cliente", "99999999999999999999"),
        ("cliente", "0"),
        ("cliente", "-1"),
        ("vendedor", "1.5"),
        ("vendedor", "abc"),
    ],
)
def test_an_invalid_filter_value_is_400_naming_the_parameter(admin, tenant, name, value):
    make_venta(tenant)

    assert_validation_error(admin.get(LIST_URL, {name: value}), name)


def test_an_invalid_vendedor_is_400_for_a_usuario_too(api, tenant, user):
    make_venta(tenant, vendedor=user)

    assert_validation_error(api.get(LIST_URL, {"vendedor": "abc"}), "vendedor")
