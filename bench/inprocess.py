"""Django in the bench's own process: on the bench database, or for a while on another one."""

import contextlib
import os
import secrets
import sys

from devtools.servers import BASE_DIR


def setup_django(url: str, *, bench_rates: bool = True) -> None:
    """Django in this process, on the database of ``url`` (the scenarios use the models), in
    the production settings; ``bench_rates``: throttling out of the way."""
    os.environ.pop("DJANGO_DEBUG", None)
    os.environ.pop("DJANGO_EMBEDDED_DB", None)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
    )
    if bench_rates:
        os.environ.update(API_RATE_USER="10000000/min", API_RATE_ANON="10000000/min")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


@contextlib.contextmanager
def django_on(url: str):
    """Django's default database is the one of ``url`` inside the block (same settings, the
    URL's name, host, port, user and password); the previous one is back afterwards."""
    import dj_database_url
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    previous = connections["default"]
    previous.close()
    parsed = dj_database_url.parse(url)
    settings = dict(previous.settings_dict)
    settings.update({key: parsed[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")})
    connections["default"] = previous.__class__(settings, "default")
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = previous
        ContentType.objects.clear_cache()
