"""POST /api/clientes/importar: a shop's spreadsheet comes in over HTTP (ADMIN only), under the
rules of ``import_clientes``: an existing ``documento`` updates, ``simular=true`` only counts,
and every rejected line is reported with its number (the header is line 1) and field while
nothing is written (all or nothing)."""

import pytest

from clientes.models import Cliente, ClienteEvento
from tests.factories import make_cliente, make_full_cliente
from tests.lifecycle.import_helpers import assert_untouched, fields, ok, rows, upload

pytestmark = pytest.mark.django_db


# --- accepted files --------------------------------------------------------------------------


def test_new_rows_are_created_and_a_canonical_documento_updates(admin_api, tenant, ajeno):
    existing = make_cliente(tenant, nombre="José", documento="1020345678", email="old@b.co")
    same = make_cliente(tenant, nombre="Eva", documento="77")
    ajeno_before = rows(ajeno.tenant)

    response = upload(
        admin_api,
        "nombre,documento,email\n"
        "José Álvarez,1.020.345-678,jose@b.co\n"  # updates ``existing``
        "Ana,900,\n"
        "Luis,,luis@b.co\n"
        "Eva,77,\n",  # as stored: unchanged
    )

    assert response.status_code == 200, response.content
    assert response.json() == ok(creados=2, actualizados=1, sin_cambios=1)
    stored = rows(tenant)
    assert [r["id"] for r in stored[:2]] == [existing.pk, same.pk]
    assert fields(tenant) == [
        ("José Álvarez", "1.020.345-678", "jose@b.co", None, None, None),
        ("Eva", "77", None, None, None, None),
        ("Ana", "900", None, None, None, None),
        ("Luis", None, "luis@b.co", None, None, None),
    ]
    assert rows(ajeno.tenant) == ajeno_before


def test_created_customers_have_a_creado_event_by_the_admin(admin_api, admin_user, tenant, ajeno):
    ajeno_events = list(ClienteEvento.objects.for_tenant(ajeno.tenant).values())

    response = upload(admin_api, "nombre,documento\nAna,1020345678\nLuis,\n")

    assert response.json()["creados"] == 2
    usuario = {"id": admin_user.pk, "nombre": admin_user.nombre}
    for cliente in Cliente.objects.for_tenant(tenant):
        eventos = admin_api.get(f"/api/clientes/{cliente.pk}/eventos").json()
        assert [(e["tipo"], e["usuario"]) for e in eventos] == [("CREADO", usuario)]
    assert list(ClienteEvento.objects.for_tenant(ajeno.tenant).values()) == ajeno_events
    assert admin_api.get(f"/api/clientes/{ajeno.pk}/eventos").status_code == 404


def test_an_updated_customer_has_an_actualizado_event_with_the_changes(
    admin_api, admin_user, tenant, ajeno
):
    existing = make_cliente(tenant, nombre="José", documento="1020345678", email="old@b.co")

    upload(admin_api, "nombre,documento,email\nJosé,1020345678,new@b.co\n")

    ultimo = admin_api.get(f"/api/clientes/{existing.pk}/eventos").json()[-1]
    assert ultimo["tipo"] == "ACTUALIZADO"
    assert ultimo["usuario"] == {"id": admin_user.pk, "nombre": admin_user.nombre}
    assert ultimo["cambios"] == {"email": ["old@b.co", "new@b.co"]}
    assert Cliente.objects.for_tenant(ajeno.tenant).get().email == "a@b.co"


def test_simular_answers_the_same_counts_and_writes_nothing(admin_api, tenant, ajeno):
    make_cliente(tenant, nombre="José", documento="1020345678")
    before, events_before = rows(tenant), ClienteEvento.objects.for_tenant(tenant).count()
    ajeno_before = rows(ajeno.tenant)

    response = upload(
        admin_api, "nombre,documento\nJosé Álvarez,1020345678\nAna,900\nLuis,\n", simular="true"
    )

    assert response.status_code == 200, response.content
    assert response.json() == ok(creados=2, actualizados=1, simulado=True)
    assert_untouched(tenant, before)
    assert ClienteEvento.objects.for_tenant(tenant).count() == events_before
    assert rows(ajeno.tenant) == ajeno_before


def test_a_formula_cell_protected_by_the_export_is_imported_without_its_apostrophe(
    admin_api, tenant, other_tenant
):
    upload(admin_api, "nombre,telefono,notas\n'=SUM(A1),'+57 300,'hola\n")

    [row] = rows(tenant)
    assert (row["nombre"], row["telefono"], row["notas"]) == ("=SUM(A1)", "+57 300", "'hola")
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_an_id_of_another_tenants_customer_never_matches_it(admin_api, tenant, ajeno):
    ajeno_before = rows(ajeno.tenant)

    response = upload(admin_api, f"id,nombre\n{ajeno.pk},Intruso\n")

    assert response.json() == ok(creados=1)
    [row] = rows(tenant)
    assert row["nombre"] == "Intruso"
    assert row["id"] != ajeno.pk
    assert rows(ajeno.tenant) == ajeno_before


def test_export_then_import_changes_nothing(admin_api, tenant, ajeno):
    make_full_cliente(
        tenant, documento="1.020.345-678", notas='Prefiere "factura"\r\nen efectivo, a veces'
    )
    make_cliente(tenant, nombre="Ana", notas="uno\rdos\u2028tres")  # line breaks in a cell
    make_cliente(tenant, nombre="Ana", notas="uno\rdos\u2028tres")  # no documento: by id
    make_cliente(tenant, nombre="=1+1", telefono="+57 300", documento="ab-12")
    archivado = make_cliente(tenant, nombre="Viejo", documento="55")
    admin_api.patch(f"/api/clientes/{archivado.pk}", {"archivado": True}, format="json")
    anonimo = make_cliente(tenant, nombre="Borrar", documento="66")
    admin_api.post(f"/api/clientes/{anonimo.pk}/anonimizar")
    before = rows(tenant)
    events_before = ClienteEvento.objects.for_tenant(tenant).count()
    ajeno_before = rows(ajeno.tenant)
    exported = admin_api.get("/api/clientes/exportar", {"formato": "csv", "archivado": "todos"})

    response = upload(admin_api, b"".join(exported.streaming_content))

    assert response.status_code == 200, response.content
    assert response.json() == ok(sin_cambios=6)
    assert_untouched(tenant, before)
    assert ClienteEvento.objects.for_tenant(tenant).count() == events_before
    assert rows(ajeno.tenant) == ajeno_before


def test_a_spreadsheets_bom_crlf_and_padded_header_are_read(admin_api, tenant, other_tenant):
    content = b"\xef\xbb\xbf nombre , email\r\nAna,ana@b.co\r\nLuis,\r\n"

    response = upload(admin_api, content)

    assert response.json() == ok(creados=2)
    assert [(f[0], f[2]) for f in fields(tenant)] == [("Ana", "ana@b.co"), ("Luis", None)]
    assert not Cliente.objects.for_tenant(other_tenant).exists()
