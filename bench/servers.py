"""The three servers, each a gunicorn on its own 127.0.0.1 port, same config file, same database."""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SERVER_NAMES = {"a": "service", "b": "naive", "c": "floor"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_environment(database_url: str) -> dict:
    """Production environment: no DEBUG, real secret, throttling out of the way.

    ``WEB_CONCURRENCY``, ``GUNICORN_WORKER_CLASS`` and ``GUNICORN_THREADS`` pass through (the
    same for the three servers), so worker settings can be compared with this harness.
    """
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "GUNICORN_BIND"
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        API_RATE_USER="10000000/min",
        API_RATE_ANON="10000000/min",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@dataclass
class Server:
    key: str  # a | b | c
    app: str
    env: dict
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    peak_rss: int = 0

    @property
    def name(self) -> str:
        return SERVER_NAMES[self.key]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "config/gunicorn.conf.py",
                self.app,
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited ({self.process.returncode}); see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200 and len(self.workers()) >= self.expected_workers():
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s; see {self.log_path}")

    def expected_workers(self) -> int:
        return int(self.env.get("WEB_CONCURRENCY", os.cpu_count() * 2 + 1))

    def workers(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []

    def worker_memory(self) -> list[dict]:
        out = []
        for worker in self.workers():
            try:
                info = worker.memory_full_info()
                out.append({"pid": worker.pid, "rss": info.rss, "uss": info.uss})
            except psutil.Error:
                pass
        return out

    def busy_cpu(self) -> float:
        """CPU seconds the workers used so far (to see when they are idle)."""
        total = 0.0
        for worker in self.workers():
            try:
                t = worker.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # gunicorn's master stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for worker in self.workers():
                    worker.kill()
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()


def make_servers(database_url: str, plan_path: Path, log_dir: Path) -> dict[str, Server]:
    env = base_environment(database_url)
    return {
        "a": Server(
            "a",
            "config.wsgi:application",
            {**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            log_dir / "a-service.log",
        ),
        "b": Server(
            "b",
            "config.wsgi:application",
            {**env, "DJANGO_SETTINGS_MODULE": "bench.naive_settings"},
            log_dir / "b-naive.log",
        ),
        "c": Server(
            "c",
            "bench.floor:application",
            {**env, "BENCH_FLOOR_PLAN": str(plan_path)},
            log_dir / "c-floor.log",
        ),
    }


class RssSampler(threading.Thread):
    """Samples the workers' RSS every second; keeps each server's peak."""

    def __init__(self, servers):
        super().__init__(daemon=True)
        self.servers = servers
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            for server in self.servers:
                for worker in server.workers():
                    with contextlib.suppress(psutil.Error):
                        server.peak_rss = max(server.peak_rss, worker.memory_info().rss)

    def stop(self) -> None:
        self.stopped.set()
