"""A customer's ``actualizadoEn``, ``archivado`` and ``anonimizadoEn`` in every answer, and the
list's ``archivado`` and ``actualizadoDesde`` filters that let another system sync."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from clientes.models import Cliente
from tests.factories import make_cliente, make_venta

pytestmark = pytest.mark.django_db

CLIENTES = "/api/clientes"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def test_a_new_customer_is_active_never_anonymized_and_updated_when_created(api):
    body = api.post(CLIENTES, {"nombre": "Ana"}, format="json").json()

    assert body["archivado"] is False
    assert body["anonimizadoEn"] is None
    assert body["actualizadoEn"] == body["creadoEn"]


def test_a_change_of_its_own_fields_moves_actualizado_en(api, tenant):
    cliente = make_cliente(tenant)
    later = timezone.now() + timedelta(hours=1)

    with time_machine.travel(later, tick=False):
        body = api.patch(f"{CLIENTES}/{cliente.pk}", {"notas": "VIP"}, format="json").json()

    assert body["actualizadoEn"] == later.isoformat().replace("+00:00", "Z")


def test_a_request_that_changes_nothing_leaves_actualizado_en(api, tenant):
    cliente = make_cliente(tenant, nombre="Ana")
    before = api.get(f"{CLIENTES}/{cliente.pk}").json()["actualizadoEn"]

    body = api.patch(f"{CLIENTES}/{cliente.pk}", {"nombre": "Ana"}, format="json").json()

    assert body["actualizadoEn"] == before


def test_a_sale_does_not_touch_the_customers_actualizado_en(api, tenant):
    cliente = make_cliente(tenant)
    before = api.get(f"{CLIENTES}/{cliente.pk}").json()["actualizadoEn"]

    make_venta(tenant, cliente)

    assert api.get(f"{CLIENTES}/{cliente.pk}").json()["actualizadoEn"] == before


def test_the_read_only_fields_are_ignored_when_sent(api, tenant):
    cliente = make_cliente(tenant)
    sent = {"anonimizadoEn": "2020-01-01T00:00:00Z", "actualizadoEn": "2020-01-01T00:00:00Z"}

    body = api.patch(f"{CLIENTES}/{cliente.pk}", sent, format="json").json()

    assert body["anonimizadoEn"] is None
    assert body["actualizadoEn"] != "2020-01-01T00:00:00Z"


@pytest.mark.parametrize("value", ["true", 1, None, "sí"])
def test_archivado_must_be_a_json_boolean(api, tenant, value):
    cliente = make_cliente(tenant)

    response = api.patch(f"{CLIENTES}/{cliente.pk}", {"archivado": value}, format="json")

    assert response.status_code == 400
    assert list(response.json()["detalles"]) == ["archivado"]
    assert Cliente.objects.for_tenant(tenant).get(pk=cliente.pk).archivado is False


# -- the list: archivado ----------------------------------------------------------------------
@pytest.fixture
def three(tenant, other_tenant):
    activo = make_cliente(tenant, nombre="Activo Pérez")
    archivado = make_cliente(tenant, nombre="Archivado Pérez")
    Cliente.objects.for_tenant(tenant).filter(pk=archivado.pk).update(archivado=True)
    make_cliente(other_tenant, nombre="Ajeno Pérez")
    return activo.pk, archivado.pk


def test_the_list_leaves_archived_customers_out(api, three):
    activo, _ = three
    assert ids(api.get(CLIENTES)) == [activo]


@pytest.mark.parametrize(
    ("value", "expected"), [("true", "archived"), ("todos", "both"), ("false", "active")]
)
def test_archivado_chooses_which_customers_are_listed(api, three, value, expected):
    activo, archivado = three
    wanted = {"archived": [archivado], "both": [archivado, activo], "active": [activo]}

    assert ids(api.get(CLIENTES, {"archivado": value})) == wanted[expected]


@pytest.mark.parametrize("value", ["si", "TRUE", "1", "todas", ""])
def test_another_archivado_value_is_400(api, three, value):
    response = api.get(CLIENTES, {"archivado": value})

    assert response.status_code == 400
    assert list(response.json()["detalles"]) == ["archivado"]


def test_searching_finds_archived_customers_when_they_are_included(api, three):
    activo, archivado = three

    assert ids(api.get(CLIENTES, {"busqueda": "perez", "archivado": "todos"})) == [
        archivado,
        activo,
    ]
    assert ids(api.get(CLIENTES, {"busqueda": "perez"})) == [activo]


# -- the list: actualizadoDesde ---------------------------------------------------------------
def test_actualizado_desde_keeps_customers_changed_since_then(api, tenant, other_tenant):
    start = timezone.now().replace(microsecond=0) + timedelta(minutes=5)
    viejo, cambiado = make_cliente(tenant), make_cliente(tenant)
    make_cliente(other_tenant)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        api.patch(f"{CLIENTES}/{cambiado.pk}", {"notas": "nuevo"}, format="json")
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        nuevo = api.post(CLIENTES, {"nombre": "Nuevo"}, format="json").json()["id"]

    listed = ids(api.get(CLIENTES, {"actualizadoDesde": start.isoformat()}))

    assert listed == [nuevo, cambiado.pk]  # id descending, as always
    assert viejo.pk not in listed


def test_actualizado_desde_includes_the_instant_itself(api, tenant):
    cliente = make_cliente(tenant)
    at = api.get(f"{CLIENTES}/{cliente.pk}").json()["actualizadoEn"]

    assert ids(api.get(CLIENTES, {"actualizadoDesde": at})) == [cliente.pk]


@pytest.mark.parametrize(
    "value",
    ["ayer", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z", ""],
)
def test_an_unparsable_or_zoneless_actualizado_desde_is_400(api, tenant, value):
    make_cliente(tenant)

    response = api.get(CLIENTES, {"actualizadoDesde": value})

    assert response.status_code == 400
    assert list(response.json()["detalles"]) == ["actualizadoDesde"]


@pytest.mark.parametrize(
    "value",
    ["0269-08-31T23:55:50-21:06", "0001-01-01T00:00:00+01:00", "2020-01-01t00:00:00.5z"],
)
def test_any_rfc_3339_time_is_a_valid_cursor_whatever_its_offset(api, tenant, value):
    cliente = make_cliente(tenant)

    assert ids(api.get(CLIENTES, {"actualizadoDesde": value})) == [cliente.pk]


def test_a_cursor_past_the_calendars_end_keeps_nothing(api, tenant):
    make_cliente(tenant)

    assert ids(api.get(CLIENTES, {"actualizadoDesde": "9999-12-31T23:59:59-23:00"})) == []
