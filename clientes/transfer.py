"""Export of a tenant's customers, and the columns its CSV shares with the import: the logic
behind ``export_clientes`` (the import is ``clientes.csv_import``).

The export walks ``.values()`` rows in ``id`` order with ``.iterator(chunk_size=...)``
(a server-side cursor on PostgreSQL) and writes each row as soon as it is fetched.

CSV text cells a spreadsheet would run as formulas get a leading ``'``, which the import
removes before validating (``clientes.csv_cells``).
"""

from collections.abc import Iterator
from typing import Protocol

import orjson

from clientes.csv_cells import csv_record, text_cell
from clientes.models import Cliente
from clientes.representation import TEXT_WIRE_NAMES, WIRE_NAMES
from clientes.selectors import cliente_list
from tenants.models import Tenant

# The file's columns are the API's fields (clientes.representation). The text a client typed
# is neutralised on the way out and read back by the import; the others (id, the times,
# archivado) are the server's or the shop's, exported and not imported.
EXPORT_COLUMNS = WIRE_NAMES
FIELDS = TEXT_WIRE_NAMES
ID_COLUMN = "id"
ACCEPTED_COLUMNS = frozenset(EXPORT_COLUMNS)

EXPORT_CHUNK_SIZE = 2000


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


EVERY_CUSTOMER = {"archivado": "todos"}


def cliente_export_rows(
    *, tenant: Tenant, filters=None, chunk_size: int = EXPORT_CHUNK_SIZE
) -> Iterator[dict]:
    """The tenant's customers as the API's rows (camelCase keys), ``id`` ascending, streamed:
    those the list's ``filters`` keep (default: every one, archived included)."""
    customers = Cliente.objects.for_tenant(tenant)
    rows = cliente_list(customers=customers, filters=filters or EVERY_CUSTOMER)
    return rows.order_by("id").iterator(chunk_size=chunk_size)


def cliente_export_csv(*, tenant: Tenant, output: Writable) -> int:
    """Write the tenant's customers to ``output`` as CSV; returns how many.

    Header ``EXPORT_COLUMNS`` (``id,nombre,...,creadoEn``); null is an empty cell, a
    formula-like text cell is neutralised (``text_cell``); ``creadoEn`` is ISO 8601 in UTC
    with ``Z``, as in the API. ``import_clientes`` reads this file back.
    """
    output.write(csv_record(EXPORT_COLUMNS))
    total = 0
    for row in cliente_export_rows(tenant=tenant):
        output.write(csv_record([_cell(column, row[column]) for column in EXPORT_COLUMNS]))
        total += 1
    return total


def _cell(column: str, value):
    if isinstance(value, bool):  # as in JSON, not Python's True/False
        return "true" if value else "false"
    return text_cell(value) if column in FIELDS else value


def cliente_export_json(*, tenant: Tenant, output: Writable) -> int:
    """Write the tenant's customers to ``output`` as a JSON array of Cliente objects.

    Each object is rendered like the API renders it (orjson, ``creadoEn`` with ``Z``) and
    written as soon as it is fetched, exactly as stored (no ``'`` prefix); returns how many.
    """
    total = 0
    for row in cliente_export_rows(tenant=tenant):
        output.write(("[\n" if total == 0 else ",\n") + orjson.dumps(row).decode())
        total += 1
    output.write("[]\n" if total == 0 else "\n]\n")
    return total
