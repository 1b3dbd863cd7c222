"""Export of a tenant's customers, and the columns its CSV shares with the import: the logic
behind ``export_clientes`` and ``GET /api/clientes/exportar`` (the import is
``clientes.csv_import``).

The export walks ``.values()`` rows in ``id`` order with ``.iterator(chunk_size=...)``
(a server-side cursor on PostgreSQL) and yields the text as soon as rows are fetched: the
command writes it to standard output, the API streams it.

CSV text cells a spreadsheet would run as formulas get a leading ``'``, which the import
removes before validating (``clientes.csv_cells``).
"""

from collections.abc import Iterable, Iterator

import orjson

from clientes.csv_cells import csv_record, text_cell
from clientes.models import Cliente
from clientes.representation import TEXT_WIRE_NAMES, WIRE_NAMES
from clientes.selectors import cliente_list
from tenants.api.permissions import require_admin
from tenants.models import Tenant, User

# The file's columns are the API's fields (clientes.representation). The text a client typed
# is neutralised on the way out and read back by the import; the others (id, the times,
# archivado) are the server's or the shop's, exported and not imported.
EXPORT_COLUMNS = WIRE_NAMES
FIELDS = TEXT_WIRE_NAMES
ID_COLUMN = "id"
ACCEPTED_COLUMNS = frozenset(EXPORT_COLUMNS)

EXPORT_CHUNK_SIZE = 2000
TEXT_CHUNK_BYTES = 64 * 1024  # what one write of the stream carries, at least
EVERY_CLIENTE = {"archivado": "todos"}
MENSAJE_SOLO_ADMIN_EXPORTA = "Solo un administrador puede exportar clientes"


class ClienteExport:
    """The tenant's customers the list's ``filters`` keep (none given: every one, archived
    included; given but empty: the list's default, archived left out), ``id`` ascending, as
    text chunks of ``formato`` (``csv`` or ``json``).

    The filters are validated when it is built (a ``ValidationError`` then, before any byte
    is sent); the rows are read while it is iterated, and ``total`` counts them. Only an
    ADMIN exports over the API (``por``; a command has none).
    """

    FORMATS = ("csv", "json")

    def __init__(self, *, tenant: Tenant, formato: str, filters=None, por: User | None = None):
        require_admin(por, MENSAJE_SOLO_ADMIN_EXPORTA)
        if formato not in self.FORMATS:
            raise ValueError(f"unknown export format {formato!r}")
        clientes = Cliente.objects.for_tenant(tenant)
        filters = EVERY_CLIENTE if filters is None else filters  # the API sends the list's
        self.rows = cliente_list(clientes=clientes, filters=filters)
        self.formato = formato
        self.total = 0

    def __iter__(self) -> Iterator[str]:
        rows = self._counted(self.rows.order_by("id").iterator(chunk_size=EXPORT_CHUNK_SIZE))
        text = _csv_text(rows) if self.formato == "csv" else _json_text(rows)
        return _in_chunks(text)

    def _counted(self, rows: Iterable[dict]) -> Iterator[dict]:
        for row in rows:
            self.total += 1
            yield row


def _csv_text(rows: Iterable[dict]) -> Iterator[str]:
    """Header ``EXPORT_COLUMNS`` (``id,nombre,...``); null is an empty cell, a formula-like
    text cell is neutralised (``text_cell``); times are ISO 8601 in UTC with ``Z``, as in the
    API. ``import_clientes`` reads this file back."""
    yield csv_record(EXPORT_COLUMNS)
    for row in rows:
        yield csv_record([_cell(column, row[column]) for column in EXPORT_COLUMNS])


def _cell(column: str, value):
    if isinstance(value, bool):  # as in JSON, not Python's True/False
        return "true" if value else "false"
    return text_cell(value) if column in FIELDS else value


def _json_text(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array of Cliente objects rendered like the API renders them, exactly as
    stored (no ``'`` prefix)."""
    first = True
    for row in rows:
        yield ("[\n" if first else ",\n") + orjson.dumps(row).decode()
        first = False
    yield "[]\n" if first else "\n]\n"


def _in_chunks(pieces: Iterable[str]) -> Iterator[str]:
    """``pieces`` joined into chunks of at least ``TEXT_CHUNK_BYTES``: one write per chunk,
    not per row."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= TEXT_CHUNK_BYTES:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)
