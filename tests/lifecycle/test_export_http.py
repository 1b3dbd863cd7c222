"""GET /api/clientes/exportar?formato=csv|json: the tenant's customers as ``export_clientes``
writes them (its columns, its formula-cell protection, ``id`` ascending), streamed as an
attachment, ADMIN only; ``archivado`` filters as in the list."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
import time_machine

from clientes.transfer import EXPORT_COLUMNS
from tests.factories import make_cliente
from tests.importexport.helpers import JOSE_CSV, make_jose, run_export

pytestmark = pytest.mark.django_db

URL = "/api/clientes/exportar"
# 03:00 UTC on 1 March is still 28 February in Bogotá, the tenants' zone.
EVENING_IN_BOGOTA = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def shop(tenant, admin_api):
    """Three customers of ``tenant``, the middle one archived."""
    first = make_jose(tenant)
    archived = make_cliente(tenant, nombre="Viejo", documento="55")
    admin_api.patch(f"/api/clientes/{archived.pk}", {"archivado": True}, format="json")
    last = make_cliente(tenant, nombre="Ana")
    return first, archived, last


@pytest.fixture
def ajeno(other_tenant):
    return make_cliente(other_tenant, nombre="Ajeno", documento="1.020.345.678")


def export(client, **params):
    return client.get(URL, params)


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response))))


def test_csv_is_an_attachment_with_the_commands_columns_by_id(admin_api, tenant, shop, ajeno):
    first, _, last = shop

    with time_machine.travel(EVENING_IN_BOGOTA, tick=False):
        response = export(admin_api, formato="csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="clientes-{tenant.slug}-2026-02-28.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == list(EXPORT_COLUMNS)
    assert [r[:7] for r in rows[1:]] == [
        [str(first.pk), *JOSE_CSV],
        [str(last.pk), "Ana", "", "", "", "", ""],
    ]
    assert str(ajeno.pk) not in {r[0] for r in rows[1:]}


def test_csv_is_the_default_format(admin_api, tenant, shop, ajeno):
    default = export(admin_api, archivado="todos")

    assert default["Content-Type"] == "text/csv; charset=utf-8"
    assert body(default) == body(export(admin_api, formato="csv", archivado="todos"))
    assert "Ajeno" not in body(export(admin_api, archivado="todos"))


def test_with_no_parameters_archived_customers_are_left_out(admin_api, shop, ajeno):
    first, _, last = shop

    exported = csv_rows(export(admin_api))

    assert [r[0] for r in exported[1:]] == [str(first.pk), str(last.pk)]


def test_formula_cells_get_a_leading_apostrophe_in_csv_not_in_json(admin_api, tenant, ajeno):
    cliente = make_cliente(tenant, nombre="=SUM(A1)", telefono="+57 300", notas="'=x")
    make_cliente(ajeno.tenant, nombre="=HYPERLINK(1)")

    [_, row] = csv_rows(export(admin_api, formato="csv"))
    [item] = json.loads(body(export(admin_api, formato="json")))

    assert (row[0], row[1], row[4], row[6]) == (str(cliente.pk), "'=SUM(A1)", "'+57 300", "''=x")
    assert (item["nombre"], item["telefono"], item["notas"]) == ("=SUM(A1)", "+57 300", "'=x")


def test_json_rows_are_the_lists_rows_by_id(admin_api, tenant, shop, ajeno):
    with time_machine.travel(EVENING_IN_BOGOTA, tick=False):
        response = export(admin_api, formato="json", archivado="todos")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="clientes-{tenant.slug}-2026-02-28.json"'
    )
    listed = admin_api.get("/api/clientes", {"archivado": "todos"}).json()
    exported = json.loads(body(response))
    assert exported == list(reversed(listed))
    assert [c["id"] for c in exported] == [c.pk for c in shop]
    assert list(exported[0]) == list(EXPORT_COLUMNS)
    assert ajeno.pk not in {c["id"] for c in exported}


def test_no_customers_is_the_header_alone_or_an_empty_array(admin_api, ajeno):
    assert body(export(admin_api, formato="csv")) == ",".join(EXPORT_COLUMNS) + "\n"
    assert json.loads(body(export(admin_api, formato="json"))) == []


@pytest.mark.parametrize(
    ("archivado", "which"),
    [(None, [0, 2]), ("false", [0, 2]), ("true", [1]), ("todos", [0, 1, 2])],
)
def test_archivado_filters_as_in_the_list(admin_api, shop, ajeno, archivado, which):
    params = {"formato": "json"} | ({"archivado": archivado} if archivado else {})

    exported = json.loads(body(export(admin_api, **params)))

    assert [c["id"] for c in exported] == [shop[i].pk for i in which]
    listed = admin_api.get("/api/clientes", params).json()
    assert [c["id"] for c in exported] == sorted(c["id"] for c in listed)


def test_an_unknown_archivado_is_400(admin_api, shop):
    response = admin_api.get(URL, {"archivado": "x"})

    assert response.status_code == 400
    assert list(response.json()["detalles"]) == ["archivado"]
    assert response.json() == admin_api.get("/api/clientes", {"archivado": "x"}).json()


def test_an_unknown_formato_is_400(admin_api, shop):
    response = admin_api.get(URL, {"formato": "xml"})

    assert response.status_code == 400
    assert list(response.json()["detalles"]) == ["formato"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_output_is_the_commands(admin_api, tenant, shop, ajeno, fmt):
    response = export(admin_api, formato=fmt, archivado="todos")

    assert body(response) == run_export(tenant, fmt)


def test_only_an_admin_exports(api, shop):
    response = export(api, formato="csv")

    assert response.status_code == 403
    assert not response.streaming
    assert response.json() == {"error": "Solo un administrador puede exportar clientes"}


def test_an_anonymous_request_is_401(anon, shop):
    response = export(anon, formato="json")

    assert response.status_code == 401
    assert "Viejo" not in response.content.decode()
