"""Fuzz the whole OpenAPI schema with schemathesis against the WSGI application, every check on.

The schema is loaded from the running application (``GET /api/schema/``), so every documented
operation is fuzzed (customers, sales, quotations and their transitions): its examples, the
coverage phase's boundary cases and random fuzzing, positive and negative inputs, with a
bounded number of examples per operation; then the stateful phase chains operations along the
schema's OpenAPI links (create a customer, sell to them, cancel the sale, quote, convert …).
A token-authenticated ADMIN of a tenant that has customers, sales and quotations in every
state makes every call; path ids are often real ids of that tenant's rows of the operation's
resource (so the 200 paths are exercised) or of another tenant (whose data must never show).

Required: every one of schemathesis' checks passes on every answer (``--checks all``): no
server error; documented status, content type, headers and body; a schema-valid request is
never rejected and a schema-invalid one never accepted; the documented auth is enforced; an
unsupported method is a 405 with ``Allow``; a created resource can be fetched.
"""

import json
from collections import Counter

import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks

from config.wsgi import application
from tests.hardening.test_schemathesis_world import (
    OTHER_MARK,
    REAL_IDS,
    follow_unstated_rules,
)
from tests.hardening.test_schemathesis_world import fuzz_world as fuzz_world
from tests.hardening.test_schemathesis_world import (
    wsgi_keeps_test_transaction as wsgi_keeps_test_transaction,
)

MAX_EXAMPLES = 25
STATEFUL_SCENARIOS = 30
STATEFUL_STEPS = 6
load_all_checks()
# Every built-in check, the way `schemathesis run --checks all` selects them.
ALL_CHECKS = [check for check in CHECKS.get_all() if not isinstance(check, type)]
SUPPRESSED = [
    HealthCheck.too_slow,
    HealthCheck.filter_too_much,
    HealthCheck.function_scoped_fixture,
    HealthCheck.data_too_large,
]

STATS = {
    "cases": Counter(),  # (phase, mode) -> answered cases
    "checks": 0,
    "failures": [],
    "server_errors": 0,
    "by_status": Counter(),
    "stateful": Counter(),  # answers of the stateful phase, by operation and status
    "own_ids": set(),
}
# The sales and quotations operations; each must be fuzzed with real ids of the shop too.
DOCUMENT_OPERATIONS = {
    "GET /api/ventas/{id}",
    "POST /api/ventas/{id}/cancelar",
    "GET /api/cotizaciones/{id}",
    "POST /api/cotizaciones/{id}/cancelar",
    "POST /api/cotizaciones/{id}/convertir",
}

# The schema as the application serves it, loaded once at collection (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.update(continue_on_failure=True)
schema.config.generation.update(max_examples=MAX_EXAMPLES)


def resource_of(path: str) -> str:
    """``/api/ventas/{id}/cancelar`` -> ``ventas``."""
    return path.split("/")[2]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, point ``{id}`` at a real row of the operation's resource (a customer,
    sale or quotation: own, or the neighbour's)."""
    if not isinstance(path_parameters, dict) or "id" not in path_parameters:
        return st.just(path_parameters)
    resource = resource_of(context.operation.path)

    def real(index: int) -> dict:
        ids = REAL_IDS.get(resource) or [path_parameters["id"]]
        return {**path_parameters, "id": ids[index % len(ids)]}

    return st.one_of(st.just(path_parameters), st.integers(0, 10**6).map(real))


def record(case, response, world: dict) -> None:
    """Count the answer and check that the neighbour's data never shows."""
    meta = case.meta
    STATS["cases"][(meta.phase.name.value, meta.generation.mode.value)] += 1
    STATS["checks"] += len(ALL_CHECKS)
    STATS["server_errors"] += response.status_code >= 500
    key = f"{case.method} {case.path} {response.status_code}"
    STATS["by_status"][key] += 1
    if meta.phase.name.value == "stateful":
        STATS["stateful"][key] += 1
    assert OTHER_MARK not in response.text, (case.method, case.path, response.text)
    resource = resource_of(case.path)
    is_json = response.headers.get("Content-Type", [""])[0].startswith("application/json")
    if resource in world["foreign"] and response.status_code in (200, 201) and is_json:
        body = json.loads(response.content)
        rows = body if isinstance(body, list) else [body]
        ids = {row.get("id") for row in rows if isinstance(row, dict)}
        assert world["foreign"][resource] not in ids, (case.method, case.path, ids)
    if (case.path_parameters or {}).get("id") in world["own"].get(resource, ()):
        STATS["own_ids"].add(f"{case.method} {case.path}")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=SUPPRESSED)
def test_api_conforms_to_its_schema(case, fuzz_world, wsgi_keeps_test_transaction):
    headers = {"Authorization": f"Token {fuzz_world['token']}"}
    follow_unstated_rules(case)
    response = case.call(headers=headers)
    record(case, response, fuzz_world)
    validate(case, response, headers=headers)


def validate(case, response, **kwargs) -> None:
    """Run every check on the answer; a failure is also kept for the report."""
    try:
        case.validate_response(response, checks=ALL_CHECKS, **kwargs)
    except Exception as failure:
        STATS["failures"].append(f"{case.method} {case.path}: {failure}")
        raise


class Workflows(schema.as_state_machine()):
    """The stateful phase: sequences that follow the schema's links, every check on each
    step (the stateful ones, such as a created resource being available, included)."""

    world: dict = {}

    def setup(self) -> None:
        """Each scenario starts from the fixture's data (inside a savepoint), so the same
        choices meet the same answers when Hypothesis replays or shrinks a scenario."""
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()

    def teardown(self) -> None:
        """Undo what the scenario wrote."""
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)
        super().teardown()

    def get_call_kwargs(self, case) -> dict:
        """Each step is made by the shop's ADMIN."""
        return {"headers": {"Authorization": f"Token {self.world['token']}"}}

    def before_call(self, case) -> None:
        """Positive steps obey the rules the schema cannot state."""
        follow_unstated_rules(case)

    def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
        """Every check, with the scenario's recorder (for the checks that look back)."""
        record(case, response, self.world)
        validate(
            case,
            response,
            headers=kwargs.get("headers"),
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


def test_stateful_workflows_conform_to_the_schema(fuzz_world, wsgi_keeps_test_transaction):
    Workflows.world = fuzz_world
    Workflows.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            suppress_health_check=SUPPRESSED,
        )
    )


def test_report_fuzzing_figures(capsys):
    """Prints the figures of the runs above (they run before it, in file order)."""
    with capsys.disabled():
        phases = ", ".join(f"{p}/{m}: {n}" for (p, m), n in sorted(STATS["cases"].items()))
        print(
            f"\n[schemathesis] {sum(STATS['cases'].values())} cases ({phases}); "
            f"{len(ALL_CHECKS)} checks, {STATS['checks']} check applications, "
            f"{len(STATS['failures'])} failures; "
            f"{STATS['server_errors']} server errors"
        )
        print(", ".join(f"{k}: {v}" for k, v in sorted(STATS["by_status"].items())))
        print("stateful:", ", ".join(f"{k}: {v}" for k, v in sorted(STATS["stateful"].items())))
    assert STATS["server_errors"] == 0
    assert not STATS["failures"], STATS["failures"]
    fuzzed = {key.rsplit(" ", 1)[0] for key in STATS["by_status"]}
    collections = {"GET /api/ventas", "POST /api/ventas", "GET /api/cotizaciones"}
    assert fuzzed >= {*collections, "POST /api/cotizaciones", *DOCUMENT_OPERATIONS}, fuzzed
    assert STATS["own_ids"] >= DOCUMENT_OPERATIONS, STATS["own_ids"]
    # The stateful phase followed links: ids it was answered reached their routes.
    linked = {k for k in STATS["stateful"] if "{id}" in k and k.endswith((" 200", " 201"))}
    assert linked, STATS["stateful"]
    created = {k for k, n in STATS["by_status"].items() if k.endswith(" 201")}
    assert {"POST /api/ventas 201", "POST /api/cotizaciones 201"} <= created, created
