"""``python -m bench.webhooks``: how fast the worker delivers webhooks to a local receiver.

Throughput (a backlog delivered by 1, then 2 workers) and commit-to-delivery latency, on a
database of its own (bench/README.md, "Webhooks")."""

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson

from bench.inprocess import setup_django
from devtools.databases import create_database
from devtools.servers import BASE_DIR as ROOT

URL = "postgres://postgres@127.0.0.1:5432/clientes_bench_webhooks"


class Receiver:
    """Arrival time of each event (by ``datos.nombre``) at a local endpoint."""

    def __init__(self):
        self.arrivals: dict[str, float] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                nombre = orjson.loads(body)["datos"].get("nombre", "")
                receiver.arrivals.setdefault(nombre, time.monotonic())
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, count: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while len(self.arrivals) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return time.monotonic()


def start_workers(n: int) -> list[subprocess.Popen]:
    """``n`` real ``manage.py worker`` processes on the bench's database, allowed to deliver to
    the receiver's plain-HTTP, private address."""
    env = {**os.environ, "DATABASE_URL": URL, "DJANGO_LOG_LEVEL": "WARNING"}
    env |= {"WEBHOOKS_ALLOW_HTTP": "1", "WEBHOOKS_ALLOW_PRIVATE": "1"}
    command = [sys.executable, "manage.py", "worker"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    return [
        subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, **quiet)
        for _ in range(n)
    ]


def stop(workers: list[subprocess.Popen]) -> None:
    """SIGTERM to every worker, then wait for each (they finish their delivery first)."""
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(60)


def prepare(receiver: Receiver):
    """The database migrated; a new tenant subscribed to the receiver's ``cliente.creado``."""
    from django.core.management import call_command

    from tenants.models import Tenant
    from webhooks.models import Suscripcion
    from webhooks.signing import new_secret

    call_command("migrate", verbosity=0)
    tenant = Tenant.objects.create(nombre="Bench", slug=f"bench-{secrets.token_hex(4)}")
    Suscripcion.objects.create(
        tenant=tenant, url=receiver.url, tipos=["cliente.creado"], secreto=new_secret()
    )
    return tenant


def create(tenant, nombre: str) -> float:
    """One customer (its event in the same transaction); the time its commit returned."""
    from clientes.services import cliente_create

    cliente_create(tenant=tenant, nombre=nombre)
    return time.monotonic()


def throughput(tenant, receiver: Receiver, *, events: int, workers: int) -> dict:
    """A backlog of ``events`` made with no worker running, then delivered by ``workers``."""
    for n in range(events):
        create(tenant, f"lote-{workers}-{n}")
    started = time.monotonic()
    running = start_workers(workers)
    try:
        ended = receiver.wait_for(len(receiver.arrivals) + events, timeout=600)
    finally:
        stop(running)
    per_second = events / (ended - started)
    return {"events": events, "per_s": per_second, "per_worker": per_second / workers}


def latency(tenant, receiver: Receiver, *, rate: float, seconds: int, workers: int) -> dict:
    """Customers committed at ``rate`` a second: from each commit to its delivery."""
    running = start_workers(workers)
    time.sleep(3)  # the workers are up
    committed: dict[str, float] = {}
    try:
        for n in range(int(rate * seconds)):
            nombre = f"lat-{n}"
            committed[nombre] = create(tenant, nombre)
            time.sleep(1 / rate)
        deadline = time.monotonic() + 30
        while not all(name in receiver.arrivals for name in committed):
            assert time.monotonic() < deadline, "deliveries missing"
            time.sleep(0.05)
    finally:
        stop(running)
    waits = sorted((receiver.arrivals[n] - t) * 1000 for n, t in committed.items())
    return {
        "events": len(waits),
        "p50_ms": statistics.median(waits),
        "p99_ms": waits[max(0, int(len(waits) * 0.99) - 1)],
        "max_ms": waits[-1],
    }


def main(argv=None) -> int:
    """A database of its own, throughput with 1 and 2 workers, then latency with one."""
    p = argparse.ArgumentParser(prog="python -m bench.webhooks", description=__doc__.split("\n")[0])
    p.add_argument("--events", type=int, default=2000, help="backlog for the throughput run")
    p.add_argument("--rate", type=float, default=20, help="events per second, latency run")
    p.add_argument("--seconds", type=int, default=30, help="length of the latency run")
    args = p.parse_args(argv)
    create_database(URL, drop_first=True)
    setup_django(URL)
    receiver = Receiver()
    tenant = prepare(receiver)
    for workers in (1, 2):
        result = throughput(tenant, receiver, events=args.events, workers=workers)
        print(
            f"throughput: {result['events']} deliveries, {workers} worker(s): "
            f"{result['per_s']:.0f}/s, {result['per_worker']:.0f}/s per worker"
        )
    result = latency(tenant, receiver, rate=args.rate, seconds=args.seconds, workers=1)
    print(
        f"latency ({args.rate:g} events/s for {args.seconds} s, 1 worker): commit to delivery "
        f"p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, "
        f"max {result['max_ms']:.0f} ms ({result['events']} events)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
