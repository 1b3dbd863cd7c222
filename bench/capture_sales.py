"""Capture of the sales writes for the floor: the service's token and rate-limit statements.

``create_venta`` and ``convertir`` are sent once through the real service in-process, as
every scenario (``bench/capture.py``); the floor replays the statements that authenticate the
caller and count the request (those on ``tenants_apitoken`` and ``tenants_ratelimit``, with the
token's digest substituted) and then writes the sale itself (``bench/floor_sales.py``). The
route keeps the caller (tenant, id, name, role) as the constants of the token it is bound to,
and, for reference, every statement the service ran.
"""

import hashlib
import json

from bench.capture import CaptureError, _classify
from bench.scenarios import Scenario, sample_body

PREFIX_TABLES = ("tenants_apitoken", "tenants_ratelimit")


def capture(client, scenario: Scenario) -> dict:
    """The floor's route of one sales write scenario, sent with Django's test ``client``."""
    from django.db import connection

    from tenants.models import ApiToken

    body = sample_body(scenario)
    path = scenario.example_path()
    headers = {"HTTP_AUTHORIZATION": f"Token {scenario.token}"}
    data = json.dumps(body) if body is not None else ""

    records = []

    def record(execute, sql, params, many, context):
        records.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.generic(
            scenario.method, path, data=data, content_type="application/json", **headers
        )
    if response.status_code != 201:
        raise CaptureError(
            f"{scenario.name}: the service answered {response.status_code}: "
            f"{response.content[:300]!r}"
        )
    digest = hashlib.sha256(scenario.token.encode()).hexdigest()
    prefix = [r for r in records if any(t in r[0] for t in PREFIX_TABLES)]
    if prefix != records[: len(prefix)] or not prefix:
        raise CaptureError(
            f"{scenario.name}: the token and rate-limit statements do not come first"
        )
    user = ApiToken.objects.select_related("user").get(digest=digest).user
    return {
        "name": scenario.name,
        "kind": scenario.kind,
        "method": scenario.method,
        "path": scenario.path,
        "query": "",
        "digest": digest,
        "queries": [
            {
                "sql": sql,
                "params": [
                    _classify(p, digest=digest, body=None, cliente_id=None) for p in params or ()
                ],
            }
            for sql, params, _ in prefix
        ],
        "tenant_id": user.tenant_id,
        "user_id": user.pk,
        "user_nombre": user.nombre,
        "rol": user.rol,
        "service_statements": [sql for sql, _, _ in records],
    }
