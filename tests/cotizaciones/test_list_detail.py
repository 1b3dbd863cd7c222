"""GET /api/cotizaciones: the filters only quotations have (``estado``, ``vencida``) and
``vencida`` in the rows and the detail. Order, paging, roles, 404s, 405s, the rows' shape,
``cliente``, ``vendedor`` and the cost are in the document battery (``tests/comercial``)."""

import pytest
import time_machine

from tests.comercial.helpers import assert_validation_error, frozen_now, ids
from tests.cotizaciones.helpers import (
    LIST_URL,
    detail_url,
    make,
    make_cancelada,
    make_convertida,
    newest_first,
    quotations_around,
)
from tests.factories import make_cliente

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("estado", ["PENDIENTE", "CONVERTIDA", "CANCELADA"])
def test_estado_keeps_only_that_state(api, user, tenant, estado):
    makers = {"PENDIENTE": make, "CONVERTIDA": make_convertida, "CANCELADA": make_cancelada}
    made = {name: maker(tenant, user) for name, maker in makers.items()}

    assert ids(api.get(LIST_URL, {"estado": estado})) == [made[estado].pk]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", ["antes", "justo"]), ("false", ["despues", "convertida", "cancelada"])],
)
def test_vencida_filter_compares_valida_hasta_with_now(api, user, tenant, value, expected):
    now, made = quotations_around(tenant, user, frozen_now())

    with time_machine.travel(now, tick=False):
        response = api.get(LIST_URL, {"vencida": value})

    assert ids(response) == newest_first(*(made[name] for name in expected))


def test_vencida_is_true_only_for_pending_quotations_not_valid_after_now(api, user, tenant):
    now, made = quotations_around(tenant, user, frozen_now())
    expected = {c.pk: name in {"antes", "justo"} for name, c in made.items()}

    with time_machine.travel(now, tick=False):
        rows = {row["id"]: row["vencida"] for row in api.get(LIST_URL).json()}
        details = {pk: api.get(detail_url(pk)).json()["vencida"] for pk in expected}

    assert rows == expected
    assert details == expected


def test_filters_combine(admin_api, admin_user, user, tenant):
    cliente = make_cliente(tenant)
    match = make(tenant, user, cliente=cliente)
    make(tenant, admin_user, cliente=cliente)
    make_cancelada(tenant, user, cliente=cliente)
    make(tenant, user)

    params = {"estado": "PENDIENTE", "vencida": "false", "cliente": cliente.pk, "vendedor": user.pk}
    assert ids(admin_api.get(LIST_URL, params)) == [match.pk]


@pytest.mark.parametrize(
    ("param", "value"),
    [("estado", "OTRO"), ("estado", "pendiente"), ("vencida", "quizá"), ("vencida", "1")],
)
def test_an_invalid_estado_or_vencida_is_400_naming_it(admin_api, param, value):
    assert_validation_error(admin_api.get(LIST_URL, {param: value}), param)
