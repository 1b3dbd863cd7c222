"""What only the fault tests need besides the generic servers of ``devtools/servers.py``: a TCP
proxy to the database that a test can cut and restore without touching the shared PostgreSQL
server.

- ``DbProxy``: forwards ``127.0.0.1:<port>`` to the database (TCP or Unix socket). ``down()``
  closes every connection and refuses new ones; ``blackhole()`` accepts connections and never
  answers (a database that is there but does not respond); ``up()`` restores service.

gunicorn reaches it through ``database_url(settings_dict, host="127.0.0.1", port=proxy.port)``
(``devtools.servers``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading

from devtools.servers import free_port


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
