"""Soak: several hundred concurrent clients of mixed reads and writes against gunicorn.

    .venv/bin/python -m bench.soak --clients 300 --seconds 60 [--database-url URL]

Starts gunicorn with the production config (``config/gunicorn.conf.py``; ``WEB_CONCURRENCY``
etc. from the environment) through the shared launcher (``devtools.servers``) against
``--database-url`` (default ``postgres://postgres@127.0.0.1:5432/clientes_soak``; the database
is created if missing and migrated with ``manage.py migrate``), creates fresh tenants with one
member and API token per client, seeds customers, sales and quotations, then runs
``--clients`` asyncio clients that share a bounded pool of keep-alive HTTP connections to
127.0.0.1 for ``--seconds``:

- reads: list, search (``busqueda``), retrieve, historial;
- writes: create (random ``documento``s, some of them deliberately colliding, in punctuation
  variants), partial update (sometimes moving a ``documento`` onto a taken one).

It stops by itself and reports the requests, the rate, the answers by status and operation,
the latencies and the errors. Then it checks the database: the customers of the soak's tenants
are exactly the seeded ones plus one per 201 answer (nothing lost, nothing doubled), no
``documento`` is stored twice in a tenant, and no 5xx happened. Exit status 1 if a check fails.
Not part of the test suite.

Modules: ``__main__`` (arguments and the phases), ``seed`` (tenants, tokens, customers),
``pool`` (the keep-alive HTTP connections), ``load`` (the clients and their operation mix),
``checks`` (the database afterwards), ``report`` (what is printed, and the JSON).
"""
