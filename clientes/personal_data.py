"""What the shop holds about a person: the document that answers an access request (habeas
data, GDPR art. 15) for one customer.

One JSON object, streamed: the customer, its change history, and every sale and quotation
that names it with their items and events, each exactly as its own detail answers it (built
by PostgreSQL). They are read in chunks from a server-side cursor, so a customer with
thousands of documents costs a few chunks of memory, not all of them.
"""

from collections.abc import Iterable, Iterator

import orjson
from django.utils import timezone

from clientes.models import Cliente
from clientes.representation import as_api_values
from clientes.selectors import cliente_eventos, documentos_details_of_cliente
from clientes.serializers import ClienteEventoSerializer
from tenants.api.permissions import require_admin
from tenants.models import User

MENSAJE_SOLO_ADMIN_DATOS = "Solo un administrador puede consultar los datos personales"
CHUNK_SIZE = 500
OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC  # the API's renderer's


def cliente_personal_data(*, cliente: Cliente, por: User | None) -> Iterator[bytes]:
    """The customer's personal-data document as chunks of UTF-8 JSON (ADMIN only: the role is
    checked now, the rows are read as the chunks are taken)."""
    require_admin(por, MENSAJE_SOLO_ADMIN_DATOS)
    return _document(cliente)


def _document(cliente: Cliente) -> Iterator[bytes]:
    eventos = ClienteEventoSerializer(cliente_eventos(cliente=cliente), many=True).data
    yield b'{"generadoEn":' + _json(timezone.now())
    yield b',"cliente":' + _json(as_api_values(cliente))
    yield b',"eventos":' + _json(eventos)
    for name, documentos in documentos_details_of_cliente(cliente).items():
        yield b',"' + name.encode() + b'":'
        yield from _array(documentos.iterator(chunk_size=CHUNK_SIZE))
    yield b"}"


def _array(rows: Iterable[dict]) -> Iterator[bytes]:
    """A JSON array of ``rows``, one chunk of up to ``CHUNK_SIZE`` elements at a time."""
    yield b"["
    chunk: list[bytes] = []
    written = False
    for row in rows:
        chunk.append(_json(row))
        if len(chunk) == CHUNK_SIZE:
            yield (b"," if written else b"") + b",".join(chunk)
            chunk, written = [], True
    if chunk:
        yield (b"," if written else b"") + b",".join(chunk)
    yield b"]"


def _json(value) -> bytes:
    return orjson.dumps(value, option=OPTIONS)
