"""``python -m bench.soak``: the arguments, then the phases (database, seed, load, checks)."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

import psutil

import bench.soak
from bench.inprocess import setup_django
from bench.soak.load import run_load
from bench.soak.report import (
    database_checks,
    print_traffic,
    server_log_problems,
    verdict,
    write_json,
)
from bench.soak.seed import seed
from devtools.databases import create_database
from devtools.servers import Gunicorn

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clientes_soak"
START_TIMEOUT = 60
MAX_WORKER_RSS_MB = 120  # issue 21: each gunicorn worker, after the soak


def parse_args(argv=None) -> argparse.Namespace:
    """The command line, with the pool size and the seed filled in."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=bench.soak.__doc__.split("\n")[0]
    )
    add = parser.add_argument
    add("--clients", type=int, default=300, help="concurrent clients (300)")
    add("--seconds", type=float, default=60, help="duration of the load (60)")
    add(
        "--connections",
        type=int,
        help="size of the shared keep-alive connection pool (default: one per client)",
    )
    add("--tenants", type=int, default=3, help="tenants (3)")
    add("--seed-clientes", type=int, default=150, help="customers per tenant")
    add("--database-url", default=os.environ.get("SOAK_DATABASE_URL") or DEFAULT_DATABASE_URL)
    add("--port", type=int, default=0, help="gunicorn port (a free one)")
    add("--timeout", type=float, default=30, help="per-request timeout (s)")
    add("--seed", type=int, default=secrets.randbelow(2**31), help="random seed")
    add("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    args.connections = args.connections or args.clients
    return args


def main(argv=None) -> int:
    """Database created if missing and migrated, seed, load against one gunicorn started
    through the shared launcher, checks; exit status 1 when a check fails."""
    args = parse_args(argv)
    if create_database(args.database_url):
        print(f"created database {args.database_url.rsplit('/', 1)[-1]}")
    setup_django(args.database_url, bench_rates=False)  # gunicorn inherits the environment
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started = time.monotonic()
    states = seed(args, random.Random(args.seed))
    print(
        f"seeded {args.tenants} tenants, {sum(len(s.tokens) for s in states)} users/tokens, "
        f"{sum(len(s.ids) for s in states)} customers in {time.monotonic() - started:.1f} s"
    )
    log_path = Path(tempfile.gettempdir()) / f"soak-gunicorn-{os.getpid()}.log"
    server = Gunicorn(
        args.database_url,
        workers=None,  # WEB_CONCURRENCY from the environment, else the config file's count
        port=args.port or None,
        ready_path="/readyz",
        env={k: os.environ[k] for k in ("DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE")},
        log_path=log_path,
    ).start(timeout=START_TIMEOUT)
    try:
        print(f"gunicorn pid {server.pid} on 127.0.0.1:{server.port}; load for {args.seconds:g} s")
        stats, elapsed, pool = asyncio.run(run_load(args, server.port, states))
        workers = psutil.Process(server.pid).children()
        rss_mb = max((w.memory_info().rss for w in workers), default=0) / 2**20
    finally:
        server.stop()

    checks = database_checks(states, stats)
    log_problems = server_log_problems(log_path.read_text(errors="replace"))
    print_traffic(args, stats, elapsed, pool)
    print(f"server log ({log_path}): {log_problems}")
    lines, ok = verdict(checks, stats)
    rss_ok = rss_mb <= MAX_WORKER_RSS_MB
    lines.append(
        f"check worker RSS after the soak <= {MAX_WORKER_RSS_MB} MB: {rss_mb:.0f} MB "
        + ("OK" if rss_ok else "FAIL")
    )
    print("\n".join(lines))
    print("RESULT:", "PASS" if ok and rss_ok else "FAIL")
    if args.json:
        write_json(args.json, args, stats, elapsed, checks, log_problems, ok and rss_ok)
    return 0 if ok and rss_ok else 1


if __name__ == "__main__":
    sys.exit(main())
