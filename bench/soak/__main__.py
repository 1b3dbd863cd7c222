"""``python -m bench.soak``: the arguments, then the phases (database, seed, load, checks)."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dj_database_url
import psutil

import bench.soak
from bench.soak.checks import database_checks, verdict
from bench.soak.report import print_traffic, server_log_problems, write_json
from bench.soak.seed import seed
from devtools.servers import BASE_DIR, Gunicorn, create_database

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clientes_soak"
START_TIMEOUT = 60
MAX_WORKER_RSS_MB = 120  # issue 21: each gunicorn worker, after the soak


def parse_args(argv=None) -> argparse.Namespace:
    """The command line, with the pool size and the seed filled in."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=bench.soak.__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=int, default=300, help="concurrent clients (300)")
    parser.add_argument("--seconds", type=float, default=60, help="duration of the load (60)")
    parser.add_argument(
        "--connections",
        type=int,
        default=None,
        help="size of the shared keep-alive connection pool (default: one per client)",
    )
    parser.add_argument("--tenants", type=int, default=3, help="tenants (3)")
    parser.add_argument("--seed-clientes", type=int, default=150, help="customers per tenant")
    parser.add_argument("--database-url", default=os.environ.get("SOAK_DATABASE_URL"))
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (a free one)")
    parser.add_argument("--timeout", type=float, default=30, help="per-request timeout (s)")
    parser.add_argument("--seed", type=int, default=None, help="random seed")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    args.database_url = args.database_url or DEFAULT_DATABASE_URL
    args.connections = args.connections or args.clients
    args.seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    return args


def service_env(args) -> dict[str, str]:
    """The environment of ``migrate``, of this process's Django and of gunicorn: one secret key
    for the three, production settings."""
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DJANGO_EMBEDDED_DB", None)
    return env


def prepare_database(args, env: dict[str, str]) -> None:
    """The database created if missing and migrated; Django set up on it in this process."""
    if create_database(args.database_url):
        print(f"created database {dj_database_url.parse(args.database_url)['NAME']}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DJANGO_EMBEDDED_DB", None)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def seed_tenants(args):
    """The soak's tenants, members, tokens and customers (``seed.seed``), timed."""
    started = time.monotonic()
    states = seed(args, random.Random(args.seed))
    print(
        f"seeded {args.tenants} tenants, {sum(len(s.tokens) for s in states)} users/tokens, "
        f"{sum(len(s.ids) for s in states)} customers in {time.monotonic() - started:.1f} s"
    )
    return states


def run_against_gunicorn(args, env: dict[str, str], states, log_path: Path):
    """gunicorn started through the shared launcher, the load, its workers' memory read,
    gunicorn stopped: ((stats, seconds, pool), the largest worker RSS in MB)."""
    from bench.soak.load import run_load

    server = Gunicorn(
        args.database_url,
        workers=None,  # WEB_CONCURRENCY from the environment, else the config file's count
        port=args.port or None,
        ready_path="/readyz",
        env={k: env[k] for k in ("DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE")},
        log_path=log_path,
    )
    server.start(timeout=START_TIMEOUT)
    try:
        print(f"gunicorn pid {server.pid} on 127.0.0.1:{server.port}; load for {args.seconds:g} s")
        outcome = asyncio.run(run_load(args, server.port, states))
        return outcome, _largest_worker_rss_mb(server.pid)
    finally:
        server.stop()


def _largest_worker_rss_mb(master_pid: int) -> float:
    workers = psutil.Process(master_pid).children()
    return max((w.memory_info().rss for w in workers), default=0) / 2**20


def main(argv=None) -> int:
    """Database, seed, load, checks; exit status 1 when a check fails."""
    args = parse_args(argv)
    env = service_env(args)
    prepare_database(args, env)
    states = seed_tenants(args)
    log_path = Path(tempfile.gettempdir()) / f"soak-gunicorn-{os.getpid()}.log"
    (stats, elapsed, pool), rss_mb = run_against_gunicorn(args, env, states, log_path)

    checks = database_checks(states, stats)
    log_problems = server_log_problems(log_path.read_text(errors="replace"))
    print_traffic(args, stats, elapsed, pool)
    print(f"server log ({log_path}): {log_problems}")
    lines, ok = verdict(checks, stats)
    rss_ok = rss_mb <= MAX_WORKER_RSS_MB
    ok &= rss_ok
    lines.append(
        f"check worker RSS after the soak <= {MAX_WORKER_RSS_MB} MB: {rss_mb:.0f} MB "
        + ("OK" if rss_ok else "FAIL")
    )
    print("\n".join(lines))
    print("RESULT:", "PASS" if ok else "FAIL")
    if args.json:
        write_json(args.json, args, stats, elapsed, checks, log_problems, ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
