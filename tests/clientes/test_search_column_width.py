"""The generated search columns cannot overflow, whatever the collation (``clientes.0005``).

``upper()`` and ``lower()`` under an ICU collation apply Unicode's full case mapping, which can
lengthen a string: "ß" -> "SS", "ﬃ" -> "FFI", "İ" -> "i̇". A 50-character ``documento`` of "ß" has a
100-character canonical form, which a ``varchar(50)`` column refused ("value too long"), so
the customer could not be saved at all. The columns are ``text`` now.

The cases under ICU run on a database created with an ICU default collation and migrated by
``manage.py migrate`` like production. The embedded server is built without ICU, so under
``make test`` they use the machine's PostgreSQL (``ICU_POSTGRES_URL``, by default
``postgres://postgres@127.0.0.1:5432/postgres``); they are skipped only where no server with
ICU can be reached at all.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from devtools.databases import database_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ["documento_canonico", "texto_busqueda", "codigos_busqueda"]
SHARP_S = "ß" * 50  # the longest documento accepted, in letters whose upper case is two


MACHINE_SERVER = os.environ.get("ICU_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def icu_collation(conn) -> str | None:
    """A working ICU collation of ``conn``'s server (the root locale where it has one), or
    None (no ICU collation, or a build without ICU, like the embedded server's)."""
    row = conn.execute(
        "SELECT collname FROM pg_collation WHERE collprovider = 'i' "
        "ORDER BY collname <> 'und-x-icu', collname LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    try:
        conn.execute(f"SELECT upper('ß' COLLATE \"{row[0]}\")")
    except psycopg.Error:
        return None
    return row[0]


def icu_server() -> tuple[str, str] | None:
    """(admin URL, ICU collation) of a reachable server with ICU: the test database's own
    server first, then the machine's."""
    own = database_url({**connection.settings_dict, "NAME": "postgres"})
    for url in (own, MACHINE_SERVER):
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
                if collation := icu_collation(conn):
                    return url, collation
        except psycopg.OperationalError:
            continue
    return None


def test_every_generated_search_column_is_unbounded_text():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, character_maximum_length "
            "FROM information_schema.columns "
            "WHERE table_name = 'clientes_cliente' AND column_name = ANY(%s) "
            "ORDER BY column_name",
            [GENERATED],
        )
        columns = cursor.fetchall()

    assert columns == [(name, "text", None) for name in sorted(GENERATED)]


def test_the_expanding_case_fits_the_columns_types(icu_database):
    url, collation = icu_database
    _migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        canonical, folded = conn.execute(
            f'SELECT clientes_documento_canonico(%s COLLATE "{collation}"), '
            f'clientes_pliegue(%s COLLATE "{collation}")',
            [SHARP_S, "İ" * 200],
        ).fetchone()
        assert canonical == "SS" * 50  # twice the documento's limit
        assert folded == "i" * 200  # folded letter by letter first: lower() cannot expand it
        # A table with the very column types of clientes_cliente stores both.
        conn.execute("CREATE TEMP TABLE probe (LIKE clientes_cliente INCLUDING DEFAULTS)")
        conn.execute(
            "INSERT INTO probe (id, tenant_id, nombre, documento, creado_en, "
            "documento_canonico, texto_busqueda, codigos_busqueda) "
            "VALUES (1, 1, 'x', %s, now(), %s, %s, %s)",
            [SHARP_S, canonical, folded, canonical],
        )
        # The old type would have refused it.
        conn.execute("CREATE TEMP TABLE old_probe (documento_canonico varchar(50))")
        with pytest.raises(psycopg.errors.StringDataRightTruncation):
            conn.execute("INSERT INTO old_probe VALUES (%s)", [canonical])


# --- End to end, on a database whose default collation is ICU ----------------------------------


@pytest.fixture
def icu_database():
    """A new database with ICU ``und`` as its default collation, on a server with ICU;
    (its DATABASE_URL, an ICU collation name)."""
    server = icu_server()
    if server is None:
        missing = f"no PostgreSQL with ICU reachable (the test's own, nor {MACHINE_SERVER})"
        if os.environ.get("CI"):  # CI's servers have ICU: there the test must run
            pytest.fail(missing)
        pytest.skip(missing)
    admin_url, collation = server
    name = f"icu_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LOCALE_PROVIDER icu ICU_LOCALE 'und' LOCALE 'C.UTF-8'"
        )
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}", collation
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrate(url: str, *target: str) -> None:
    result = subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "manage.py", "migrate", *target, "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _insert_cliente(conn, tenant_id: int, documento: str) -> str:
    return conn.execute(
        "INSERT INTO clientes_cliente (tenant_id, nombre, documento) VALUES (%s, 'Cliente', %s) "
        "RETURNING documento_canonico",
        [tenant_id, documento],
    ).fetchone()[0]


def test_under_an_icu_collation_a_documento_that_expands_is_saved_and_stays_unique(icu_database):
    url, _ = icu_database
    _migrate(url)
    _migrate(url, "clientes", "0004")  # back to before the fix (varchar(50))
    with psycopg.connect(url, autocommit=True) as conn:
        tenant_id = conn.execute(
            "INSERT INTO tenants_tenant (slug, nombre, estado, zona_horaria, creado_en) "
            "VALUES ('icu', 'ICU', 'ACTIVA', 'UTC', now()) RETURNING id"
        ).fetchone()[0]
        with pytest.raises(psycopg.errors.StringDataRightTruncation):
            _insert_cliente(conn, tenant_id, SHARP_S)

    _migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        assert _insert_cliente(conn, tenant_id, SHARP_S) == "SS" * 50
        # The rule is unchanged: one customer per canonical document.
        assert _insert_cliente(conn, tenant_id, "Straße 1") == "STRASSE1"
        with pytest.raises(psycopg.errors.UniqueViolation):
            _insert_cliente(conn, tenant_id, "STRASSE-1")
