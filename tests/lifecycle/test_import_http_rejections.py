"""POST /api/clientes/importar: every rejected line is reported with its number (the header is
line 1), its field and why, and nothing of the file is written, not even the rows before it."""

import pytest

from clientes.models import Cliente, ClienteEvento
from tests.factories import make_cliente
from tests.lifecycle.import_helpers import (
    ANONIMIZADO,
    FILA_RECHAZADA,
    assert_untouched,
    refused,
    rows,
    upload,
)

pytestmark = pytest.mark.django_db


# --- rejected rows ---------------------------------------------------------------------------


def test_a_rejected_row_is_400_and_nothing_is_written_not_even_earlier_rows(
    admin_api, tenant, ajeno
):
    make_cliente(tenant, nombre="José", documento="1020345678")
    before, events_before = rows(tenant), ClienteEvento.objects.for_tenant(tenant).count()
    ajeno_before = rows(ajeno.tenant)

    response = upload(
        admin_api,
        "nombre,documento,email\n"
        "Ana,900,ana@b.co\n"  # 2: valid, new
        "José Álvarez,1020345678,\n"  # 3: valid, an update
        "Luis,901,no-es-un-email\n",  # 4
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": FILA_RECHAZADA,
        "creados": 0,
        "actualizados": 0,
        "errores": [refused(4, "email", "Introduzca una dirección de correo electrónico válida.")],
    }
    assert_untouched(tenant, before)
    assert ClienteEvento.objects.for_tenant(tenant).count() == events_before
    assert rows(ajeno.tenant) == ajeno_before


def test_every_rejected_row_is_listed_by_its_first_line(admin_api, tenant, other_tenant):
    response = upload(
        admin_api,
        "nombre,documento,notas\n"
        ",1,\n"  # 2: no nombre
        'Eva,2,"dos\nlíneas"\n'  # 3-4
        "Raúl,---,\n"  # 5: a documento without letters or digits
        "Luis,3\n",  # 6: a cell short
    )

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "3 filas rechazadas; no se guardó nada"
    assert body["errores"] == [
        refused(2, "nombre", "Este campo no puede estar en blanco."),
        refused(5, "documento", "Debe contener letras o números."),
        refused(6, None, "Tiene 2 columnas y la cabecera tiene 3"),
    ]
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_the_same_documento_twice_in_the_file_is_a_rejected_row(admin_api, tenant, ajeno):
    """Compared in canonical form, as the uniqueness rule compares them."""
    make_cliente(tenant, nombre="José", documento="1020345678")
    before, ajeno_before = rows(tenant), rows(ajeno.tenant)

    response = upload(
        admin_api,
        "nombre,documento\n"
        "Ana,1-2\n"  # 2
        "José Álvarez,1.020.345.678\n"  # 3: an update
        "Ana B,12\n"  # 4: line 2's documento
        "José A,1020345678\n",  # 5: line 3's
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "2 filas rechazadas; no se guardó nada",
        "creados": 0,
        "actualizados": 0,
        "errores": [
            refused(4, "documento", "Documento repetido en el archivo (línea 2)"),
            refused(5, "documento", "Documento repetido en el archivo (línea 3)"),
        ],
    }
    assert_untouched(tenant, before)
    assert rows(ajeno.tenant) == ajeno_before


def test_a_documento_repeated_in_a_later_batch_is_a_rejected_row(admin_api, tenant, other_tenant):
    """Rows are applied in batches of 1,000; the file's earlier rows are remembered."""
    content = "nombre,documento\nAna,A-1\n" + "".join(f"Cliente {n},\n" for n in range(1000))
    content += "Ana B,a1\n"  # line 1003

    response = upload(admin_api, content)

    assert response.status_code == 400
    assert response.json()["errores"] == [
        refused(1003, "documento", "Documento repetido en el archivo (línea 2)")
    ]
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_an_anonymized_customer_named_by_id_with_changes_is_a_rejected_row(
    admin_api, tenant, ajeno
):
    cliente = make_cliente(tenant, nombre="Ana", documento="1")
    assert admin_api.post(f"/api/clientes/{cliente.pk}/anonimizar").status_code == 200
    before, ajeno_before = rows(tenant), rows(ajeno.tenant)

    response = upload(admin_api, f"id,nombre,email\n{cliente.pk},Ana,ana@b.co\n")

    assert response.status_code == 400
    assert response.json() == {
        "error": FILA_RECHAZADA,
        "creados": 0,
        "actualizados": 0,
        "errores": [refused(2, "id", ANONIMIZADO)],
    }
    assert_untouched(tenant, before)
    assert rows(ajeno.tenant) == ajeno_before


def test_the_id_of_a_merged_customer_is_a_rejected_row_naming_the_survivor(
    admin_api, tenant, ajeno
):
    survivor, duplicate = make_cliente(tenant, nombre="Uno"), make_cliente(tenant, nombre="Dos")
    merged = admin_api.post(
        f"/api/clientes/{survivor.pk}/fusionar", {"duplicadoId": duplicate.pk}, format="json"
    )
    assert merged.status_code == 200, merged.content
    before, ajeno_before = rows(tenant), rows(ajeno.tenant)

    response = upload(admin_api, f"id,nombre\n{duplicate.pk},Dos bis\n")

    assert response.status_code == 400
    assert response.json()["errores"] == [
        refused(2, "id", f"El cliente fue fusionado con el cliente {survivor.pk}")
    ]
    assert_untouched(tenant, before)
    assert rows(ajeno.tenant) == ajeno_before
