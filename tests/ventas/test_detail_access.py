"""GET /api/ventas/{id}: what is a 404; and no PUT, PATCH or DELETE anywhere (405)."""

import pytest

from tests.factories import make_cliente, make_venta
from tests.ventas.helpers import (
    LIST_URL,
    NO_ENCONTRADA,
    admin_client,
    detail_url,
    stored_state,
)
from ventas.models import Venta

pytestmark = pytest.mark.django_db


# -- 404 -------------------------------------------------------------------------------------


def test_another_tenants_sale_is_404_even_for_an_admin(other_tenant, tenant):
    admin, _ = admin_client(tenant)
    ajena = make_venta(other_tenant, make_cliente(other_tenant, nombre="Secreto"))

    response = admin.get(detail_url(ajena.pk))

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADA


@pytest.mark.parametrize(
    "pk", ["abc", "0", "-1", "1.5", "1e3", "99999999999999999999", str(2**63), "%C2%B2"]
)
def test_a_non_numeric_or_out_of_range_id_is_404(tenant, pk):
    admin, _ = admin_client(tenant)
    make_venta(tenant)

    response = admin.get(detail_url(pk))

    assert response.status_code == 404
    assert response.json() == NO_ENCONTRADA


# -- 405 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_sale_changes_only_through_its_transitions(api, user, tenant, method):
    venta = make_venta(tenant, vendedor=user)
    before = stored_state(tenant, venta.pk)

    response = getattr(api, method)(detail_url(venta.pk), {"total": 1}, format="json")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": f"Método {method.upper()} no permitido"}
    assert stored_state(tenant, venta.pk) == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_collection_answers_405_to_put_patch_and_delete(api, user, tenant, method):
    make_venta(tenant, vendedor=user)

    response = getattr(api, method)(LIST_URL, {}, format="json")

    assert response.status_code == 405
    assert response.json() == {"error": f"Método {method.upper()} no permitido"}
    assert Venta.objects.for_tenant(tenant).count() == 1
