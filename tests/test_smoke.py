import pytest

from tests.factories import make_cliente, make_venta

pytestmark = pytest.mark.django_db


def test_list_create_retrieve_historial(api, tenant, other_tenant):
    make_cliente(other_tenant, nombre="Ajeno", documento="1")
    r = api.post(
        "/api/clientes",
        {
            "nombre": " José Álvarez ",
            "documento": "1.020.345-678",
            "telefono": "300 123-4567",
            "email": "",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    print(body)
    r2 = api.post("/api/clientes", {"nombre": "Otro", "documento": "1020345678"}, format="json")
    assert r2.status_code == 409, r2.content
    print(r2.json())
    r = api.get("/api/clientes?busqueda=ALVAREZ")
    print(r.status_code, r.json(), r.headers.get("Link"))
    r = api.get("/api/clientes?busqueda=3001234567&limite=abc")
    print(r.status_code, r.json())
    r = api.get("/api/clientes?busqueda=3001234567")
    print(r.status_code, r.json())
    c = make_cliente(tenant, nombre="Con ventas")
    for _ in range(3):
        make_venta(tenant, c)
    r = api.get(f"/api/clientes/{c.pk}/historial")
    print(r.status_code, r.content)
    r = api.get("/api/clientes/abc")
    print(r.status_code, r.content)
    r = api.get("/api/nada")
    print(r.status_code, r.content)
    r = api.delete(f"/api/clientes/{c.pk}")
    print(r.status_code, r.content)
    r = api.post("/api/clientes", "{bad", content_type="application/json")
    print(r.status_code, r.content)
    r = api.put(f"/api/clientes/{c.pk}", {"nombre": 5}, format="json")
    print(r.status_code, r.content)
    r = api.get("/api/schema/")
    print(r.status_code, r.content[:200])
