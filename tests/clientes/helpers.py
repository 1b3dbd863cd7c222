"""Shared vocabulary of the Customers contract tests: URLs, shapes, small assertions, and the
builders of many customers, sales and quotations the list, search and historial tests share."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from clientes.models import Cliente
from cotizaciones.models import Cotizacion
from tests import contract
from tests.factories import make_cliente, make_cotizacion, make_venta
from ventas.models import Venta
from ventas.services import venta_cancel

LIST_URL = "/api/clientes"

CLIENTE_FIELDS = set(contract.CLIENTE_FIELDS)
OPTIONAL_FIELDS = ["documento", "email", "telefono", "direccion", "notas"]
TEXT_FIELDS = ["nombre", *OPTIONAL_FIELDS]

ISO_UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
LINK_NEXT = re.compile(r'^<(?P<url>[^>]+)>;\s*rel="next"$')

BASE_TIME = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def detail_url(pk) -> str:
    return f"{LIST_URL}/{pk}"


def historial_url(pk) -> str:
    return f"{LIST_URL}/{pk}/historial"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body, list), body
    return [row["id"] for row in body]


def search(api, termino: str) -> list[int]:
    """The ids ``GET /api/clientes?busqueda=termino`` answers, in its order."""
    return ids(api.get(LIST_URL, {"busqueda": termino}))


def behaviour_params(table: dict, *extra) -> list:
    """``pytest.param``s from a ``{behaviour: case}`` table: each the case's values (then
    ``extra``), with its behaviour as the test id."""
    return [pytest.param(*case, *extra, id=behaviour) for behaviour, case in table.items()]


def next_link(response) -> str | None:
    """The URL of ``Link: <url>; rel="next"``, or None when the header is absent."""
    header = response.headers.get("Link")
    if header is None:
        return None
    match = LINK_NEXT.match(header.strip())
    assert match, f"malformed Link header: {header!r}"
    return match["url"]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def assert_iso_utc(value) -> None:
    assert isinstance(value, str) and ISO_UTC_Z.match(value), value


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def assert_is_number(value) -> None:
    assert isinstance(value, int | float) and not isinstance(value, bool), repr(value)


def assert_validation_error(response, field: str) -> dict:
    """A 400 JSON body with a Spanish ``error`` and ``detalles[field]`` as a list of messages."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert field in body["detalles"], body
    messages = body["detalles"][field]
    assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages)
    return body


def make_clientes(tenant, n: int, **fields) -> list[int]:
    """``n`` customers of ``tenant`` in one statement; their ids, oldest first."""
    rows = Cliente.objects.bulk_create(
        [Cliente(tenant=tenant, nombre=f"Masivo {i}", **fields) for i in range(n)]
    )
    return sorted(row.pk for row in rows)


def interleaved(tenant, other_tenant, n: int) -> list[int]:
    """``n`` customers of ``tenant`` with a customer of ``other_tenant`` between each pair."""
    own = []
    for i in range(n):
        own.append(make_cliente(tenant, nombre=f"Propio {i}").pk)
        make_cliente(other_tenant, nombre=f"Ajeno {i}")
    return own


def stored(tenant, pk) -> Cliente:
    return Cliente.objects.for_tenant(tenant).get(pk=pk)


def count_clientes(tenant) -> int:
    return Cliente.objects.for_tenant(tenant).count()


def snapshot(tenant, pk) -> dict:
    """Every API-visible column of a stored customer, to prove that nothing changed."""
    return (
        Cliente.objects.for_tenant(tenant)
        .filter(pk=pk)
        .values("nombre", "documento", "email", "telefono", "direccion", "notas", "creado_en")
        .get()
    )


def set_venta_creado_en(tenant, venta, when: datetime) -> None:
    Venta.objects.for_tenant(tenant).filter(pk=venta.pk).update(creado_en=when)


def set_cotizacion_creado_en(tenant, cotizacion, when: datetime) -> None:
    Cotizacion.objects.for_tenant(tenant).filter(pk=cotizacion.pk).update(creado_en=when)


def minutes(n: int) -> datetime:
    return BASE_TIME + timedelta(minutes=n)


def cancel_on_sale_day(*, venta, por, motivo: str):
    """Cancel a sale whose ``creado_en`` was moved to the past, on the day it was made (a
    sale can only be cancelled that day)."""
    creado_en = Venta.objects.for_tenant(venta.tenant_id).get(pk=venta.pk).creado_en
    with time_machine.travel(creado_en, tick=False):
        return venta_cancel(venta=venta, por=por, motivo=motivo)


def venta_at(tenant, cliente, minute: int, total="100.00"):
    """A sale of ``cliente`` made ``minute`` minutes after ``BASE_TIME``."""
    venta = make_venta(tenant, cliente, total=total)
    set_venta_creado_en(tenant, venta, minutes(minute))
    return venta


def cotizacion_at(tenant, cliente, minute: int, total="100.00", **kwargs):
    """A quotation for ``cliente`` made ``minute`` minutes after ``BASE_TIME``."""
    cotizacion = make_cotizacion(tenant, cliente, total=total, **kwargs)
    set_cotizacion_creado_en(tenant, cotizacion, minutes(minute))
    return cotizacion


@dataclass
class Ajeno:
    """Another tenant's customer with a full history; none of it may ever show up."""

    cliente_id: int
    venta_ids: set[int]
    cotizacion_ids: set[int]


def historial(api, cliente, ajeno: Ajeno) -> dict:
    """The historial body, after checking that nothing of ``ajeno`` leaked into it."""
    response = api.get(historial_url(cliente.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert not {v["id"] for v in body["ventas"]} & ajeno.venta_ids
    assert not {c["id"] for c in body["cotizaciones"]} & ajeno.cotizacion_ids
    return body
