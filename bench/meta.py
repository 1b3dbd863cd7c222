"""What a result says about its run: machine, versions, git revision, data set, load settings."""

import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import psycopg

from bench import dataset as data
from devtools.servers import BASE_DIR as ROOT


def machine() -> str:
    """Cores, CPU model and memory of this machine, in one line."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores ({model or platform.machine()}), {mem:.0f} GB RAM"


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def git_revision() -> str:
    """Short HEAD, with ``+changes`` when tracked files differ from it."""
    try:
        dirty = _git("status", "--porcelain", "--untracked-files=no")
        return _git("rev-parse", "--short", "HEAD") + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def describe(run, dataset: data.Dataset, workers: int) -> dict:
    """The ``meta`` block of a result: where, with what, on which data, under which load."""
    scale = run.scale
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
        "command": "python -m bench " + " ".join(run.argv) if run.argv else "python -m bench",
        "database": data.database_name(run.url),
        "dataset": (
            f"{dataset.counts['customers']:,} customers ({scale.big_customers:,} in the big "
            f"tenant, {scale.small_tenants} tenants × {scale.small_customers:,}), "
            f"{dataset.counts['sales']:,} sales ({scale.hot_sales:,} of one customer), "
            f"{dataset.counts['quotations']:,} quotations"
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
