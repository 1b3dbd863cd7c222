"""On Citus, every request of a tenant runs on that tenant's shard: no query of any API route
fans out to every shard (``citus_stat_counters``), whatever its filters, page or outcome.

The walk is the isolation test's (``tests/hardening/test_isolation.py``): every endpoint and
method of ``/api/``, as tenant B, on B's own objects and on A's (404), plus the lists with
each of their filters and a second page.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from clientes.models import Cliente
from tests.citus.conftest import multi_shard_executions
from tests.hardening.endpoints import api_endpoints, ids_for, path_for, schema_operations, send
from tests.hardening.isolation_world import build_world, client_b
from tests.hardening.test_isolation import body_of_b

LIST_QUERIES = {
    "/api/clientes": ["busqueda=cli", "busqueda=B-1", "limite=1"],
    "/api/ventas": ["cancelada=true", "desde=2020-01-01&hasta=2040-01-01", "limite=1"],
    "/api/cotizaciones": ["estado=PENDIENTE", "vencida=false", "limite=1"],
}


class Walk:
    """Requests of one client, each measured: the ones that ran a multi-shard query."""

    def __init__(self, client: APIClient):
        self.client = client
        self.fanned_out: list[str] = []
        self.requests = 0

    def send(self, method: str, path: str, body=None, **kwargs):
        before = multi_shard_executions()
        with CaptureQueriesContext(connection) as queries:
            response = send(self.client, method, path, body, **kwargs)
        self.requests += 1
        if multi_shard_executions() != before:
            statements = "\n    ".join(q["sql"][:300] for q in queries.captured_queries)
            self.fanned_out.append(f"{method} {path} ({response.status_code}):\n    {statements}")
        return response

    def pages(self, path: str) -> None:
        """A list and its next page, through the ``Link`` header."""
        response = self.send("GET", path)
        link = response.get("Link", "")
        if 'rel="next"' in link:
            self.send("GET", link[link.index("<") + 1 : link.index(">")])


@pytest.mark.django_db
def test_no_api_request_runs_on_more_than_one_shard(citus):
    world = build_world()
    schema = json.loads(APIClient().get("/api/schema/").content)
    operations = schema_operations(schema)
    walk = Walk(client_b(world))
    for n, endpoint in enumerate(api_endpoints()):
        for method in sorted(endpoint.methods):
            body = body_of_b(world, schema, operations, endpoint, method, n)
            if endpoint.params:
                walk.send(method, path_for(endpoint, ids_for(endpoint, world.objects_a)), body)
                model = endpoint.view_class.model
                objects_b = dict(world.objects_b)
                if method in {"POST", "DELETE"} and model in world.fresh_b:
                    objects_b[model] = world.fresh_b[model]()
                walk.send(method, path_for(endpoint, ids_for(endpoint, objects_b)), body)
            else:
                walk.send(method, path_for(endpoint, {}), body, key=f"walk-{n}-{method}")
    for path, queries in LIST_QUERIES.items():
        for query in queries:
            walk.pages(f"{path}?{query}")
    cliente = world.objects_b[Cliente].pk
    walk.pages(f"/api/ventas?cliente={cliente}&vendedor={world.user_b.pk}")
    walk.pages(f"/api/cotizaciones?cliente={cliente}")

    assert walk.requests > 60
    assert not walk.fanned_out, "multi-shard queries:\n" + "\n".join(walk.fanned_out)
