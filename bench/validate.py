"""The checks before the load: every scenario once per server (plus two timed repeats).

Each answer must have the scenario's status; the floor's GET answers must be byte-identical to
the service's (body and ``Link``), its writes' answers must have the same JSON shape; naive's
lists are compared by row ids.
The best of the timed repeats sizes each server's runs (a slow server runs longer).
"""

import json

from bench.scenarios import Scenario, sample_body

REPEATS = 3  # the first request warms up; the best of the others is the latency


def _ask(server, scenario):
    """One request of ``scenario`` to ``server`` on a new connection (an ``Answer``)."""
    return server.request(
        scenario.method,
        scenario.example_path(),
        sample_body(scenario),
        token=scenario.token,
        timeout=300,
    )


def answers_of(servers, scenario, latency: dict, problems: list[str]) -> dict:
    """server key -> (body, Link header without the server's port); fills ``latency``."""
    answers = {}
    expected = 201 if scenario.method == "POST" else 200
    for key, server in servers.items():
        times = []
        for _ in range(REPEATS):
            answer = _ask(server, scenario)
            times.append(answer.seconds)
            if answer.status != expected:
                problems.append(
                    f"{scenario.name}: {server.name} answered {answer.status}: {answer.raw[:200]!r}"
                )
                break
        # The Link header names the server's own port: compare it without.
        link = answer.headers.get("link") or ""
        answers[key] = (answer.raw, link.replace(f":{server.port}/", ":PORT/"))
        latency[(scenario.name, key)] = min(times[1:] or times)
    return answers


def _naive_rows_note(scenario, answers: dict) -> str | None:
    """How naive's list compares with the service's, row ids by row ids."""
    try:
        ids_a = [r["id"] for r in json.loads(answers["a"][0])]
        ids_b = [r["id"] for r in json.loads(answers["b"][0])]
    except (ValueError, TypeError, KeyError):
        return None
    if ids_a == ids_b:
        return f"{scenario.name}: {len(ids_a)} rows, same from a and b"
    same = len(set(ids_a) & set(ids_b))
    return (
        f"{scenario.name}: naive answers {len(ids_b)} rows, the service {len(ids_a)}, "
        f"{same} in common (icontains folds neither accents nor punctuation)"
    )


def _shape(value, path: str = "") -> list[str]:
    """The JSON's structure, in order: one ``path: type`` per value (not the values)."""
    if isinstance(value, dict):
        return [line for key, item in value.items() for line in _shape(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [line for n, item in enumerate(value) for line in _shape(item, f"{path}.{n}")]
    return [f"{path}: {type(value).__name__}"]


def write_check(scenario: Scenario, answers: dict) -> str | None:
    """For a write checked on a and c (``answers``: server key -> (body, link)): a note when
    the floor's answer has the service's shape (same fields in the same order, same types and
    list lengths; ids, numbers, times and amounts differ per request), else a problem."""
    if scenario.method == "GET" or not all(key in answers for key in "ac"):
        return None
    shapes = [_shape(json.loads(answers[key][0])) for key in "ac"]
    differ = [(a, c) for a, c in zip(*shapes, strict=False) if a != c and not _null(a, c)]
    if len(shapes[0]) == len(shapes[1]) and not differ:
        return "same JSON shape from a and c (fields, order, types, list lengths)"
    return f"the floor's answer has another JSON shape than the service's: {differ[:1]}"


def _null(a: str, c: str) -> bool:
    """The same path, null in one of them (e.g. a quotation with or without notas)."""
    path_a, type_a = a.rsplit(": ", 1)
    path_c, type_c = c.rsplit(": ", 1)
    return path_a == path_c and "NoneType" in (type_a, type_c)


def validate(servers, scenarios) -> tuple[dict, list[str], list[str]]:
    """(latency by (scenario, server), notes, problems) of one pass over the scenarios."""
    latency, notes, problems = {}, [], []
    identical = 0
    gets = 0
    for scenario in scenarios:
        answers = answers_of(servers, scenario, latency, problems)
        if scenario.method == "GET" and all(k in answers for k in "ac"):
            gets += 1
            if answers["a"] == answers["c"]:
                identical += 1
            else:
                problems.append(
                    f"{scenario.name}: the floor's answer differs from the service's "
                    f"({len(answers['c'][0])} vs {len(answers['a'][0])} bytes)"
                )
        elif (note := write_check(scenario, answers)) is not None:
            (notes if note.startswith("same") else problems).append(f"{scenario.name}: {note}")
        lists = scenario.kind == "list" and all(k in answers for k in "ab")
        if lists and (note := _naive_rows_note(scenario, answers)) is not None:
            notes.append(note)
    notes.insert(
        0, f"floor answers byte-identical to the service's on {identical}/{gets} GET scenarios"
    )
    return latency, notes, problems
