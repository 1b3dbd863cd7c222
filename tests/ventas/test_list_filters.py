"""GET /api/ventas filters only sales have: desde/hasta (days in the tenant's time zone) and
``cancelada``. ``cliente`` and ``vendedor`` are in the document battery (``tests/comercial``)."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.comercial.helpers import assert_validation_error, ids
from tests.factories import make_cliente, make_venta
from tests.ventas.helpers import LIST_URL, set_creado_en, set_zone
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
def ajenas(other_tenant):
    """Sales of another tenant that match every filter used here; never listed."""
    cliente = make_cliente(other_tenant)
    venta_at(other_tenant, BOGOTA_1_MARZO, cliente=cliente)
    venta_at(other_tenant, BOGOTA_1_MARZO + timedelta(hours=23), cliente=cliente, cancelada=True)
    return cliente


# -- desde and hasta: days in the tenant's time zone ---------------------------------------


def test_a_sale_belongs_to_the_day_of_the_tenants_time_zone(admin_api, tenant, ajenas):
    set_zone(tenant, "America/Bogota")
    late_evening = venta_at(tenant, datetime(2026, 3, 2, 3, 0, tzinfo=UTC))  # 1 March, 22:00

    assert listed(admin_api, desde="2026-03-01", hasta="2026-03-01") == [late_evening]
    assert listed(admin_api, desde="2026-03-02") == []
    assert listed(admin_api, hasta="2026-02-28") == []


def test_desde_includes_the_whole_first_day(admin_api, tenant, ajenas):
    set_zone(tenant, "America/Bogota")
    venta_at(tenant, BOGOTA_1_MARZO - US)  # 28 February, 23:59:59.999999
    first_instant = venta_at(tenant, BOGOTA_1_MARZO)
    later = venta_at(tenant, BOGOTA_1_MARZO + timedelta(days=30))

    assert listed(admin_api, desde="2026-03-01") == [later, first_instant]


def test_hasta_includes_the_whole_last_day(admin_api, tenant, ajenas):
    set_zone(tenant, "America/Bogota")
    earlier = venta_at(tenant, BOGOTA_1_MARZO - timedelta(days=30))
    last_instant = venta_at(tenant, BOGOTA_1_MARZO + timedelta(days=1) - US)
    venta_at(tenant, BOGOTA_1_MARZO + timedelta(days=1))  # 2 March, 00:00

    assert listed(admin_api, hasta="2026-03-01") == [last_instant, earlier]


def test_the_same_instants_fall_on_other_days_in_utc(admin_api, tenant, ajenas):
    set_zone(tenant, "UTC")
    late_evening_in_bogota = venta_at(tenant, datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    first_instant_in_bogota = venta_at(tenant, BOGOTA_1_MARZO)
    last_february_instant_in_bogota = venta_at(tenant, BOGOTA_1_MARZO - US)

    assert listed(admin_api, desde="2026-03-01", hasta="2026-03-01") == [
        last_february_instant_in_bogota,
        first_instant_in_bogota,
    ]
    assert listed(admin_api, desde="2026-03-02") == [late_evening_in_bogota]


def test_hasta_before_desde_is_400_naming_hasta(admin_api, tenant, ajenas):
    venta_at(tenant, BOGOTA_1_MARZO + timedelta(hours=12))

    response = admin_api.get(LIST_URL, {"desde": "2026-03-02", "hasta": "2026-03-01"})

    assert_validation_error(response, "hasta")
    assert response.json()["detalles"]["hasta"] == [
        "Debe ser el mismo día de «desde» o uno posterior."
    ]


@pytest.mark.parametrize("params", [{"desde": "0001-01-01"}, {"hasta": "9999-12-31"}])
def test_the_extreme_dates_of_the_calendar_are_valid_bounds(admin_api, tenant, ajenas, params):
    own = venta_at(tenant, BOGOTA_1_MARZO)

    response = admin_api.get(LIST_URL, params)

    assert ids(response) == [own]


# -- cancelada -------------------------------------------------------------------------------


def test_cancelada_true_and_false_split_the_sales(admin_api, tenant, ajenas):
    vigente = make_venta(tenant).pk
    cancelada = venta_at(tenant, BOGOTA_1_MARZO, cancelada=True)

    assert listed(admin_api, cancelada="true") == [cancelada]
    assert listed(admin_api, cancelada="false") == [vigente]
    assert listed(admin_api) == [cancelada, vigente]


# -- combinations and invalid values ---------------------------------------------------------


def test_filters_combine(admin_api, tenant, ajenas, user):
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
    assert listed(admin_api, **params) == [cancelled, match]
    assert listed(admin_api, **params, cancelada="false") == [match]
    assert listed(admin_api, **params, cancelada="true") == [cancelled]


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
    ],
)
def test_an_invalid_filter_value_is_400_naming_the_parameter(admin_api, tenant, name, value):
    make_venta(tenant)

    assert_validation_error(admin_api.get(LIST_URL, {name: value}), name)
