"""The one registry of scenarios: every family's, in order; what a run does with them all."""

from bench.scenarios import customers, sales
from bench.scenarios.base import Scenario

FAMILIES = {"customers": customers, "sales": sales}


def prepare(dataset, scale) -> dict:
    """Every family's fixtures (Django set up on the scenarios' database)."""
    return {name: family.prepare(dataset, scale) for name, family in FAMILIES.items()}


def build(dataset, fixtures: dict, only: set[str] | None = None) -> list[Scenario]:
    """Every scenario (``only``: those named), each family's in its order."""
    scenarios = []
    for name, family in FAMILIES.items():
        for scenario in family.build(dataset, fixtures[name]):
            scenario.family = name
            scenarios.append(scenario)
    return [s for s in scenarios if not only or s.name in only]


def finish(conn, dataset, fixtures: dict) -> int:
    """What the scenarios made removed (psycopg connection); the customers deleted."""
    return sum(f.finish(conn, dataset, fixtures[name]) for name, f in FAMILIES.items())
