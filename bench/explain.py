"""``EXPLAIN (ANALYZE, BUFFERS)`` of the statements of every GET scenario, as the service (a)
runs them (Django's test ``Client`` in this process) and as the floor (c) does (its WSGI app
called here), side by side; the token's statement left out (bench/README.md, "Output")."""

import io

import psycopg

SKIPPED = ("tenants_apitoken", "tenants_ratelimit")  # the token's statement, not the read's


def explain(url: str, scenarios) -> str:
    """The plans of every GET scenario's statements, on (a) then on (c)."""
    out = []
    with psycopg.connect(
        url, autocommit=True, cursor_factory=psycopg.ClientCursor, options="-c TimeZone=UTC"
    ) as conn:
        for scenario in (s for s in scenarios if s.method == "GET"):
            for key, statements in (("a", _service(scenario)), ("c", _floor(url, scenario))):
                for sql, params in statements:
                    if any(table in sql for table in SKIPPED):
                        continue
                    with conn.cursor() as cur:
                        statement = cur.mogrify(sql, params)
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
                        lines = [row[0] for row in cur.fetchall()]
                    title = f"=== {scenario.name} · {key} ({'service' if key == 'a' else 'floor'})"
                    out.append(f"{title}\n{statement.strip()}\n\n" + "\n".join(lines) + "\n")
    return "\n".join(out)


def _service(scenario) -> list[tuple]:
    """The statements (a) runs for ``scenario``: sent once through Django in this process."""
    from django.db import connection
    from django.test import Client

    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        Client(HTTP_HOST="127.0.0.1").get(
            scenario.example_path(), HTTP_AUTHORIZATION=f"Token {scenario.token}"
        )
    return statements


class _Recording(psycopg.Cursor):
    """A cursor that keeps what it runs (in ``statements``, reset per request)."""

    statements: list = []

    def execute(self, query, params=None, **kwargs):
        self.statements.append((query, params))
        return super().execute(query, params, **kwargs)


def _floor(url: str, scenario) -> list[tuple]:
    """The statements (c) runs for ``scenario``: its WSGI app called in this process."""
    from bench.floor import app

    if getattr(app._local, "conn", None) is None:
        app._local.conn = app.connect(url, cursor_factory=_Recording)
    _Recording.statements = []
    path, _, query = scenario.example_path().partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Token {scenario.token}",
        "wsgi.input": io.BytesIO(),
    }
    app.application(environ, lambda status, headers: None)
    return _Recording.statements
