"""A list page's JSON text (``config.api.page_json``) is byte for byte what PostgreSQL's own
``array_to_json`` writes for the same rows, whatever their texts hold: quotes, backslashes,
line breaks, every control character (which the API refuses, but the database holds), the
characters JSON leaves alone, and NULLs. The customers' rows are stored answers
(``clientes.stored_answer``), written when the row was: the same bytes."""

import orjson
import pytest
from django.db import connection

from clientes.models import Cliente
from clientes.representation import CLIENTE_FIELDS
from clientes.selectors import cliente_page
from comercial.selectors import document_page
from config.api.page_json import JSON, OTHER, TEXT, PageColumns, StoredObjects, json_array
from config.api.pagination import PageRows, page_columns
from cotizaciones.filters import CotizacionFilter
from cotizaciones.models import Cotizacion
from tests.factories import make_cliente, make_cotizacion, make_user, make_venta
from ventas.filters import VentaFilter
from ventas.models import Venta

pytestmark = pytest.mark.django_db

TEXTS = [
    "comillas \"dobles\" y 'simples'",
    "barra \\ invertida \\\\ doble \\n literal",
    "línea\nnueva\r\ny\ttab",
    "".join(chr(code) for code in range(1, 32)),
    "borrar \x7f y \x80\x9f",
    "ñandú 😀 </script> \u2028\u2029 \ufeff",
    "%_ y {llaves} y [corchetes]",
    "",
    " ",
]


def _reference(rows, limit: int) -> bytes:
    """The page as ``array_to_json`` writes its records (the way pages were written)."""
    names = ", ".join(connection.ops.quote_name(key) for key in rows.columns.keys)
    statement = (
        "SELECT COALESCE(array_to_json((array_agg(pagina ORDER BY pagina.id DESC))[1:%s]),"  # noqa: S608
        f" '[]')::text FROM ({rows.sql} LIMIT %s) AS pagina ({names})"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [limit, *rows.params, limit + 1])
        return cursor.fetchone()[0].encode()


def _customers_reference(tenant, limit: int) -> bytes:
    """The tenant's active customers as ``array_to_json`` writes their answer fields read from
    their columns (the way their pages were written before they were stored)."""
    fields = {field.wire: field.bulk_expression() for field in CLIENTE_FIELDS}
    queryset = page_columns(Cliente.objects.for_tenant(tenant).active(), fields)
    sql, params = queryset.query.sql_with_params()
    columns = PageColumns.of(queryset, tuple(fields))
    return _reference(PageRows(sql, list(params), columns), limit)


@pytest.fixture
def clientes(tenant) -> list[Cliente]:
    """A customer per text, every text column holding it; one with every column NULL."""
    made = [make_cliente(tenant, nombre=f"Cliente {n}") for n in range(len(TEXTS) + 1)]
    for cliente, text in zip(made, TEXTS, strict=False):
        Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).update(
            nombre=f"«{text}»",
            documento=f"D{cliente.pk} {text}",
            email=text,
            telefono=text,
            direccion=text,
            notas=text,
        )
    return made


def test_a_customers_page_is_what_array_to_json_writes(api, tenant, other_tenant, clientes):
    make_cliente(other_tenant, nombre="Ajena")
    response = api.get("/api/clientes")

    assert response.content == _customers_reference(tenant, 200)
    notas = [row["notas"] for row in orjson.loads(response.content)]
    assert notas == [None, *reversed(TEXTS)]


@pytest.mark.parametrize("limite", [1, 3, len(TEXTS)])
def test_a_page_with_a_next_page_is_what_array_to_json_writes(api, tenant, clientes, limite):
    response = api.get(f"/api/clientes?limite={limite}")

    assert response.content == _customers_reference(tenant, limite)
    assert len(orjson.loads(response.content)) == limite
    assert response["Link"]


def test_a_last_page_of_exactly_limite_rows_is_what_array_to_json_writes(api, tenant, clientes):
    response = api.get(f"/api/clientes?limite={len(clientes)}")

    assert response.content == _customers_reference(tenant, len(clientes))
    assert "Link" not in response


def test_an_empty_page_is_an_empty_array(api, other_tenant):
    make_cliente(other_tenant)

    assert api.get("/api/clientes").content == b"[]"


@pytest.mark.parametrize(
    ("model", "path", "filterset_class", "make"),
    [
        (Venta, "/api/ventas", VentaFilter, make_venta),
        (Cotizacion, "/api/cotizaciones", CotizacionFilter, make_cotizacion),
    ],
)
def test_a_documents_page_is_what_array_to_json_writes(
    admin_api, admin_user, tenant, other_tenant, model, path, filterset_class, make
):
    vendedor = make_user(tenant, nombre=f"«{TEXTS[0]}»")
    for text in TEXTS:
        cliente = make_cliente(tenant)
        documento = make(tenant, cliente, vendedor=vendedor)
        Cliente.objects.for_tenant(tenant).filter(pk=cliente.pk).update(nombre=f"«{text}»")
        model.objects.for_tenant(tenant).filter(pk=documento.pk).update(
            notas=text, motivo_cancelacion=text
        )
    make(tenant)  # no customer: a NULL reference
    make(other_tenant)
    rows = document_page(
        model,
        tenant_id=tenant.pk,
        vendedor_id=None,
        cursor=None,
        filterset_class=filterset_class,
        filters={},
        request=None,
    )

    response = admin_api.get(path)

    assert response.content == _reference(rows, 200)
    assert len(orjson.loads(response.content)) == len(TEXTS) + 1


@pytest.mark.parametrize(
    ("joined", "drop_last", "array"),
    [
        (None, False, "[]"),
        ('{"id":2}', False, '[{"id":2}]'),
        ('{"id":3}\x01{"id":2}', True, '[{"id":3}]'),
        ('{"id":3}\x01{"id":2}\x01{"id":1}', True, '[{"id":3},{"id":2}]'),
        ('{"id":3}\x01{"id":2}', False, '[{"id":3},{"id":2}]'),
    ],
)
def test_the_joined_objects_become_the_pages_array(joined, drop_last, array):
    assert json_array(joined, drop_last=drop_last) == array


def test_each_column_of_a_documents_row_is_written_by_its_kind():
    documents = document_page(
        Venta,
        tenant_id=1,
        vendedor_id=None,
        cursor=None,
        filterset_class=VentaFilter,
        filters={},
        request=None,
    )

    assert isinstance(documents.columns, PageColumns)
    kinds = dict(zip(documents.columns.keys, documents.columns.kinds, strict=True))
    assert (kinds["cliente"], kinds["total"], kinds["notas"]) == (JSON, OTHER, TEXT)


def test_a_customers_row_is_its_stored_answer():
    rows = cliente_page(tenant_id=1, cursor=None, filters={})

    assert rows.columns == StoredObjects("representacion")
