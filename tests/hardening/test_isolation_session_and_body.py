"""Tenant isolation where the enumeration of ``test_isolation.py`` (A's ids in the paths, B's
token) does not reach: B's member using a browser session, and B's body naming A's customer."""

import pytest
from rest_framework.test import APIClient

from clientes.models import Cliente
from cotizaciones.models import Cotizacion
from tests.factories import PASSWORD
from tests.hardening.conftest import tenant_snapshot
from tests.hardening.endpoints import body_json, send
from tests.hardening.isolation_world import assert_nothing_of_a, build_world, client_b
from ventas.models import Venta


@pytest.mark.django_db
def test_session_member_of_b_is_confined_too():
    """The browser channel (session + CSRF) reaches the same tenant-scoped code."""
    world = build_world()
    client = APIClient(enforce_csrf_checks=True, raise_request_exception=False)
    login = client.post(
        "/api/auth/login",
        {"email": world.user_b.email, "password": PASSWORD},
        format="json",
    )
    assert login.status_code == 200
    csrf = client.get("/api/auth/csrf").json()["csrfToken"]
    cliente_a = world.objects_a[Cliente]
    venta_a, cotizacion_a = world.objects_a[Venta], world.objects_a[Cotizacion]
    before = tenant_snapshot(world.a)
    for method, path in (
        ("get", f"/api/clientes/{cliente_a.pk}"),
        ("get", f"/api/clientes/{cliente_a.pk}/historial"),
        ("put", f"/api/clientes/{cliente_a.pk}"),
        ("patch", f"/api/clientes/{cliente_a.pk}"),
        ("get", f"/api/ventas/{venta_a.pk}"),
        ("post", f"/api/ventas/{venta_a.pk}/cancelar"),
        ("get", f"/api/cotizaciones/{cotizacion_a.pk}"),
        ("post", f"/api/cotizaciones/{cotizacion_a.pk}/cancelar"),
        ("post", f"/api/cotizaciones/{cotizacion_a.pk}/convertir"),
    ):
        response = getattr(client, method)(
            path, {"nombre": "Robado", "motivo": "Robado"}, format="json", HTTP_X_CSRFTOKEN=csrf
        )
        assert response.status_code == 404, (method, path, response.status_code)
    for path, model in (
        ("/api/clientes", Cliente),
        ("/api/ventas", Venta),
        ("/api/cotizaciones", Cotizacion),
    ):
        listed = client.get(path).json()
        assert {row["id"] for row in listed} == {world.objects_b[model].pk}, path
    assert tenant_snapshot(world.a) == before


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/ventas", "/api/cotizaciones"])
def test_b_cannot_sell_or_quote_to_a_customer_of_a(path):
    world = build_world()
    before = tenant_snapshot(world.a)
    model = Venta if path == "/api/ventas" else Cotizacion
    count_b = model.objects.for_tenant(world.b).count()
    body = {
        "clienteId": world.objects_a[Cliente].pk,
        "items": [{"descripcion": "Robo", "cantidad": 1, "precioUnitario": 10}],
    }

    response = send(client_b(world), "POST", path, body, key="iso-0")

    assert response.status_code == 400, response.content
    assert set(body_json(response)["detalles"]) == {"clienteId"}
    assert_nothing_of_a(world, response, path)
    assert model.objects.for_tenant(world.b).count() == count_b
    assert tenant_snapshot(world.a) == before
