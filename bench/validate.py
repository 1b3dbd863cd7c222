"""The checks before the load: each scenario sent to each server (once, plus two timed repeats
whose best sizes its runs); the floor's answers against the service's, naive's rows too."""

import json

REPEATS = 3  # the first request warms up; the best of the others is the latency


def answers_of(servers, scenario, latency: dict, problems: list[str]) -> dict:
    """server key -> (body, Link header without the server's port); fills ``latency``."""
    answers = {}
    expected = 201 if scenario.method == "POST" else 200
    for key, server in servers.items():
        times = []
        for _ in range(REPEATS):
            body = scenario.body() if scenario.body else None
            path = scenario.example_path()
            answer = server.request(scenario.method, path, body, token=scenario.token, timeout=300)
            times.append(answer.seconds)
            if answer.status != expected:
                problems.append(
                    f"{scenario.name}: {server.name} answered {answer.status}: {answer.raw[:200]!r}"
                )
                break
        link = answer.headers.get("link") or ""
        answers[key] = (answer.raw, link.replace(f":{server.port}/", ":PORT/"))
        latency[(scenario.name, key)] = min(times[1:] or times)
    return answers


def _rows_note(name: str, answers: dict) -> str | None:
    """How naive's list compares with the service's, row ids by row ids (lists only)."""
    try:
        ids_a, ids_b = ([r["id"] for r in json.loads(answers[k][0])] for k in "ab")
    except (ValueError, TypeError, KeyError):
        return None
    if ids_a == ids_b:
        return f"{name}: {len(ids_a)} rows, same from a and b"
    return (
        f"{name}: naive answers {len(ids_b)} rows, the service {len(ids_a)}, "
        f"{len(set(ids_a) & set(ids_b))} in common (icontains folds neither accents nor "
        "punctuation)"
    )


def _shape(value, path: str = "") -> list[str]:
    """The JSON's structure, in order: one ``path: type`` per value (not the values)."""
    if isinstance(value, dict):
        return [line for key, item in value.items() for line in _shape(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [line for n, item in enumerate(value) for line in _shape(item, f"{path}.{n}")]
    return [f"{path}: {type(value).__name__}"]


def _null(a: str, c: str) -> bool:
    """The same path, null in one of them (e.g. a quotation with or without notas)."""
    (path_a, type_a), (path_c, type_c) = a.rsplit(": ", 1), c.rsplit(": ", 1)
    return path_a == path_c and "NoneType" in (type_a, type_c)


def same_shape(answers: dict) -> tuple[bool, str]:
    """Whether the floor's answer to a write has the service's JSON shape (same fields in the
    same order, same types and list lengths), and what to say of it."""
    shapes = [_shape(json.loads(answers[key][0])) for key in "ac"]
    differ = [(a, c) for a, c in zip(*shapes, strict=False) if a != c and not _null(a, c)]
    if len(shapes[0]) == len(shapes[1]) and not differ:
        return True, "same JSON shape from a and c (fields, order, types, list lengths)"
    return False, f"the floor's answer has another JSON shape than the service's: {differ[:1]}"


def validate(servers, scenarios) -> tuple[dict, list[str], list[str]]:
    """(latency by (scenario, server), notes, problems) of one pass over the scenarios."""
    latency, notes, problems = {}, [], []
    identical = gets = 0
    for scenario in scenarios:
        answers = answers_of(servers, scenario, latency, problems)
        if all(k in answers for k in "ac") and scenario.method == "GET":
            gets += 1
            identical += answers["a"] == answers["c"]
            if answers["a"] != answers["c"]:
                problems.append(
                    f"{scenario.name}: the floor's answer differs from the service's "
                    f"({len(answers['c'][0])} vs {len(answers['a'][0])} bytes)"
                )
        elif all(k in answers for k in "ac"):
            same, note = same_shape(answers)
            (notes if same else problems).append(f"{scenario.name}: {note}")
        lists = scenario.method == "GET" and all(k in answers for k in "ab")
        if lists and (note := _rows_note(scenario.name, answers)):
            notes.append(note)
    notes.insert(
        0, f"floor answers byte-identical to the service's on {identical}/{gets} GET scenarios"
    )
    return latency, notes, problems
