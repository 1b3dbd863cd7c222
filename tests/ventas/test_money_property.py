"""Property: for any allowed lines, the answered and stored money is the exact half-up sum.

The expectation is computed here with ``decimal`` from the numbers as written in the body;
the answer is read with ``parse_float=Decimal``, so neither side ever passes through a float.
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.comercial.helpers import (
    assert_validation_error,
    post_raw,
    written,
)
from tests.ventas.helpers import (
    LIST_URL,
    exact_json,
    raw_items,
    stored_items,
    stored_venta,
)

pytestmark = pytest.mark.django_db

LIMIT = Decimal(10) ** 13  # DecimalField(max_digits=15, decimal_places=2)


def spelled(units: int, decimals: int, padding: int) -> str:
    """``units / 10**decimals`` as a JSON number literal, with ``padding`` trailing zeros."""
    value = Decimal(units).scaleb(-decimals)
    text = f"{value:f}"
    if padding:
        text += ("" if "." in text else ".") + "0" * padding
    return text


# Quantities with up to 3 decimals and prices with up to 2: mostly everyday sizes, sometimes
# near the bounds, sometimes the half-way fractions where rounding modes disagree.
cantidades = st.one_of(
    st.integers(1, 100_000),
    st.integers(1, 10**12 - 1),
    st.sampled_from([5, 125, 1005, 2675, 333, 1, 999]),
)
precios = st.one_of(
    st.integers(0, 1_000_000),
    st.integers(0, 10**14 - 1),
    st.sampled_from([1, 3, 5, 10, 99, 100, 25]),
)
items = st.lists(
    st.tuples(cantidades, precios, st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=8
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items=items)
def test_total_is_the_sum_of_half_up_subtotals_and_is_stored_as_answered(api, tenant, items):
    literals = [(spelled(c, 3, pc), spelled(p, 2, pp)) for c, p, pc, pp in items]
    cantidades = [Decimal(c) for c, _ in literals]
    precios = [Decimal(p) for _, p in literals]
    expected_subtotals = [
        (c * p).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for c, p in zip(cantidades, precios, strict=True)
    ]
    expected_total = sum(expected_subtotals, Decimal(0))
    before = written()

    response = post_raw(api, LIST_URL, raw_items(*literals))

    if expected_total >= LIMIT:
        assert_validation_error(response, "items")
        assert written() == before
        return
    assert response.status_code == 201, response.content
    body = exact_json(response)
    assert [item["cantidad"] for item in body["items"]] == cantidades
    assert [item["precioUnitario"] for item in body["items"]] == precios
    assert [item["subtotal"] for item in body["items"]] == expected_subtotals
    assert body["total"] == expected_total
    assert stored_venta(tenant, body["id"]).total == body["total"]
    assert [row[1:] for row in stored_items(tenant, body["id"])] == [
        (item["cantidad"], item["precioUnitario"], item["subtotal"]) for item in body["items"]
    ]
