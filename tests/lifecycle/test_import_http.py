"""POST /api/clientes/importar: a shop's spreadsheet comes in over HTTP (ADMIN only), under the
rules of ``import_clientes``: all or nothing, an existing ``documento`` updates, every rejected
line is reported with its number (the header is line 1) and field, up to 10 MB / 50,000 rows
(413 beyond), ``simular=true`` to only count, ``Idempotency-Key`` accepted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clientes.models import Cliente, ClienteEvento
from tenants.models import User
from tests.conftest import token_client
from tests.factories import make_cliente, make_user

pytestmark = pytest.mark.django_db

URL = "/api/clientes/importar"
FIELDS = ("nombre", "documento", "email", "telefono", "direccion", "notas")
FILA_RECHAZADA = "1 fila rechazada; no se guardó nada"
ANONIMIZADO = "No se puede modificar un cliente anonimizado"


@pytest.fixture
def admin_user(tenant):
    return make_user(tenant, rol=User.Rol.ADMIN, nombre="Admin Tienda A")


@pytest.fixture
def admin(admin_user):
    return token_client(admin_user)


@pytest.fixture
def ajeno(other_tenant):
    """Another tenant's customer with the documento the files below use."""
    return make_cliente(other_tenant, nombre="Ajeno", documento="1020345678", email="a@b.co")


def upload(client, content: str | bytes, *, name="clientes.csv", simular=None, **headers):
    data = content.encode() if isinstance(content, str) else content
    body = {"archivo": SimpleUploadedFile(name, data, content_type="text/csv")}
    if simular is not None:
        body["simular"] = simular
    return client.post(URL, body, format="multipart", **headers)


def rows(tenant) -> list[dict]:
    """The tenant's customers, every column, by id."""
    return list(Cliente.objects.for_tenant(tenant).order_by("id").values())


def fields(tenant) -> list[tuple]:
    return [tuple(r[f] for f in FIELDS) for r in rows(tenant)]


def ok(creados=0, actualizados=0, sin_cambios=0, simulado=False) -> dict:
    return {
        "creados": creados,
        "actualizados": actualizados,
        "sinCambios": sin_cambios,
        "simulado": simulado,
        "errores": [],
    }


def refused(fila, campo, mensaje) -> dict:
    """A 400 or 413 body with one problem."""
    return {"fila": fila, "campo": campo, "mensaje": mensaje}


def assert_untouched(tenant, before: list[dict]) -> None:
    assert rows(tenant) == before


def csv_of_size(size: int) -> bytes:
    """A valid file of exactly ``size`` bytes: rows with 4,990-character notes, then blank
    lines (which the import skips) to make up the rest."""
    header, row = b"nombre,notas\n", b"Cliente," + b"x" * 4990 + b"\n"
    count, rest = divmod(size - len(header), len(row))
    return header + row * count + b"\n" * rest


# --- accepted files --------------------------------------------------------------------------


def test_new_rows_are_created_and_a_canonical_documento_updates(admin, tenant, ajeno):
    existing = make_cliente(tenant, nombre="José", documento="1020345678", email="old@b.co")
    same = make_cliente(tenant, nombre="Eva", documento="77")
    ajeno_before = rows(ajeno.tenant)

    response = upload(
        admin,
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


def test_created_customers_have_a_creado_event_by_the_admin(admin, admin_user, tenant, ajeno):
    ajeno_events = list(ClienteEvento.objects.for_tenant(ajeno.tenant).values())

    response = upload(admin, "nombre,documento\nAna,1020345678\nLuis,\n")

    assert response.json()["creados"] == 2
    usuario = {"id": admin_user.pk, "nombre": "Admin Tienda A"}
    for cliente in Cliente.objects.for_tenant(tenant):
        eventos = admin.get(f"/api/clientes/{cliente.pk}/eventos").json()
        assert [(e["tipo"], e["usuario"]) for e in eventos] == [("CREADO", usuario)]
    assert list(ClienteEvento.objects.for_tenant(ajeno.tenant).values()) == ajeno_events
    assert admin.get(f"/api/clientes/{ajeno.pk}/eventos").status_code == 404


def test_an_updated_customer_has_an_actualizado_event_with_the_changes(
    admin, admin_user, tenant, ajeno
):
    existing = make_cliente(tenant, nombre="José", documento="1020345678", email="old@b.co")

    upload(admin, "nombre,documento,email\nJosé,1020345678,new@b.co\n")

    ultimo = admin.get(f"/api/clientes/{existing.pk}/eventos").json()[-1]
    assert ultimo["tipo"] == "ACTUALIZADO"
    assert ultimo["usuario"] == {"id": admin_user.pk, "nombre": "Admin Tienda A"}
    assert ultimo["cambios"] == {"email": ["old@b.co", "new@b.co"]}
    assert Cliente.objects.for_tenant(ajeno.tenant).get().email == "a@b.co"


def test_simular_answers_the_same_counts_and_writes_nothing(admin, tenant, ajeno):
    make_cliente(tenant, nombre="José", documento="1020345678")
    before, events_before = rows(tenant), ClienteEvento.objects.for_tenant(tenant).count()
    ajeno_before = rows(ajeno.tenant)

    response = upload(
        admin, "nombre,documento\nJosé Álvarez,1020345678\nAna,900\nLuis,\n", simular="true"
    )

    assert response.status_code == 200, response.content
    assert response.json() == ok(creados=2, actualizados=1, simulado=True)
    assert_untouched(tenant, before)
    assert ClienteEvento.objects.for_tenant(tenant).count() == events_before
    assert rows(ajeno.tenant) == ajeno_before


def test_a_formula_cell_protected_by_the_export_is_imported_without_its_apostrophe(
    admin, tenant, other_tenant
):
    upload(admin, "nombre,telefono,notas\n'=SUM(A1),'+57 300,'hola\n")

    [row] = rows(tenant)
    assert (row["nombre"], row["telefono"], row["notas"]) == ("=SUM(A1)", "+57 300", "'hola")
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_an_id_of_another_tenants_customer_never_matches_it(admin, tenant, ajeno):
    ajeno_before = rows(ajeno.tenant)

    response = upload(admin, f"id,nombre\n{ajeno.pk},Intruso\n")

    assert response.json() == ok(creados=1)
    [row] = rows(tenant)
    assert row["nombre"] == "Intruso"
    assert row["id"] != ajeno.pk
    assert rows(ajeno.tenant) == ajeno_before


def test_export_then_import_changes_nothing(admin, tenant, ajeno):
    make_cliente(
        tenant,
        nombre="José Álvarez",
        documento="1.020.345-678",
        email="jose@b.co",
        notas='Prefiere "factura"\r\nen efectivo, a veces',
    )
    make_cliente(tenant, nombre="Ana", notas="uno\rdos\u2028tres")  # line breaks in a cell
    make_cliente(tenant, nombre="Ana", notas="uno\rdos\u2028tres")  # no documento: by id
    make_cliente(tenant, nombre="=1+1", telefono="+57 300", documento="ab-12")
    archivado = make_cliente(tenant, nombre="Viejo", documento="55")
    admin.patch(f"/api/clientes/{archivado.pk}", {"archivado": True}, format="json")
    anonimo = make_cliente(tenant, nombre="Borrar", documento="66")
    admin.post(f"/api/clientes/{anonimo.pk}/anonimizar")
    before = rows(tenant)
    events_before = ClienteEvento.objects.for_tenant(tenant).count()
    ajeno_before = rows(ajeno.tenant)
    exported = admin.get("/api/clientes/exportar", {"formato": "csv", "archivado": "todos"})

    response = upload(admin, b"".join(exported.streaming_content))

    assert response.status_code == 200, response.content
    assert response.json() == ok(sin_cambios=6)
    assert_untouched(tenant, before)
    assert ClienteEvento.objects.for_tenant(tenant).count() == events_before
    assert rows(ajeno.tenant) == ajeno_before


def test_a_spreadsheets_bom_crlf_and_padded_header_are_read(admin, tenant, other_tenant):
    content = b"\xef\xbb\xbf nombre , email\r\nAna,ana@b.co\r\nLuis,\r\n"

    response = upload(admin, content)

    assert response.json() == ok(creados=2)
    assert [(f[0], f[2]) for f in fields(tenant)] == [("Ana", "ana@b.co"), ("Luis", None)]
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_the_limits_are_10_mb_and_50000_rows(settings):
    assert settings.API_IMPORT_MAX_FILE_BYTES == 10 * 1024 * 1024
    assert settings.API_IMPORT_MAX_ROWS == 50_000


def test_a_file_of_exactly_10_mb_is_accepted(admin, tenant, other_tenant):
    """Past the API's 1 MiB body limit (the route has its own) and past the size Django
    spools to a temporary file."""
    response = upload(admin, csv_of_size(10 * 1024 * 1024), simular="true")

    assert response.status_code == 200, response.content[:300]
    assert response.json()["simulado"] is True
    assert response.json()["creados"] > 2000
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_a_file_of_10_mb_and_one_byte_is_413(admin, tenant):
    response = upload(admin, csv_of_size(10 * 1024 * 1024 + 1))

    assert response.status_code == 413
    mensaje = "El archivo supera el máximo de 10 MB"
    assert response.json() == {
        "error": mensaje,
        "creados": 0,
        "actualizados": 0,
        "errores": [refused(None, None, mensaje)],
    }
    assert not Cliente.objects.for_tenant(tenant).exists()


# --- rejected rows ---------------------------------------------------------------------------


def test_a_rejected_row_is_400_and_nothing_is_written_not_even_earlier_rows(admin, tenant, ajeno):
    make_cliente(tenant, nombre="José", documento="1020345678")
    before, events_before = rows(tenant), ClienteEvento.objects.for_tenant(tenant).count()
    ajeno_before = rows(ajeno.tenant)

    response = upload(
        admin,
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


def test_every_rejected_row_is_listed_by_its_first_line(admin, tenant, other_tenant):
    response = upload(
        admin,
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


def test_the_same_documento_twice_in_the_file_is_a_rejected_row(admin, tenant, ajeno):
    """Compared in canonical form, as the uniqueness rule compares them."""
    make_cliente(tenant, nombre="José", documento="1020345678")
    before, ajeno_before = rows(tenant), rows(ajeno.tenant)

    response = upload(
        admin,
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


def test_a_documento_repeated_in_a_later_batch_is_a_rejected_row(admin, tenant, other_tenant):
    """Rows are applied in batches of 1,000; the file's earlier rows are remembered."""
    content = "nombre,documento\nAna,A-1\n" + "".join(f"Cliente {n},\n" for n in range(1000))
    content += "Ana B,a1\n"  # line 1003

    response = upload(admin, content)

    assert response.status_code == 400
    assert response.json()["errores"] == [
        refused(1003, "documento", "Documento repetido en el archivo (línea 2)")
    ]
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_an_anonymized_customer_named_by_id_with_changes_is_a_rejected_row(admin, tenant, ajeno):
    cliente = make_cliente(tenant, nombre="Ana", documento="1")
    assert admin.post(f"/api/clientes/{cliente.pk}/anonimizar").status_code == 200
    before, ajeno_before = rows(tenant), rows(ajeno.tenant)

    response = upload(admin, f"id,nombre,email\n{cliente.pk},Ana,ana@b.co\n")

    assert response.status_code == 400
    assert response.json() == {
        "error": FILA_RECHAZADA,
        "creados": 0,
        "actualizados": 0,
        "errores": [refused(2, "id", ANONIMIZADO)],
    }
    assert_untouched(tenant, before)
    assert rows(ajeno.tenant) == ajeno_before


def test_the_id_of_a_merged_customer_is_a_rejected_row_naming_the_survivor(admin, tenant, ajeno):
    survivor, duplicate = make_cliente(tenant, nombre="Uno"), make_cliente(tenant, nombre="Dos")
    merged = admin.post(
        f"/api/clientes/{survivor.pk}/fusionar", {"duplicadoId": duplicate.pk}, format="json"
    )
    assert merged.status_code == 200, merged.content
    before, ajeno_before = rows(tenant), rows(ajeno.tenant)

    response = upload(admin, f"id,nombre\n{duplicate.pk},Dos bis\n")

    assert response.status_code == 400
    assert response.json()["errores"] == [
        refused(2, "id", f"El cliente fue fusionado con el cliente {survivor.pk}")
    ]
    assert_untouched(tenant, before)
    assert rows(ajeno.tenant) == ajeno_before


# --- refused files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fila", "mensaje"),
    [
        pytest.param(
            "documento,email\n1,a@b.co\n",
            1,
            "Falta la columna obligatoria «nombre» en la cabecera",
            id="no-nombre-column",
        ),
        pytest.param(
            "nombre,edad\nAna,30\n",
            1,
            "Columnas desconocidas en la cabecera: «edad» (se admiten: id, nombre, documento, "
            "email, telefono, direccion, notas, archivado, creadoEn, actualizadoEn, "
            "anonimizadoEn)",
            id="unknown-column",
        ),
        pytest.param(
            b"nombre\nAna\nJos\xe9\n",
            3,
            "El archivo no está codificado en UTF-8 (línea 3, byte 4)",
            id="not-utf8",
        ),
        pytest.param(
            'nombre\nAna\n"Luis\n',
            3,
            "CSV mal formado en la línea 3: unexpected end of data",
            id="unclosed-quote",
        ),
    ],
)
def test_a_problem_with_the_whole_file_is_400_with_its_line_and_no_field(
    admin, tenant, other_tenant, content, fila, mensaje
):
    make_cliente(other_tenant, nombre="Ajeno")

    response = upload(admin, content)

    assert response.status_code == 400
    assert response.json() == {
        "error": mensaje,
        "creados": 0,
        "actualizados": 0,
        "errores": [refused(fila, None, mensaje)],
    }
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert Cliente.objects.for_tenant(other_tenant).count() == 1


def test_an_empty_file_is_400_as_a_file_without_its_header(admin, tenant, other_tenant):
    make_cliente(other_tenant)

    response = upload(admin, b"")

    mensaje = "El archivo está vacío: falta la fila de cabecera"
    assert response.status_code == 400
    assert response.json() == {
        "error": mensaje,
        "creados": 0,
        "actualizados": 0,
        "errores": [refused(None, None, mensaje)],
    }
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert Cliente.objects.for_tenant(other_tenant).count() == 1


def test_a_request_without_archivo_is_400_on_archivo(admin, tenant):
    response = admin.post(URL, {"simular": "true"}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {
        "error": "Falta el archivo CSV (campo «archivo»)",
        "detalles": {"archivo": ["No se envió ningún archivo."]},
    }
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_a_json_body_is_415(admin, tenant):
    response = admin.post(URL, {"archivo": "nombre\nAna\n"}, format="json")

    assert response.status_code == 415
    assert set(response.json()) == {"error"}
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_more_rows_than_allowed_is_413_and_nothing_is_written(admin, tenant, settings):
    settings.API_IMPORT_MAX_ROWS = 3

    response = upload(admin, "nombre\nAna\nLuis\n\nEva\nRaúl\n")

    assert response.status_code == 413
    assert response.json() == {
        "error": "El archivo tiene más de 3 filas",
        "creados": 0,
        "actualizados": 0,
        "errores": [refused(6, None, "El archivo tiene más de 3 filas")],
    }
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_exactly_the_allowed_rows_are_imported(admin, tenant, settings):
    settings.API_IMPORT_MAX_ROWS = 3

    response = upload(admin, "nombre\nAna\nLuis\nEva\n")

    assert response.json() == ok(creados=3)


def test_a_file_over_the_byte_limit_is_413_and_nothing_is_written(admin, tenant, settings):
    content = "nombre\n" + "Ana\n" * 50  # 207 bytes
    settings.API_IMPORT_MAX_FILE_BYTES = len(content) - 1

    response = upload(admin, content)

    assert response.status_code == 413
    body = response.json()
    assert body["error"].startswith("El archivo supera el máximo de")
    assert (body["creados"], body["actualizados"]) == (0, 0)
    assert body["errores"] == [refused(None, None, body["error"])]
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_a_file_of_exactly_the_byte_limit_is_imported(admin, tenant, settings):
    content = "nombre\n" + "Ana\n" * 50
    settings.API_IMPORT_MAX_FILE_BYTES = len(content)

    assert upload(admin, content).json() == ok(creados=50)


@pytest.mark.parametrize(
    ("last_line", "status"),
    [
        pytest.param(b"Eva\n", 413, id="too-many-rows"),
        pytest.param(b"Jos\xe9\n", 400, id="not-utf8"),
    ],
)
def test_a_refusal_after_the_first_written_batch_still_writes_nothing(
    admin, tenant, settings, last_line, status
):
    """Rows are written in batches of 1,000 inside one transaction: a refusal at row 1,001
    rolls the first batch back too."""
    settings.API_IMPORT_MAX_ROWS = 1000
    content = b"nombre\n" + b"".join(b"Cliente %d\n" % n for n in range(1000)) + last_line

    response = upload(admin, content)

    assert response.status_code == status
    assert response.json()["errores"][0]["fila"] == 1002
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert not ClienteEvento.objects.for_tenant(tenant).exists()


def test_a_body_over_the_routes_limit_is_413_before_it_is_read(admin, tenant, settings):
    settings.API_MAX_BODY_BYTES_BY_PATH = {URL: 500}

    response = upload(admin, "nombre\n" + "Ana\n" * 200)

    assert response.status_code == 413
    assert response.json() == {
        "error": "El cuerpo de la solicitud supera el máximo permitido (500 bytes)"
    }
    assert not Cliente.objects.for_tenant(tenant).exists()


# --- who may import --------------------------------------------------------------------------


def test_only_an_admin_imports(api, tenant):
    response = upload(api, "nombre\nAna\n")

    assert response.status_code == 403
    assert response.json() == {"error": "Solo un administrador puede importar clientes"}
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_an_anonymous_request_is_401(anon, tenant):
    response = upload(anon, "nombre\nAna\n")

    assert response.status_code == 401
    assert not Cliente.objects.for_tenant(tenant).exists()


# --- Idempotency-Key -------------------------------------------------------------------------


def test_the_same_key_and_file_replays_without_importing_twice(admin, tenant, other_tenant):
    first = upload(admin, "nombre,documento\nAna,1\nLuis,\n", HTTP_IDEMPOTENCY_KEY="hoja-1")
    again = upload(admin, "nombre,documento\nAna,1\nLuis,\n", HTTP_IDEMPOTENCY_KEY="hoja-1")

    assert first.json() == ok(creados=2)
    assert "Idempotent-Replayed" not in first.headers
    assert (again.status_code, again.json()) == (200, ok(creados=2))
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [f[0] for f in fields(tenant)] == ["Ana", "Luis"]
    assert ClienteEvento.objects.for_tenant(tenant).count() == 2
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_the_same_key_with_another_file_content_of_the_same_name_is_422(
    admin, tenant, other_tenant
):
    upload(admin, "nombre\nAna\n", name="hoja.csv", HTTP_IDEMPOTENCY_KEY="hoja-1")

    response = upload(admin, "nombre\nLuis\n", name="hoja.csv", HTTP_IDEMPOTENCY_KEY="hoja-1")

    assert response.status_code == 422
    assert response.json() == {"error": "La clave de idempotencia ya se usó con otra solicitud"}
    assert [f[0] for f in fields(tenant)] == ["Ana"]
    assert not Cliente.objects.for_tenant(other_tenant).exists()
