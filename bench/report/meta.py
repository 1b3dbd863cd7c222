"""What a result says about its run: machine, versions, git revision, data set, load settings."""

import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import psycopg

from bench.data.dataset import database_name
from devtools.servers import BASE_DIR


def machine() -> str:
    """Cores, CPU model and memory of this machine, in one line."""
    model = ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
        model = next(
            (ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), ""
        )
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores ({model or platform.machine()}), {mem:.0f} GB RAM"


def git_revision() -> str:
    """Short HEAD, with ``+changes`` when tracked files differ from it."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        dirty = git("status", "--porcelain", "--untracked-files=no")
        return git("rev-parse", "--short", "HEAD") + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def describe(run, dataset, workers: int) -> dict:
    """The ``meta`` block of a result: where, with what, on which data, under which load."""
    scale, counts = run.scale, dataset.counts
    with psycopg.connect(run.url) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": scale.name,
        "machine": machine(),
        "postgres": pg_version,
        "wrk": wrk.split("[")[0].strip(),
        "python": platform.python_version(),
        "git": git_revision(),
        "command": " ".join(["python -m bench", *run.argv]),
        "database": database_name(run.url),
        "dataset": (
            f"{counts['customers']:,} customers ({scale.big_customers:,} in the big tenant, "
            f"{scale.small_tenants} tenants × {scale.small_customers:,}), {counts['sales']:,} "
            f"sales ({scale.hot_sales:,} of one customer), {counts['quotations']:,} quotations"
        ),
        "load_seconds": dataset.load_seconds,
        "connections": run.connections,
        "threads": run.threads,
        "duration": run.duration,
        "rounds": run.rounds,
        "workers": workers,
        "worker_class": (
            f"{os.environ.get('GUNICORN_WORKER_CLASS', 'sync')}"
            f" × {os.environ.get('GUNICORN_THREADS', '1')} threads"
        ),
        "elapsed_seconds": round(time.monotonic() - run.started),
    }
