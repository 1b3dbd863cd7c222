"""GET /api/clientes/{id}: the customer of the caller's tenant, or a 404 that reveals nothing."""

import pytest

from tests.clientes.helpers import CLIENTE_FIELDS, LIST_URL, assert_iso_utc, detail_url
from tests.factories import make_cliente, make_full_cliente

pytestmark = pytest.mark.django_db

NO_ENCONTRADO = {"error": "Cliente no encontrado"}


def test_retrieve_answers_200_with_the_cliente(api, tenant, other_tenant):
    cliente = make_full_cliente(tenant, direccion=None, notas=None)
    make_cliente(other_tenant, nombre="Ajeno", documento="1.020.345.678")

    response = api.get(detail_url(cliente.pk))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == CLIENTE_FIELDS
    assert_iso_utc(body.pop("creadoEn"))
    assert_iso_utc(body.pop("actualizadoEn"))
    assert body == {
        "id": cliente.pk,
        "nombre": "José Álvarez",
        "documento": "1.020.345.678",
        "email": "jose@example.com",
        "telefono": "300 123 4567",
        "direccion": None,
        "notas": None,
        "archivado": False,
        "anonimizadoEn": None,
    }


def test_retrieve_answers_what_create_answered(api, other_api):
    created = api.post(LIST_URL, {"nombre": "Ana", "notas": "VIP"}, format="json").json()
    ajeno = other_api.post(LIST_URL, {"nombre": "Ajeno"}, format="json").json()

    assert api.get(detail_url(created["id"])).json() == created
    assert api.get(detail_url(ajeno["id"])).status_code == 404


def test_retrieve_of_another_tenants_customer_is_404(api, other_tenant):
    ajeno = make_cliente(other_tenant, nombre="Ajeno")

    response = api.get(detail_url(ajeno.pk))

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO


def test_retrieve_of_another_tenants_customer_looks_like_a_missing_one(api, tenant, other_tenant):
    ajeno = make_cliente(other_tenant, nombre="Ajeno")
    propio = make_cliente(tenant, nombre="Propio")
    missing = max(ajeno.pk, propio.pk) + 1000

    foreign = api.get(detail_url(ajeno.pk))
    absent = api.get(detail_url(missing))

    assert (foreign.status_code, foreign.json()) == (absent.status_code, absent.json())


@pytest.mark.parametrize(
    "raw_id",
    ["abc", "0", "-1", "1.5", "1e3", "99999999999999999999", "9223372036854775808"],
    ids=["non-numeric", "zero", "negative", "decimal", "exponent", "huge", "bigint-plus-1"],
)
def test_retrieve_with_an_invalid_or_out_of_range_id_is_404(api, tenant, raw_id):
    make_cliente(tenant, nombre="Propio")

    response = api.get(f"{LIST_URL}/{raw_id}")

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO


def test_retrieve_of_an_id_that_never_existed_is_404(api, tenant):
    cliente = make_cliente(tenant, nombre="Propio")

    response = api.get(detail_url(cliente.pk + 1000))

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADO
