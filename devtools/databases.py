"""The PostgreSQL databases the launcher's servers serve: the ``DATABASE_URL`` of pytest-django's
test database, and a database of a URL checked or created through the server's ``postgres``
database. Used by ``devtools.servers``' callers (the tests that need a live server, the bench).

- ``database_url(settings_dict, ...)``: a ``DATABASE_URL`` for the database of
  ``settings_dict`` (the test database of pytest-django, on the embedded server's Unix socket
  or on TCP), checked to parse back to the same settings.
- ``database_exists(url)``, ``create_database(url, drop_first=...)``: the database of a
  ``DATABASE_URL``, checked or created.
"""

from urllib.parse import quote, urlencode

import dj_database_url


def database_url(
    settings_dict: dict,
    *,
    host: str | None = None,
    port: int | str | None = None,
    application_name: str | None = None,
) -> str:
    """``postgres://`` URL of ``settings_dict``'s database (NAME is the test database's name).

    A Unix socket directory as host is percent-encoded, which ``dj_database_url`` turns back
    into ``HOST``. ``host``/``port`` override the server's address (e.g. a proxy);
    ``application_name`` tags the server's connections in ``pg_stat_activity``.
    """
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    if host is None:
        host = settings_dict.get("HOST") or settings_dict.get("OPTIONS", {}).get("host") or ""
    port = str(port if port is not None else (settings_dict.get("PORT") or ""))

    if password:
        credentials = f"{quote(user, safe='')}:{quote(password, safe='')}@"
    else:
        credentials = f"{quote(user, safe='')}@" if user else ""
    netloc = quote(host, safe="") if host.startswith("/") else host
    if port:
        netloc += f":{port}"
    url = f"postgres://{credentials}{netloc}/{quote(settings_dict['NAME'], safe='')}"
    if application_name:
        url += "?" + urlencode({"application_name": application_name})

    parsed = dj_database_url.parse(url)
    expected = {
        "NAME": settings_dict["NAME"],
        "USER": user,
        "PASSWORD": password,
        "HOST": host,
        "PORT": port,
    }
    for key, value in expected.items():
        if str(parsed[key] or "") != str(value or ""):
            raise ValueError(f"{url} parses to {key}={parsed[key]!r}, not {value!r}")
    return url


def _admin_connection(url: str):
    """An autocommit connection to the ``postgres`` database of ``url``'s server."""
    import psycopg

    settings = dj_database_url.parse(url)
    params = {
        "dbname": "postgres",
        "user": settings.get("USER"),
        "password": settings.get("PASSWORD"),
        "host": settings.get("HOST") or settings.get("OPTIONS", {}).get("host"),
        "port": settings.get("PORT"),
    }
    return psycopg.connect(
        **{k: v for k, v in params.items() if v}, connect_timeout=10, autocommit=True
    )


def database_exists(url: str) -> bool:
    """Whether the server of ``url`` has a database of ``url``'s name."""
    name = dj_database_url.parse(url)["NAME"]
    with _admin_connection(url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def create_database(url: str, *, drop_first: bool = False) -> bool:
    """CREATE DATABASE of ``url``'s name unless it exists; True when it was created.

    ``drop_first`` drops it before (``WITH (FORCE)``: its open connections are ended), so the
    database is always new.
    """
    from psycopg import sql

    if not drop_first and database_exists(url):
        return False
    name = sql.Identifier(dj_database_url.parse(url)["NAME"])
    with _admin_connection(url) as conn:
        if drop_first:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return True
