"""One HTTP attempt of a webhook: POST the body, signed, to an allowed address, within
``WEBHOOKS_TIMEOUT_SECONDS``; 2xx is success, anything else (a redirect too) a failure."""

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3

from core.errors import DomainError
from webhooks.addresses import public_addresses

ANSWER_BYTES = 4096  # read of the receiver's answer, at most: only its status matters


@dataclass(frozen=True)
class Attempt:
    status: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, body: bytes, headers: dict, *, timeout: float) -> Attempt:
    """POST ``body`` to ``url``, connecting to the address that was checked (not to whatever
    the name resolves to a moment later) and presenting the name for TLS and ``Host``."""
    started = time.monotonic()
    try:
        host, port, addresses = public_addresses(url)
        status = _send(url, host, port, addresses[0], body, headers, timeout)
    except DomainError as exc:
        return Attempt(None, exc.message, _since(started))
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return Attempt(None, _reason(exc), _since(started))
    error = None if 200 <= status < 300 else f"El receptor respondió {status}"
    return Attempt(status, error, _since(started))


def _send(url, host, port, address, body, headers, timeout) -> int:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    options = {"timeout": urllib3.Timeout(total=timeout), "retries": False, "maxsize": 1}
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, server_hostname=host, assert_hostname=host, **options
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    with pool:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "Host": host_header, "User-Agent": "clientes-webhooks/1"},
            redirect=False,
            preload_content=False,
        )
        response.read(ANSWER_BYTES)
        response.release_conn()
        return response.status


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    # A refused connection is a NewConnectionError, which urllib3 also makes a timeout.
    timed_out = isinstance(exc, urllib3.exceptions.TimeoutError | TimeoutError)
    if timed_out and not isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "El receptor no respondió a tiempo"
    return f"No se pudo entregar: {text[:300]}"


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
