"""The servers, each a gunicorn on its own 127.0.0.1 port (``devtools.servers.Gunicorn``), in
the production environment, with their workers' memory and CPU time (psutil)."""

import contextlib
import os
import secrets
import threading
from pathlib import Path

import psutil

from devtools.servers import Gunicorn

CITUS = "a_citus"  # the service (a) again, on the Citus cluster's database (``--citus``)
SERVER_NAMES = {"a": "service", "b": "naive", "c": "floor", CITUS: "citus"}
START_TIMEOUT = 60  # three servers start side by side on two cores
SERVICE = ("config.wsgi:application", {"DJANGO_SETTINGS_MODULE": "config.settings"})
APPS = {  # the floor gets the service's environment (DATABASE_URL, API_RATE_USER) only
    "a": SERVICE,
    "b": ("config.wsgi:application", {"DJANGO_SETTINGS_MODULE": "bench.naive.settings"}),
    "c": ("bench.floor.app:application", {}),
    CITUS: SERVICE,
}


class Server(Gunicorn):
    """One server: the launcher's gunicorn plus the bench's view of its workers."""

    def __init__(self, key: str, database_url: str, log_dir: Path, env: dict):
        app, extra = APPS[key]
        super().__init__(
            database_url,
            app=app,
            workers=None,  # WEB_CONCURRENCY from the environment, else the config file's count
            # The caller's environment without DJANGO_* (WEB_CONCURRENCY, GUNICORN_WORKER_CLASS
            # and GUNICORN_THREADS pass through to every server).
            base_env={
                k: v
                for k, v in os.environ.items()
                if not k.startswith("DJANGO_") and k != "GUNICORN_BIND"
            },
            env={**env, **extra},
            log_path=log_dir / f"{key}-{SERVER_NAMES[key]}.log",
        )
        self.key = key
        self.name = SERVER_NAMES[key]
        self.peak_rss = 0

    def worker_processes(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.pid).children()
        except psutil.NoSuchProcess:
            return []

    def worker_memory(self) -> list[dict]:
        """RSS and USS of each worker, in bytes."""
        out = []
        for worker in self.worker_processes():
            with contextlib.suppress(psutil.Error):
                info = worker.memory_full_info()
                out.append({"pid": worker.pid, "rss": info.rss, "uss": info.uss})
        return out

    def busy_cpu(self) -> float:
        """CPU seconds the workers used so far (to see when they are idle)."""
        total = 0.0
        for worker in self.worker_processes():
            with contextlib.suppress(psutil.Error):
                t = worker.cpu_times()
                total += t.user + t.system
        return total


def environment() -> dict:
    """One secret key for the servers; throttling out of the way."""
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "API_RATE_USER": "10000000/min",
        "API_RATE_ANON": "10000000/min",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def make_servers(database_url: str, log_dir: Path) -> dict[str, Server]:
    """a (the service), b (naive) and c (the floor), not started yet."""
    env = environment()
    return {key: Server(key, database_url, log_dir, env) for key in ("a", "b", "c")}


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
