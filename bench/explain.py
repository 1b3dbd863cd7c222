"""``EXPLAIN (ANALYZE, BUFFERS)`` of the read statements of the service (a) and the floor (c).

Each GET scenario is sent once to (a), in-process (Django's test ``Client``, the statements
recorded with ``connection.execute_wrapper``), and once to (c), in-process (its WSGI app
called directly, on a connection whose cursors record their statements); every statement
but the token's is then explained with its values. So the file shows what each one's SQL
costs, side by side. Run by ``python -m bench`` after the load (written next to the
results), or alone on a loaded database: ``python -m bench.explain [--scale full]``. Reads
only (the token statements, which count the request, are not explained).
"""

import argparse
import io
import sys

import psycopg

SKIPPED = ("tenants_apitoken", "tenants_ratelimit")  # the token's statement, not the read's


def explain(url: str, scenarios, only: set[str] | None = None) -> str:
    """The plans of every GET scenario's statements, on (a) then on (c)."""
    out = []
    with psycopg.connect(
        url, autocommit=True, cursor_factory=psycopg.ClientCursor, options="-c TimeZone=UTC"
    ) as conn:
        for scenario in scenarios:
            if scenario.method != "GET" or (only and scenario.name not in only):
                continue
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

    client = Client(HTTP_HOST="127.0.0.1")
    with connection.execute_wrapper(record):
        client.get(scenario.example_path(), HTTP_AUTHORIZATION=f"Token {scenario.token}")
    return statements


class _Recording(psycopg.Cursor):
    """A cursor that keeps what it runs (in ``statements``, reset per request)."""

    statements: list = []

    def execute(self, query, params=None, **kwargs):
        """As ``Cursor.execute``, recorded."""
        self.statements.append((query, params))
        return super().execute(query, params, **kwargs)


def _floor(url: str, scenario) -> list[tuple]:
    """The statements (c) runs for ``scenario``: its WSGI app called in this process."""
    from bench import floor

    if getattr(floor._local, "conn", None) is None:
        floor._local.conn = floor.connect(url, cursor_factory=_Recording)
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
    floor.application(environ, lambda status, headers: None)
    return _Recording.statements


def main(argv=None) -> int:
    """Alone: bench users and tokens made as a run makes them, the plans printed."""
    p = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__)
    p.add_argument("--scale", default="small")
    p.add_argument("--database-url")
    p.add_argument("--only", help="comma-separated scenario names")
    args = p.parse_args(argv)
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/clientes_bench_{args.scale}"

    from bench import dataset as data
    from bench import scenarios as sc
    from bench.inprocess import setup_django
    from bench.scales import SCALES

    scale = SCALES[args.scale]
    state, dataset = data.inspect(url, scale)
    if state != "reuse":
        print(f"no complete {args.scale} data set: run python -m bench first", file=sys.stderr)
        return 2
    setup_django(url)
    fixtures = sc.prepare(dataset, scale)
    try:
        scenarios = sc.build(dataset, fixtures)
        print(explain(url, scenarios, set(args.only.split(",")) if args.only else None))
    finally:
        sc.cleanup(dataset, fixtures, final=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
