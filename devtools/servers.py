"""The repository's one launcher of real servers: gunicorn with the production config file
(``config/gunicorn.conf.py``, as ``make run`` and the Docker image start it) on a free port of
127.0.0.1.

Its users are the tests that need a live server and the bench (``bench/servers.py`` starts its
three servers with ``Gunicorn``, ``bench/soak`` its one; both create their databases with
``devtools.databases.create_database``). It lives in ``devtools/``, beside both and in neither,
and ships in the image no more than they do (the image holds ``config/`` and the apps only).

- ``free_port()``: a TCP port of 127.0.0.1 that nothing listens on.
- The databases (``database_url``, ``database_exists``, ``create_database``) are in
  ``devtools.databases``.
- ``Gunicorn``: the server, started and stopped by its caller, with its log kept for failure
  messages; what differs between callers (application, environment, workers, port, readiness
  URL, runtime directory, log file) is a parameter.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port of 127.0.0.1 free when asked (the caller binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    status: int
    body: object  # the JSON body parsed, else the raw bytes
    headers: dict[str, str]
    seconds: float
    raw: bytes = b""  # the body as received (to compare answers byte for byte)

    def __repr__(self) -> str:
        return f"Answer({self.status}, {self.body!r}, {self.seconds:.2f}s)"


class Gunicorn:
    """The service as production runs it, on a free port of 127.0.0.1.

    ``app`` is the WSGI application (the service's unless a caller serves another, as the
    bench's floor). ``env`` adds to (or overrides) the server's environment, e.g.
    ``CORS_ALLOWED_ORIGINS``, ``DJANGO_SECURE_COOKIES``, ``DJANGO_ALLOWED_HOSTS``;
    ``base_env`` is what it adds to (``os.environ`` by default). ``workers`` sets
    ``WEB_CONCURRENCY``; ``None`` leaves it to the environment and the config file.
    ``start()`` returns once ``ready_path`` answers 200 and every worker is up (``launch()``
    and ``wait_ready()`` are its two halves, to start several servers side by side).
    ``runtime_dir`` becomes ``XDG_RUNTIME_DIR``: gunicorn >= 25.1 opens a control socket there
    (else in ~/.gunicorn/, shared with any ``make run`` on this machine). ``log_path`` keeps
    the log in that file; without it the log goes to a temporary file removed by ``stop()``.
    """

    def __init__(
        self,
        database_url: str,
        *,
        app: str = "config.wsgi:application",
        workers: int | None = 2,
        env: dict[str, str] | None = None,
        base_env: dict[str, str] | None = None,
        port: int | None = None,
        ready_path: str = "/healthz",
        runtime_dir: str | os.PathLike | None = None,
        log_path: str | os.PathLike | None = None,
    ):
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready_path = ready_path
        if log_path is None:
            self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept for the server's life
                prefix="gunicorn-test-", suffix=".log", delete=False
            )
            self._remove_log = True
        else:
            self._log = Path(log_path).open("wb")  # noqa: SIM115 - kept for the server's life
            self._remove_log = False
        self.log_path = Path(self._log.name)
        self.env = {
            **(os.environ if base_env is None else base_env),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": database_url,
        }
        if workers is not None:
            self.env["WEB_CONCURRENCY"] = str(workers)
        if runtime_dir is not None:
            self.env["XDG_RUNTIME_DIR"] = os.fspath(runtime_dir)
        self.env.update(env or {})
        self.env.pop("DJANGO_EMBEDDED_DB", None)
        # As config/gunicorn.conf.py counts them when WEB_CONCURRENCY is unset.
        self.workers = int(self.env.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)) * 2 + 1)
        self.process: subprocess.Popen | None = None

    def launch(self) -> Gunicorn:
        """Starts the master and returns at once; ``wait_ready()`` waits for it."""
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn)] if gunicorn.exists() else [sys.executable, "-m", "gunicorn"]
        self.process = subprocess.Popen(  # noqa: S603 - fixed command line
            [*command, "--config", "config/gunicorn.conf.py", self.app],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 45) -> Gunicorn:
        """Returns once ready; else stops the server and raises with the end of its log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.log()
                self.stop()
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode} ({self.log_path}):\n{log}"
                )
            if self._ready() and (len(self.worker_pids()) >= self.workers or not self._has_proc()):
                return self
            time.sleep(0.1)
        log = self.log()
        self.stop()
        raise RuntimeError(
            f"gunicorn did not answer {self.ready_path} in {timeout} s ({self.log_path}):\n{log}"
        )

    def start(self, timeout: float = 45) -> Gunicorn:
        """Starts the server and returns once it is ready."""
        return self.launch().wait_ready(timeout)

    def _ready(self) -> bool:
        try:
            return self.request("GET", self.ready_path, timeout=2).status == 200
        except (OSError, http.client.HTTPException):
            return False

    def stop(self) -> None:
        """SIGTERM, then SIGKILL to the whole session after 25 s; closes (or removes) the log."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)  # the session start() began
                self.process.wait(timeout=10)
        self._log.close()
        if self._remove_log:
            with contextlib.suppress(OSError):
                os.unlink(self.log_path)

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

    def log(self, tail: int = 5000) -> str:
        """The end of gunicorn's output (master and workers)."""
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
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
        return Answer(response.status, parsed, response_headers, seconds, raw)
