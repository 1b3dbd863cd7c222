"""Money and quantities through HTTP: exact decimals, half-up subtotals, types and bounds.

Bodies are sent as raw JSON text and answers read with ``parse_float=Decimal``, so no Python
float ever stands between what is written and what is checked.
"""

import math
from decimal import Decimal

import pytest

from tests.comercial.helpers import (
    assert_validation_error,
    post,
    post_raw,
    written,
)
from tests.ventas.helpers import (
    LIST_URL,
    detail_url,
    exact_json,
    raw_items,
    stored_items,
    stored_venta,
)

pytestmark = pytest.mark.django_db

D = Decimal


def create_exact(api, *lines: tuple[str, str]) -> dict:
    response = post_raw(api, LIST_URL, raw_items(*lines))
    assert response.status_code == 201, response.content
    return exact_json(response)


def subtotals(body) -> list[Decimal]:
    return [item["subtotal"] for item in body["items"]]


# -- exact products --------------------------------------------------------------------------


def test_0_1_times_0_3_is_exactly_0_03(api, tenant):
    body = create_exact(api, ("0.1", "0.3"))

    assert subtotals(body) == [D("0.03")]
    assert body["total"] == D("0.03")
    assert stored_items(tenant, body["id"])[0][1:] == (D("0.100"), D("0.30"), D("0.03"))
    assert stored_venta(tenant, body["id"]).total == D("0.03")


def test_1234567890_12_times_3_is_exactly_3703703670_36(api, tenant):
    body = create_exact(api, ("3", "1234567890.12"))

    assert subtotals(body) == [D("3703703670.36")]
    assert body["total"] == D("3703703670.36")
    assert stored_items(tenant, body["id"])[0][3] == D("3703703670.36")
    assert stored_venta(tenant, body["id"]).total == D("3703703670.36")


def test_the_detail_answers_the_same_exact_numbers_as_the_create(api):
    body = create_exact(api, ("0.1", "0.3"), ("3", "1234567890.12"), ("2.675", "1"))

    assert exact_json(api.get(detail_url(body["id"]))) == body
    assert body["total"] == D("3703703673.07")


# -- half up to centavos ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cantidad", "precio", "subtotal"),
    [
        ("0.005", "1", "0.01"),  # half-even would give 0.00
        ("1.005", "1", "1.01"),  # a float 1.005 is 1.00499…: 1.00
        ("2.675", "1", "2.68"),  # round(2.675, 2) on a float is 2.67
        ("0.125", "0.2", "0.03"),  # 0.025: half-even would give 0.02
        ("0.125", "0.1", "0.01"),  # 0.0125: the third decimal (2) rounds down
        ("1.5", "0.99", "1.49"),  # 1.485
        ("0.333", "0.03", "0.01"),  # 0.00999
        ("0.004", "1", "0.00"),  # rounds to nothing, still a valid line
        ("0.001", "0.01", "0.00"),
        ("999999999.999", "0.01", "10000000.00"),  # 9999999.99999
    ],
)
def test_subtotal_is_rounded_half_up_to_two_decimals(api, tenant, cantidad, precio, subtotal):
    body = create_exact(api, (cantidad, precio))

    assert subtotals(body) == [D(subtotal)]
    assert body["total"] == D(subtotal)
    assert stored_items(tenant, body["id"])[0][3] == D(subtotal)


def test_total_is_the_sum_of_rounded_subtotals_not_the_rounded_exact_sum(api, tenant):
    body = create_exact(api, ("0.005", "1"), ("0.005", "1"), ("0.005", "1"))

    assert subtotals(body) == [D("0.01")] * 3
    assert body["total"] == D("0.03")  # the exact sum 0.015 would round to 0.02
    assert stored_venta(tenant, body["id"]).total == D("0.03")


# -- formats of a JSON number ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cantidad", "precio", "expected"),
    [
        ("1.500", "10.00", (D("1.5"), D("10"), D("15"))),  # trailing zeros do not count
        ("1.5000000", "32900.000", (D("1.5"), D("32900"), D("49350"))),
        ("25e-1", "1E+2", (D("2.5"), D("100"), D("250"))),  # exponents are numbers too
        ("2", "0", (D("2"), D("0"), D("0"))),  # whole numbers; a free line
    ],
)
def test_any_json_spelling_of_an_allowed_number_is_accepted(
    api, tenant, cantidad, precio, expected
):
    body = create_exact(api, (cantidad, precio))

    [item] = body["items"]
    assert (item["cantidad"], item["precioUnitario"], item["subtotal"]) == expected
    assert stored_items(tenant, body["id"])[0][1:] == expected


def test_negative_zero_price_is_answered_as_zero(api, tenant):
    """``-0.0`` is a price of 0 (>= 0); it is stored and shown as 0, never as ``-0.0``."""
    body = create_exact(api, ("1", "-0.0"))

    [item] = body["items"]
    assert math.copysign(1, item["precioUnitario"]) == 1, item
    assert math.copysign(1, item["subtotal"]) == 1, item
    assert exact_json(api.get(detail_url(body["id"]))) == body


# -- types -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['"2.5"', '"2"', "true", "false", "null", "[1]", '{"v": 1}'])
@pytest.mark.parametrize("field", ["cantidad", "precioUnitario"])
def test_a_number_field_that_is_not_a_json_number_is_400(api, field, value):
    line = {"cantidad": "1", "precioUnitario": "1", field: value}
    before = written()

    response = post_raw(
        api, LIST_URL, raw_items(("1", "1"), (line["cantidad"], line["precioUnitario"]))
    )

    assert_validation_error(response, f"items.1.{field}")
    assert written() == before


@pytest.mark.parametrize("field", ["cantidad", "precioUnitario"])
def test_a_missing_number_field_is_400(api, field):
    line = {"descripcion": "A", "cantidad": 1, "precioUnitario": 1}
    del line[field]

    response = post(api, LIST_URL, {"items": [line]})

    assert_validation_error(response, f"items.0.{field}")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("field", ["cantidad", "precioUnitario"])
def test_nan_and_infinity_are_400(api, field, literal):
    line = {"cantidad": "1", "precioUnitario": "1", field: literal}
    before = written()

    response = post_raw(api, LIST_URL, raw_items((line["cantidad"], line["precioUnitario"])))

    assert response.status_code == 400, response.content
    assert set(response.json()) == {"error", "detalles"}
    assert written() == before


# -- bounds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cantidad",
    ["0", "0.0", "-0", "-1", "-0.001", "0.0001", "1.0005", "1000000000", "1e9", "1E+400"],
)
def test_cantidad_outside_its_bounds_is_400_naming_the_item(api, cantidad):
    before = written()

    response = post_raw(api, LIST_URL, raw_items(("1", "1"), ("1", "1"), (cantidad, "1")))

    assert_validation_error(response, "items.2.cantidad")
    assert written() == before


@pytest.mark.parametrize("cantidad", ["0.001", "999999999.999"])
def test_cantidad_at_its_bounds_is_accepted(api, tenant, cantidad):
    body = create_exact(api, (cantidad, "1"))

    assert body["items"][0]["cantidad"] == D(cantidad)
    assert stored_items(tenant, body["id"])[0][1] == D(cantidad)


@pytest.mark.parametrize(
    "precio", ["-0.01", "-1", "0.001", "10.005", "1000000000000", "1e12", "1E+400", "1e-400"]
)
def test_precio_unitario_outside_its_bounds_is_400_naming_the_item(api, precio):
    before = written()

    response = post_raw(api, LIST_URL, raw_items(("1", "1"), ("1", precio)))

    assert_validation_error(response, "items.1.precioUnitario")
    assert written() == before


def test_precio_unitario_just_below_its_bound_is_accepted(api, tenant):
    body = create_exact(api, ("1", "999999999999.99"))

    assert body["items"][0]["precioUnitario"] == D("999999999999.99")
    assert body["total"] == D("999999999999.99")
    assert stored_items(tenant, body["id"])[0][2] == D("999999999999.99")


# -- the total must fit its column -----------------------------------------------------------


def test_the_largest_total_that_fits_is_kept_exactly(api, tenant):
    body = create_exact(api, ("10", "999999999999.99"), ("1", "0.09"))

    assert body["total"] == D("9999999999999.99")
    assert stored_venta(tenant, body["id"]).total == D("9999999999999.99")


@pytest.mark.parametrize(
    "lines",
    [
        [("10", "999999999999.99"), ("1", "0.10")],  # exactly 10^13
        [("999999999.999", "999999999999.99")],  # one huge line
        [("999999999.999", "999999999999.99")] * 200,  # 200 of them
    ],
    ids=["10^13", "one-line", "200-lines"],
)
def test_a_total_that_does_not_fit_is_400_and_writes_nothing(api, lines):
    before = written()

    response = post_raw(api, LIST_URL, raw_items(*lines))

    assert_validation_error(response, "items")
    assert written() == before
