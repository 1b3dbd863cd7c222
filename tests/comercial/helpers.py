"""The HTTP vocabulary of the document tests (sales and quotations): bodies, requests, answers,
``Idempotency-Key`` replays, and the clock. What a kind of document adds is its ``Kind``."""

from datetime import UTC, datetime, timedelta

from tests.clientes.helpers import (  # noqa: F401  (re-exported for the document tests)
    assert_iso_utc,
    assert_validation_error,
    ids,
    next_link,
    parse_iso,
    query_of,
)
from tests.hardening.conftest import data_snapshot

ITEMS = [
    {"descripcion": "Cemento gris 50 kg", "cantidad": 2.5, "precioUnitario": 32900},
    {"descripcion": "Arena lavada m3", "cantidad": 1, "precioUnitario": 85000.5},
]
LINE = ITEMS[0]
OMIT = object()  # a field value that leaves the field out of the body

KEY = "caja-1:venta/2026-12-03#42"
OTRA_SOLICITUD = {"error": "La clave de idempotencia ya se usó con otra solicitud"}
BODY = {"items": ITEMS, "notas": "Entregar el lunes"}  # what the idempotency tests send


# -- bodies and requests ---------------------------------------------------------------------


def item(descripcion="Cemento gris 50 kg", cantidad=1, precio=1000) -> dict:
    return {"descripcion": descripcion, "cantidad": cantidad, "precioUnitario": precio}


def create_body(*items, **fields) -> dict:
    """A create body with ``items`` (default: one line) plus ``fields``; a field given as
    ``OMIT`` is left out."""
    body = {"items": list(items) or [item()], **fields}
    return {name: value for name, value in body.items() if value is not OMIT}


def post(client, url: str, body, key: str | None = None):
    """POST ``body`` as JSON, with ``Idempotency-Key: key`` when a key is given."""
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(url, body, format="json", **headers)


def post_raw(client, url: str, text: str):
    """POST a JSON text as written, so numbers never pass through a Python float."""
    return client.post(url, text, content_type="application/json")


def created(response) -> dict:
    """The body of a 201."""
    assert response.status_code == 201, response.content
    return response.json()


def written() -> dict:
    """Every tenant-owned row of every tenant: a refused request changes none."""
    return data_snapshot()


# -- answers ---------------------------------------------------------------------------------


def ref(user_or_cliente) -> dict:
    """How a document names a customer or a user."""
    return {"id": user_or_cliente.pk, "nombre": user_or_cliente.nombre}


def event_types(body: dict) -> list[str]:
    return [evento["tipo"] for evento in body["eventos"]]


def without_detail(body: dict) -> dict:
    """A detail as a list row shows it: without items and events, with ``cantidadItems``."""
    row = {k: v for k, v in body.items() if k not in {"items", "eventos"}}
    row["cantidadItems"] = len(body["items"])
    return row


def replayed(response) -> bool:
    return response.headers.get("Idempotent-Replayed") == "true"


def assert_replay_of(replay, original) -> None:
    """Same status, same bytes, same Location and content type; marked as a replay."""
    assert replay.status_code == original.status_code, replay.content
    assert replay.content == original.content
    assert replay.headers.get("Location") == original.headers.get("Location")
    assert replay["Content-Type"] == original["Content-Type"]
    assert replayed(replay) and not replayed(original)


# -- the clock -------------------------------------------------------------------------------


def frozen_now() -> datetime:
    """A whole-second instant a minute ahead of the real clock, to freeze time at: rows the
    database stamps with its own clock (``creado_en``) stay before it."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


def second_after(body: dict) -> datetime:
    """The whole second after a document's ``creadoEn``: a moment of the same day (but for
    the last second of one) to freeze time at."""
    return parse_iso(body["creadoEn"]).replace(microsecond=0) + timedelta(seconds=1)


def iso(when: datetime) -> str:
    """A time as the API writes it (UTC with ``Z``)."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")
