"""Export of a tenant's sales with their items: the logic behind ``export_ventas``.

It streams, so a million sales fit in constant memory: the sales are read in ``id`` order
with ``.iterator(chunk_size=...)`` (a server-side cursor on PostgreSQL) and grouped in chunks
of ``EXPORT_CHUNK_SIZE``; the items of each chunk come from one more query (also a cursor,
ordered like the sales), merged with the chunk and written as they arrive. The number of
queries is one plus one per chunk, whatever the number of sales or items.

Money and quantities are written exactly as stored: never through a float. Timestamps are
ISO 8601 in UTC with ``Z``, as in the API. In CSV the text cells (``clienteNombre``,
``vendedorNombre``, ``descripcion``) that a spreadsheet would run as formulas get a leading
``'`` (``clientes.csv_cells``, the rule ``import_clientes`` undoes); numbers, ids and
timestamps are never prefixed (money and quantities are never negative, and a number is no
formula). JSON is written exactly as stored.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
from typing import Protocol

import orjson
from django.db.models import F, QuerySet

from clientes.csv_cells import csv_record, text_cell
from config.api.expressions import IsoUtc
from tenants.models import Tenant
from ventas.models import Venta, VentaItem

EXPORT_CHUNK_SIZE = 1000

CSV_COLUMNS = (
    "numero",
    "ventaId",
    "creadoEn",
    "clienteId",
    "clienteNombre",
    "vendedorId",
    "vendedorNombre",
    "total",
    "cancelada",
    "descripcion",
    "cantidad",
    "precioUnitario",
    "subtotal",
)
CANCELADA = {True: "sí", False: "no"}

_VENTA_FIELDS = (
    "id",
    "numero",
    "cliente_id",
    "cliente__nombre",
    "vendedor_id",
    "vendedor__nombre",
    "total",
    "notas",
    "cancelada_por_id",
    "cancelada_por__nombre",
    "motivo_cancelacion",
)
_VENTA_EXPRESSIONS = {
    "creadoEn": IsoUtc("creado_en"),
    "canceladaEn": IsoUtc("cancelada_en"),
    "cotizacionId": F("cotizacion_origen__id"),
}
_ITEM_FIELDS = ("id", "venta_id", "descripcion", "cantidad", "precio_unitario", "subtotal")


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass(slots=True)
class ExportCount:
    """What an export wrote: sales and items."""

    ventas: int = 0
    items: int = 0


def venta_export_queryset(
    *, tenant: Tenant, desde: date | None = None, hasta: date | None = None
) -> QuerySet:
    """The tenant's sales as flat rows, ``id`` ascending, made from ``desde`` through
    ``hasta`` (whole days in the tenant's time zone, both included; None: no bound)."""
    ventas = Venta.objects.for_tenant(tenant)
    if desde is not None:
        ventas = ventas.filter(creado_en__gte=_start_of(desde, tenant))
    if hasta is not None and hasta < date.max:
        ventas = ventas.filter(creado_en__lt=_start_of(hasta + timedelta(days=1), tenant))
    return ventas.order_by("id").values(*_VENTA_FIELDS, **_VENTA_EXPRESSIONS)


def _start_of(day: date, tenant: Tenant) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tenant.tz)


def venta_export_rows(
    *,
    tenant: Tenant,
    desde: date | None = None,
    hasta: date | None = None,
    chunk_size: int | None = None,
) -> Iterator[tuple[dict, list[dict]]]:
    """``(sale row, its item rows in the order sent)`` for each sale, streamed.

    One query for the sales (a cursor read ``chunk_size`` rows at a time, default
    ``EXPORT_CHUNK_SIZE``) plus one for the items of each chunk of ``chunk_size`` sales.
    """
    chunk_size = chunk_size or EXPORT_CHUNK_SIZE
    ventas = venta_export_queryset(tenant=tenant, desde=desde, hasta=hasta).iterator(
        chunk_size=chunk_size
    )
    while chunk := list(islice(ventas, chunk_size)):
        items = (
            VentaItem.objects.for_tenant(tenant)
            .filter(venta_id__in=[venta["id"] for venta in chunk])
            .order_by("venta_id", "id")
            .values(*_ITEM_FIELDS)
            .iterator(chunk_size=chunk_size)
        )
        yield from _merge(chunk, items)


def _merge(chunk: list[dict], items: Iterator[dict]) -> Iterator[tuple[dict, list[dict]]]:
    """Pair each sale of ``chunk`` (by id) with its items (ordered by sale id, then id)."""
    pending = next(items, None)
    for venta in chunk:
        lines = []
        while pending is not None and pending["venta_id"] == venta["id"]:
            lines.append(pending)
            pending = next(items, None)
        yield venta, lines


# --- CSV ----------------------------------------------------------------------------------


def venta_export_csv(
    *,
    tenant: Tenant,
    output: Writable,
    desde: date | None = None,
    hasta: date | None = None,
) -> ExportCount:
    """Write the tenant's sales to ``output`` as CSV, one row per item; returns the counts.

    Header ``numero,ventaId,creadoEn,clienteId,clienteNombre,vendedorId,vendedorNombre,
    total,cancelada,descripcion,cantidad,precioUnitario,subtotal``: the sale's columns are
    repeated on each of its items' rows; ``cancelada`` is ``sí`` or ``no``; null is an empty
    cell; a formula-like text cell is neutralised (``text_cell``); numbers are written exactly
    as stored (``.`` as the decimal separator). A sale
    without items (none is made through the services) is one row with empty item cells.
    """
    output.write(csv_record(CSV_COLUMNS))
    count = ExportCount()
    for venta, items in venta_export_rows(tenant=tenant, desde=desde, hasta=hasta):
        head = [
            venta["numero"],
            venta["id"],
            venta["creadoEn"],
            venta["cliente_id"],
            text_cell(venta["cliente__nombre"]),
            venta["vendedor_id"],
            text_cell(venta["vendedor__nombre"]),
            _number(venta["total"]),
            CANCELADA[venta["canceladaEn"] is not None],
        ]
        for item in items or [None]:
            tail = (
                [None] * 4
                if item is None
                else [
                    text_cell(item["descripcion"]),
                    _number(item["cantidad"]),
                    _number(item["precio_unitario"]),
                    _number(item["subtotal"]),
                ]
            )
            output.write(csv_record(head + tail))
        count.ventas += 1
        count.items += len(items)
    return count


def _number(value: Decimal) -> str:
    """A decimal as positional text, never an exponent: ``1234.50``."""
    return format(value, "f")


# --- JSON ---------------------------------------------------------------------------------


def venta_export_json(
    *,
    tenant: Tenant,
    output: Writable,
    desde: date | None = None,
    hasta: date | None = None,
) -> ExportCount:
    """Write the tenant's sales to ``output`` as a JSON array of Venta objects.

    Each object has the API detail's fields except ``eventos`` (``id``, ``numero``,
    ``cliente``, ``vendedor``, ``total``, ``notas``, ``creadoEn``, ``canceladaEn``,
    ``canceladaPor``, ``motivoCancelacion``, ``cotizacionId``, ``items``); money and
    quantities are JSON numbers with the stored digits (``18500.00``), never rounded through
    a float. One object per line, written as soon as its items are read; returns the counts.
    """
    count = ExportCount()
    for venta, items in venta_export_rows(tenant=tenant, desde=desde, hasta=hasta):
        output.write(("[\n" if count.ventas == 0 else ",\n") + _json(_venta_object(venta, items)))
        count.ventas += 1
        count.items += len(items)
    output.write("[]\n" if count.ventas == 0 else "\n]\n")
    return count


def _venta_object(venta: dict, items: list[dict]) -> dict:
    return {
        "id": venta["id"],
        "numero": venta["numero"],
        "cliente": _reference(venta, "cliente"),
        "vendedor": _reference(venta, "vendedor"),
        "total": venta["total"],
        "notas": venta["notas"],
        "creadoEn": venta["creadoEn"],
        "canceladaEn": venta["canceladaEn"],
        "canceladaPor": _reference(venta, "cancelada_por"),
        "motivoCancelacion": venta["motivo_cancelacion"],
        "cotizacionId": venta["cotizacionId"],
        "items": [
            {
                "id": item["id"],
                "descripcion": item["descripcion"],
                "cantidad": item["cantidad"],
                "precioUnitario": item["precio_unitario"],
                "subtotal": item["subtotal"],
            }
            for item in items
        ],
    }


def _reference(venta: dict, relation: str) -> dict | None:
    """``{"id", "nombre"}`` of the sale's customer or user, or None."""
    pk = venta[f"{relation}_id"]
    return None if pk is None else {"id": pk, "nombre": venta[f"{relation}__nombre"]}


def _json(value: dict) -> str:
    return orjson.dumps(value, default=_exact_decimal).decode()


def _exact_decimal(value: object) -> orjson.Fragment:
    """A Decimal as a JSON number with exactly its digits (orjson writes a Fragment as is)."""
    if isinstance(value, Decimal) and value.is_finite():
        return orjson.Fragment(_number(value))
    raise TypeError(f"No se puede escribir en JSON: {type(value).__name__}")
