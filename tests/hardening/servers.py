"""Real servers for fault tests: gunicorn with the production config, and a TCP proxy to the
database that a test can cut and restore without touching the shared PostgreSQL server.

- ``database_url(settings_dict, ...)``: a ``DATABASE_URL`` for the database the test uses
  (the test database of pytest-django, on the embedded server's Unix socket or on TCP).
- ``DbProxy``: forwards ``127.0.0.1:<port>`` to the database (TCP or Unix socket). ``down()``
  closes every connection and refuses new ones; ``blackhole()`` accepts connections and never
  answers (a database that is there but does not respond); ``up()`` restores service.
- ``Gunicorn``: ``gunicorn --config config/gunicorn.conf.py config.wsgi:application`` on a free
  port, started and stopped by the test, with its log kept for failure messages.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(
    settings_dict: dict,
    *,
    host: str | None = None,
    port: int | str | None = None,
    application_name: str | None = None,
) -> str:
    """``postgres://`` URL of ``settings_dict``'s database (NAME is the test database's name).

    A Unix socket directory as host is percent-encoded, which ``dj_database_url`` turns back
    into ``HOST``. ``host``/``port`` override the server's address (e.g. a proxy).
    """
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = host if host is not None else (settings_dict.get("HOST") or "")
    port = port if port is not None else (settings_dict.get("PORT") or "")
    netloc = quote(host, safe="") if host.startswith("/") else host
    if port:
        netloc += f":{port}"
    query = {"application_name": application_name} if application_name else {}
    url = f"postgres://{credentials}{netloc}/{quote(settings_dict['NAME'], safe='')}"
    return f"{url}?{urlencode(query)}" if query else url


def upstream_address(settings_dict: dict) -> tuple[int, object]:
    """(socket family, address) of the database server of ``settings_dict``."""
    host = settings_dict.get("HOST") or "/var/run/postgresql"
    port = int(settings_dict.get("PORT") or 5432)
    if host.startswith("/"):
        return socket.AF_UNIX, os.path.join(host, f".s.PGSQL.{port}")
    return socket.AF_INET, (host, port)


class DbProxy:
    """A TCP proxy in front of the database, in a background thread of the test process."""

    def __init__(self, settings_dict: dict):
        self.family, self.address = upstream_address(settings_dict)
        self.port = free_port()
        self.mode = "down"
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._acceptor: threading.Thread | None = None

    # -- control -------------------------------------------------------------------------------
    def up(self) -> None:
        """Forward new connections to the database."""
        self._close_connections()
        self.mode = "forward"
        self._listen()

    def down(self) -> None:
        """The database is gone: every connection is closed and new ones are refused."""
        self.mode = "down"
        self._stop_listening()
        self._close_connections()

    def blackhole(self) -> None:
        """The database does not answer: connections are closed, new ones accepted and ignored."""
        self._close_connections()
        self.mode = "blackhole"
        self._listen()

    def close(self) -> None:
        self.down()

    # -- internals -----------------------------------------------------------------------------
    def _listen(self) -> None:
        if self._listener is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener
        self._acceptor = threading.Thread(target=self._accept_loop, args=(listener,), daemon=True)
        self._acceptor.start()

    def _stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is None:
            return
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)
        listener.close()

    def _accept_loop(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            self._track(client)
            if self.mode == "blackhole":
                continue  # held open, never answered
            try:
                upstream = socket.socket(self.family, socket.SOCK_STREAM)
                upstream.connect(self.address)
            except OSError:
                self._discard(client)
                continue
            self._track(upstream)
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._discard(source)
            self._discard(target)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv()
        sock.close()

    def _close_connections(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            self._discard(sock)


@dataclass
class Answer:
    status: int
    body: object
    headers: dict[str, str]
    seconds: float

    def __repr__(self) -> str:
        return f"Answer({self.status}, {self.body!r}, {self.seconds:.2f}s)"


class Gunicorn:
    """The service as production runs it, on a free port of 127.0.0.1."""

    def __init__(self, database_url: str, *, workers: int = 2, env: dict | None = None):
        self.port = free_port()
        self.workers = workers
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept for the server's life
            prefix="gunicorn-test-", suffix=".log", delete=False
        )
        self.env = {
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "DJANGO_SECRET_KEY": "clave-solo-para-pruebas-de-fallos-" + "x" * 32,
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": database_url,
            **(env or {}),
        }
        self.env.pop("DJANGO_EMBEDDED_DB", None)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 45) -> Gunicorn:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
        self.process = subprocess.Popen(  # noqa: S603 - fixed command line
            [*command, "--config", "config/gunicorn.conf.py", "config.wsgi:application"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            if self._healthy() and (
                len(self.worker_pids()) >= self.workers or not self._has_proc()
            ):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout} s:\n{self.log()}")

    def _healthy(self) -> bool:
        try:
            return self.request("GET", "/healthz", timeout=2).status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()
        with contextlib.suppress(OSError):
            os.unlink(self._log.name)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _has_proc(self) -> bool:
        return Path(f"/proc/{self.pid}/task/{self.pid}/children").exists()

    def worker_pids(self) -> set[int]:
        """The master's child processes (Linux); empty where /proc cannot tell."""
        try:
            text = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
        except OSError:
            return set()
        return {int(pid) for pid in text.split()}

    def log(self, tail: int = 4000) -> str:
        try:
            return Path(self._log.name).read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        token: str | None = None,
        timeout: float = 15,
    ) -> Answer:
        """One request on a new connection (so consecutive requests spread over the workers)."""
        headers = {"Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            seconds = time.monotonic() - started
            response_headers = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw
        return Answer(response.status, parsed, response_headers, seconds)
