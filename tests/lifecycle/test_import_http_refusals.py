"""POST /api/clientes/importar refused as a whole: a file that cannot be read (400, its line
named), one over 10 MB or 50,000 rows (413; one at the limit is read), a request without a file
or not multipart, a member who is not ADMIN; and its ``Idempotency-Key``. Nothing is written in
any of them."""

import pytest

from clientes.models import Cliente, ClienteEvento
from tests.factories import make_cliente
from tests.lifecycle.import_helpers import URL, csv_of_size, fields, ok, refused_file, upload

pytestmark = pytest.mark.django_db


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
        pytest.param(
            b"",
            None,
            "El archivo está vacío: falta la fila de cabecera",
            id="empty-as-without-header",
        ),
    ],
)
def test_a_problem_with_the_whole_file_is_400_with_its_line_if_any_and_no_field(
    admin_api, tenant, other_tenant, content, fila, mensaje
):
    make_cliente(other_tenant, nombre="Ajeno")

    response = upload(admin_api, content)

    assert response.status_code == 400
    assert response.json() == refused_file(mensaje, fila)
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert Cliente.objects.for_tenant(other_tenant).count() == 1


def test_a_request_without_archivo_is_400_on_archivo(admin_api, tenant):
    response = admin_api.post(URL, {"simular": "true"}, format="multipart")

    assert response.status_code == 400
    assert response.json() == {
        "error": "Falta el archivo CSV (campo «archivo»)",
        "detalles": {"archivo": ["No se envió ningún archivo."]},
    }
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_a_json_body_is_415(admin_api, tenant):
    response = admin_api.post(URL, {"archivo": "nombre\nAna\n"}, format="json")

    assert response.status_code == 415
    assert set(response.json()) == {"error"}
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_more_rows_than_allowed_is_413_and_nothing_is_written(admin_api, tenant, settings):
    settings.API_IMPORT_MAX_ROWS = 3

    response = upload(admin_api, "nombre\nAna\nLuis\n\nEva\nRaúl\n")

    assert response.status_code == 413
    assert response.json() == refused_file("El archivo tiene más de 3 filas", fila=6)
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_exactly_the_allowed_rows_are_imported(admin_api, tenant, settings):
    settings.API_IMPORT_MAX_ROWS = 3

    response = upload(admin_api, "nombre\nAna\nLuis\nEva\n")

    assert response.json() == ok(creados=3)


def test_a_file_over_the_byte_limit_is_413_and_nothing_is_written(admin_api, tenant, settings):
    content = "nombre\n" + "Ana\n" * 50  # 207 bytes
    settings.API_IMPORT_MAX_FILE_BYTES = len(content) - 1

    response = upload(admin_api, content)

    assert response.status_code == 413
    body = response.json()
    assert body["error"].startswith("El archivo supera el máximo de")
    assert body == refused_file(body["error"])
    assert not Cliente.objects.for_tenant(tenant).exists()


def test_a_file_of_exactly_the_byte_limit_is_imported(admin_api, tenant, settings):
    content = "nombre\n" + "Ana\n" * 50
    settings.API_IMPORT_MAX_FILE_BYTES = len(content)

    assert upload(admin_api, content).json() == ok(creados=50)


def test_the_limits_are_10_mb_and_50000_rows(settings):
    assert settings.API_IMPORT_MAX_FILE_BYTES == 10 * 1024 * 1024
    assert settings.API_IMPORT_MAX_ROWS == 50_000


def test_a_file_of_exactly_10_mb_is_accepted(admin_api, tenant, other_tenant):
    """Past the API's 1 MiB body limit (the route has its own) and past the size Django
    spools to a temporary file."""
    response = upload(admin_api, csv_of_size(10 * 1024 * 1024), simular="true")

    assert response.status_code == 200, response.content[:300]
    assert response.json()["simulado"] is True
    assert response.json()["creados"] > 2000
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_a_file_of_10_mb_and_one_byte_is_413(admin_api, tenant):
    response = upload(admin_api, csv_of_size(10 * 1024 * 1024 + 1))

    assert response.status_code == 413
    assert response.json() == refused_file("El archivo supera el máximo de 10 MB")
    assert not Cliente.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    ("last_line", "status"),
    [
        pytest.param(b"Eva\n", 413, id="too-many-rows"),
        pytest.param(b"Jos\xe9\n", 400, id="not-utf8"),
    ],
)
def test_a_refusal_after_the_first_written_batch_still_writes_nothing(
    admin_api, tenant, settings, last_line, status
):
    """Rows are written in batches of 1,000 inside one transaction: a refusal at row 1,001
    rolls the first batch back too."""
    settings.API_IMPORT_MAX_ROWS = 1000
    content = b"nombre\n" + b"".join(b"Cliente %d\n" % n for n in range(1000)) + last_line

    response = upload(admin_api, content)

    assert response.status_code == status
    assert response.json()["errores"][0]["fila"] == 1002
    assert not Cliente.objects.for_tenant(tenant).exists()
    assert not ClienteEvento.objects.for_tenant(tenant).exists()


def test_a_body_over_the_routes_limit_is_413_before_it_is_read(admin_api, tenant, settings):
    settings.API_MAX_BODY_BYTES_BY_PATH = {URL: 500}

    response = upload(admin_api, "nombre\n" + "Ana\n" * 200)

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


def test_the_same_key_and_file_replays_without_importing_twice(admin_api, tenant, other_tenant):
    first = upload(admin_api, "nombre,documento\nAna,1\nLuis,\n", HTTP_IDEMPOTENCY_KEY="hoja-1")
    again = upload(admin_api, "nombre,documento\nAna,1\nLuis,\n", HTTP_IDEMPOTENCY_KEY="hoja-1")

    assert first.json() == ok(creados=2)
    assert "Idempotent-Replayed" not in first.headers
    assert (again.status_code, again.json()) == (200, ok(creados=2))
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [f[0] for f in fields(tenant)] == ["Ana", "Luis"]
    assert ClienteEvento.objects.for_tenant(tenant).count() == 2
    assert not Cliente.objects.for_tenant(other_tenant).exists()


def test_the_same_key_with_another_file_content_of_the_same_name_is_422(
    admin_api, tenant, other_tenant
):
    upload(admin_api, "nombre\nAna\n", name="hoja.csv", HTTP_IDEMPOTENCY_KEY="hoja-1")

    response = upload(admin_api, "nombre\nLuis\n", name="hoja.csv", HTTP_IDEMPOTENCY_KEY="hoja-1")

    assert response.status_code == 422
    assert response.json() == {"error": "La clave de idempotencia ya se usó con otra solicitud"}
    assert [f[0] for f in fields(tenant)] == ["Ana"]
    assert not Cliente.objects.for_tenant(other_tenant).exists()
