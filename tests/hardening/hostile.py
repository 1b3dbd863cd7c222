"""The hostile-input suite's target, limits and checks: every malformed request to the customers
API gets a clear 4xx JSON answer (``assert_error``) and writes nothing (``nothing_written``)."""

import json
from contextlib import contextmanager

from tests.hardening.conftest import data_snapshot

URL = "/api/clientes"
LIMITS = {
    "nombre": 200,
    "documento": 50,
    "email": 254,
    "telefono": 50,
    "direccion": 300,
    "notas": 5000,
}
TEXT_FIELDS = tuple(LIMITS)
MAX_BODY = 1024 * 1024
BIGINT = 2**63 - 1


@contextmanager
def nothing_written():
    before = data_snapshot()
    yield
    assert data_snapshot() == before, "the request wrote to the database"


def assert_error(response, status: int, field: str | None = None) -> dict:
    """A JSON error answer with ``status``, a Spanish ``error``, ``detalles`` only on 400."""
    assert response.status_code < 500, (response.status_code, response.content[:300])
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].split(";")[0] == "application/json", response["Content-Type"]
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str) and body["error"], body
    assert "Traceback" not in body["error"]
    if status == 400 and "detalles" in body:
        assert isinstance(body["detalles"], dict), body
        assert all(
            isinstance(msgs, list) and all(isinstance(m, str) for m in msgs)
            for msgs in body["detalles"].values()
        ), body
    if status != 400:
        assert "detalles" not in body, body
    if field is not None:
        assert field in body.get("detalles", {}), body
    return body


def raw(client, method: str, path: str, body: bytes, content_type="application/json", **extra):
    return getattr(client, method)(path, data=body, content_type=content_type, **extra)


def write_targets(cliente):
    """(method, path) of every write: create, and both spellings of update."""
    return [("post", URL), ("put", f"{URL}/{cliente.pk}"), ("patch", f"{URL}/{cliente.pk}")]
