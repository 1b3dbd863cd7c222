"""``make run`` stops the embedded PostgreSQL when its server stops: ``python -m
config.embedded_db stop`` ends the persistent cluster of the data directory, and leaves a
configured ``DATABASE_URL`` server alone."""

import os
import subprocess
from pathlib import Path

import psycopg

from config.embedded_db import start_embedded_database
from tests.operations.helpers import run_project


def stop(data_dir: Path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment |= {"DJANGO_DATA_DIR": str(data_dir), **env}
    return run_project("-m", "config.embedded_db", "stop", env=environment, timeout=60)


def test_stop_ends_the_persistent_embedded_cluster(tmp_path):
    socket_dir, name = start_embedded_database(tmp_path, throwaway=False)
    url = f"postgresql://postgres@/{name}?host={socket_dir}"
    psycopg.connect(url, connect_timeout=5).close()

    result = stop(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "detenido" in result.stdout
    assert not (tmp_path / "postgres" / "postmaster.pid").exists()
    assert stop(tmp_path).stdout == ""  # nothing left to stop


def test_stop_leaves_a_configured_server_alone(tmp_path):
    result = stop(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres")

    assert (result.returncode, result.stdout) == (0, "")
