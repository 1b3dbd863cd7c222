"""The servers, each a gunicorn on its own 127.0.0.1 port (``devtools.servers.Gunicorn``), in
the production environment, with their workers' memory and CPU time (psutil)."""

import contextlib
import os
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
# Throttling out of the way (the launcher gives each server a random DJANGO_SECRET_KEY).
ENV = {"API_RATE_USER": "10000000/min", "API_RATE_ANON": "10000000/min"}


class Server(Gunicorn):
    """One server: the launcher's gunicorn plus the bench's view of its workers."""

    def __init__(self, key: str, database_url: str, log_dir: Path):
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
            env={**ENV, "PYTHONDONTWRITEBYTECODE": "1", **extra},
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

    def each_worker(self, read) -> list:
        """``read(worker)`` of each worker still there."""
        out = []
        for worker in self.worker_processes():
            with contextlib.suppress(psutil.Error):
                out.append(read(worker))
        return out

    def busy_cpu(self) -> float:
        """CPU seconds the workers used so far (to see when they are idle)."""
        return sum(self.each_worker(lambda w: sum(w.cpu_times()[:2])))

    def memory(self) -> dict:
        """The workers' memory after the run (RSS and USS) and the peak RSS sampled during it."""
        workers = self.each_worker(lambda w: (w.pid, w.memory_full_info()))
        workers = [{"pid": pid, "rss": info.rss, "uss": info.uss} for pid, info in workers]
        return {
            "workers": workers,
            "after_max_mb": max((m["rss"] for m in workers), default=0) / 2**20,
            "after_max_uss_mb": max((m["uss"] for m in workers), default=0) / 2**20,
            "peak_mb": self.peak_rss / 2**20,
        }


def make_servers(database_url: str, log_dir: Path) -> dict[str, Server]:
    """a (the service), b (naive) and c (the floor), not started yet."""
    return {key: Server(key, database_url, log_dir) for key in ("a", "b", "c")}


class RssSampler(threading.Thread):
    """Samples the workers' RSS every second; keeps each server's peak."""

    def __init__(self, servers):
        super().__init__(daemon=True)
        self.servers = servers
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            for server in self.servers:
                rss = server.each_worker(lambda w: w.memory_info().rss)
                server.peak_rss = max([server.peak_rss, *rss])

    def stop(self) -> None:
        self.stopped.set()
