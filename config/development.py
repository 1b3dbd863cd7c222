"""What a development process provides before the settings are read.

Settings only read the environment. The entry points (``manage.py``, ``config.wsgi``, the test
suite's ``config.pytest_plugin``) call :func:`provide_development_defaults` first, which fills
in, outside production only:

- ``DJANGO_SECRET_KEY``: a random key generated once and kept in ``<data dir>/secret_key``;
- ``DATABASE_URL``: the embedded PostgreSQL (``config.embedded_db``), started or reused.

In production (``DJANGO_ENV=production``) nothing is filled in, so a missing variable stops
the process at start with its name instead of giving every replica a key or a database of its
own.
"""

import os
import secrets
from urllib.parse import quote

from config.environment import PRODUCTION, data_dir, deployment, env_str


def provide_development_defaults() -> None:
    """Outside production, set the secret key and the database the environment leaves out."""
    if deployment() == PRODUCTION:
        return
    if not env_str("DJANGO_SECRET_KEY"):
        os.environ["DJANGO_SECRET_KEY"] = _generated_secret_key()
    if not env_str("DATABASE_URL"):
        os.environ["DATABASE_URL"] = _embedded_database_url()


def _generated_secret_key() -> str:
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _embedded_database_url() -> str:
    from config.embedded_db import start_embedded_database  # pgserver only when needed

    socket_dir, name = start_embedded_database(
        data_dir(), throwaway=env_str("DJANGO_EMBEDDED_DB") == "throwaway"
    )
    # A Unix socket directory as host is percent-encoded; dj_database_url decodes it.
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{name}"
