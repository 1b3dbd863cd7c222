"""The three servers, each a gunicorn on its own 127.0.0.1 port, same config file, same database.

They start through the repository's one launcher (``devtools.servers.Gunicorn``); this module adds
what only the bench needs: the production-like environment, the three applications, and the
workers' memory and CPU time (psutil).
"""

import contextlib
import os
import secrets
import threading
from pathlib import Path

import psutil

from devtools.servers import BASE_DIR as ROOT
from devtools.servers import Gunicorn

CITUS = "a_citus"  # the service (a) again, on the Citus cluster's database (``--citus``)
SERVER_NAMES = {"a": "service", "b": "naive", "c": "floor", CITUS: "citus"}
START_TIMEOUT = 60  # three servers start side by side on two cores

__all__ = [
    "CITUS",
    "ROOT",
    "SERVER_NAMES",
    "RssSampler",
    "Server",
    "make_citus_server",
    "make_servers",
]


def base_environment() -> dict:
    """Production environment: no DEBUG, no ``DJANGO_*`` of the caller's shell.

    ``WEB_CONCURRENCY``, ``GUNICORN_WORKER_CLASS`` and ``GUNICORN_THREADS`` pass through (the
    same for the three servers), so worker settings can be compared with this harness.
    """
    return {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "GUNICORN_BIND"
    }


class Server(Gunicorn):
    """One of the three servers: the launcher's gunicorn plus the bench's view of its workers."""

    def __init__(self, key: str, app: str, database_url: str, env: dict, log_path: Path):
        super().__init__(
            database_url,
            app=app,
            workers=None,  # WEB_CONCURRENCY from the environment, else the config file's count
            base_env=base_environment(),
            env=env,
            log_path=log_path,
        )
        self.key = key  # a | b | c
        self.peak_rss = 0

    @property
    def name(self) -> str:
        return SERVER_NAMES[self.key]

    def wait_ready(self, timeout: float = START_TIMEOUT) -> "Server":
        """As the launcher's, with the longer timeout three servers starting at once need."""
        return super().wait_ready(timeout)

    def worker_processes(self) -> list[psutil.Process]:
        """The master's children, as psutil sees them (empty once it has exited)."""
        try:
            return psutil.Process(self.pid).children()
        except psutil.NoSuchProcess:
            return []

    def worker_memory(self) -> list[dict]:
        """RSS and USS of each worker, in bytes."""
        out = []
        for worker in self.worker_processes():
            try:
                info = worker.memory_full_info()
                out.append({"pid": worker.pid, "rss": info.rss, "uss": info.uss})
            except psutil.Error:
                pass
        return out

    def busy_cpu(self) -> float:
        """CPU seconds the workers used so far (to see when they are idle)."""
        total = 0.0
        for worker in self.worker_processes():
            try:
                t = worker.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total


SERVICE = ("config.wsgi:application", {"DJANGO_SETTINGS_MODULE": "config.settings"})


def _environment() -> dict:
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "API_RATE_USER": "10000000/min",  # throttling out of the way
        "API_RATE_ANON": "10000000/min",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def make_servers(database_url: str, log_dir: Path) -> dict[str, Server]:
    """a (the service), b (naive) and c (the floor), not started yet. The floor gets the same
    environment (``DATABASE_URL``, ``API_RATE_USER``) and nothing else."""
    env = _environment()  # one key for the three
    apps = {
        "a": SERVICE,
        "b": ("config.wsgi:application", {"DJANGO_SETTINGS_MODULE": "bench.naive_settings"}),
        "c": ("bench.floor:application", {}),
    }
    return {
        key: Server(
            key, app, database_url, {**env, **extra}, log_dir / f"{key}-{SERVER_NAMES[key]}.log"
        )
        for key, (app, extra) in apps.items()
    }


def make_citus_server(database_url: str, log_dir: Path) -> Server:
    """The service as ``make_servers`` makes a, on the Citus coordinator's database."""
    app, extra = SERVICE
    return Server(
        CITUS, app, database_url, {**_environment(), **extra}, log_dir / f"{CITUS}-citus.log"
    )


class RssSampler(threading.Thread):
    """Samples the workers' RSS every second; keeps each server's peak."""

    def __init__(self, servers):
        super().__init__(daemon=True)
        self.servers = servers
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            for server in self.servers:
                for worker in server.worker_processes():
                    with contextlib.suppress(psutil.Error):
                        server.peak_rss = max(server.peak_rss, worker.memory_info().rss)

    def stop(self) -> None:
        self.stopped.set()
