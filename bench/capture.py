"""Captures the SQL the service (a) runs per scenario, for the floor (c) to replay.

Each scenario's request is sent once through the real service in-process (Django's test
``Client``, ``config.settings``, the bench database) with ``connection.execute_wrapper``
recording every statement and its parameters. The floor then runs exactly those statements,
with the same client-side parameter binding Django uses, so (a) and (c) send PostgreSQL the
same SQL; only what differs per request is substituted: the token digest, and for writes the
body fields and the customer id (found by sending sentinel values).
"""

import hashlib
import json
import secrets
from datetime import date, datetime
from decimal import Decimal

from bench.scenarios import BENCH_DOC_PREFIX, Scenario


class CaptureError(RuntimeError):
    pass


def _sentinels(scenario: Scenario) -> tuple[dict | None, int | None]:
    tag = secrets.token_hex(6)
    if scenario.kind == "create":
        return {
            "nombre": f"Sentinela Nombre {tag}",
            "documento": f"{BENCH_DOC_PREFIX}SENT-{tag}",
            "email": f"sentinela.{tag}@example.com",
            "telefono": f"Sentinela Tel {tag}",
        }, None
    if scenario.kind == "update":
        body = {
            "nombre": f"Sentinela Nombre {tag}",
            "telefono": f"Sentinela Tel {tag}",
            "notas": f"Sentinela Notas {tag}",
        }
        return body, scenario.update_ids[-1]
    return None, None


def _encode(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"v": value}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    raise CaptureError(f"cannot replay a parameter of type {type(value).__name__}: {value!r}")


def _classify(value, *, digest: str, body: dict | None, cliente_id: int | None):
    if value == digest:
        return {"auth_digest": True}
    if body:
        for name, sentinel in body.items():
            if value == sentinel:
                return {"body": name}
            if isinstance(value, str) and sentinel in value:
                raise CaptureError(f"parameter {value!r} derives from body field {name}")
    if cliente_id is not None and value == cliente_id and not isinstance(value, bool):
        return {"path_id": True}
    return _encode(value)


def capture(scenarios: list[Scenario]) -> dict:
    """The floor's plan: per scenario, the statements (a) ran and how to fill their parameters."""
    from django.db import connection
    from django.test import Client

    from bench import capture_sales, floor_sales

    client = Client(HTTP_HOST="127.0.0.1")
    routes = []
    for scenario in scenarios:
        if scenario.kind in floor_sales.KINDS:
            routes.append(capture_sales.capture(client, scenario))
            continue
        body, cliente_id = _sentinels(scenario)
        path = scenario.path.replace("{id}", str(cliente_id)) if cliente_id else scenario.path
        headers = {"HTTP_AUTHORIZATION": f"Token {scenario.token}"}
        # Once untimed, so one-off work (connection set-up, caches) stays out of the capture.
        if scenario.kind in ("list", "historial"):
            client.generic(scenario.method, path, **headers)
        records = []

        def record(execute, sql, params, many, context, records=records):
            records.append((sql, params, many))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            data = json.dumps(body) if body is not None else ""
            response = client.generic(
                scenario.method, path, data=data, content_type="application/json", **headers
            )
        if response.status_code not in (200, 201):
            raise CaptureError(
                f"{scenario.name}: the service answered {response.status_code}: "
                f"{response.content[:300]!r}"
            )
        digest = hashlib.sha256(scenario.token.encode()).hexdigest()
        queries = []
        for sql, params, many in records:
            if many:
                raise CaptureError(f"{scenario.name}: executemany is not replayable")
            params = list(params or ())
            queries.append(
                {
                    "sql": sql,
                    "params": [
                        _classify(p, digest=digest, body=body, cliente_id=cliente_id)
                        for p in params
                    ],
                }
            )
        path_only, _, query = scenario.path.partition("?")
        routes.append(
            {
                "name": scenario.name,
                "kind": scenario.kind,
                "method": scenario.method,
                "path": path_only,
                "query": query,
                "digest": digest,
                "queries": queries,
            }
        )
    return {"routes": routes}
