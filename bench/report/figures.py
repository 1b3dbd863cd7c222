"""The figures of a run: per scenario and server, the ratios, the issues' targets."""

import statistics

from bench.servers import CITUS

SERVERS = ("a", "b", "c")
RSS_LIMIT_MB = 120
SEARCHES = ("search_rare", "search_common", "search_accent", "search_phone")
TARGETS = (  # (scenario, ratio of req/s, goal): issue 4; issue 10 for the sales writes
    ("list_big", "a/c", 0.6),
    ("list_big", "a/b", 3),
    ("list_small", "a/c", 0.6),
    ("list_small", "a/b", 3),
    *((name, "a/b", 20) for name in SEARCHES),
    ("historial", "a/b", 5),
    ("create_venta", "a/c", 0.4),
    ("convertir", "a/c", 0.4),
)


def figures(mine: list[dict]) -> dict:
    """Of the runs of one server on one scenario: req/s over all of them, median p50/p99."""
    seconds = sum(r["seconds"] for r in mine)
    return {
        "rps": sum(r["requests"] - r["status"] for r in mine) / seconds if seconds else 0.0,
        "p50_ms": statistics.median(r["p50_us"] for r in mine) / 1000,
        "p99_ms": statistics.median(r["p99_us"] for r in mine) / 1000,
        "requests": sum(r["requests"] for r in mine),
        "errors": sum(r["errors"] for r in mine),
        "rounds": len(mine),
    }


def _ratio(top, bottom):
    return top / bottom if top and bottom else None


def _of(runs, name: str, sides) -> dict:
    """Each side's figures (``sides``: (label, server key)) on scenario ``name``."""
    row = {}
    for label, key in sides:
        if mine := [r for r in runs if r["scenario"] == name and r["server"] == key]:
            row[label] = figures(mine)
    return row


def summarize(runs: list[dict], scenarios) -> list[dict]:
    """One row per scenario: req/s over all rounds, median p50/p99, ratios of req/s."""
    rows = []
    for s in scenarios:
        row = {"name": s.name, "title": s.title, "group": s.group}
        row.update(_of(runs, s.name, [(key, key) for key in SERVERS]))
        a, b, c = (row.get(k, {}).get("rps") for k in SERVERS)
        rows.append({**row, "a_over_b": _ratio(a, b), "a_over_c": _ratio(a, c)})
    return rows


def citus_block(side, runs: list[dict]) -> dict:
    """The ``citus`` block of a result: the service on the single server (a's very runs) and
    on the cluster, measured in the same rounds, and Citus / single of req/s and of p50."""
    rows = []
    for name in side.scenarios:
        row = {"name": name, **_of(runs, name, (("single", "a"), ("citus", CITUS)))}
        single, cluster = row.get("single", {}), row.get("citus", {})
        row["citus_over_single"] = _ratio(cluster.get("rps"), single.get("rps"))
        row["p50_citus_over_single"] = _ratio(cluster.get("p50_ms"), single.get("p50_ms"))
        rows.append(row)
    return {**side.about, "scenarios": list(side.scenarios), "summary": rows, "rss": side.rss}


def _check(name: str, value, goal: float, *, higher_is_better: bool, unit: str = "x") -> dict:
    if value is None:
        return {"target": name, "value": None, "goal": goal, "met": False, "note": "not measured"}
    met = value >= goal if higher_is_better else value <= goal
    note = "met" if met else f"missed by {abs(1 - value / goal) * 100:.0f}%"
    shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.0f} {unit}"
    return {"target": name, "value": value, "shown": shown, "goal": goal, "met": met, "note": note}


def targets(rows: list[dict], rss: dict) -> list[dict]:
    """The issues' targets, each met or missed (those of the scenarios measured)."""
    by_name = {r["name"]: r for r in rows}
    checks = [
        _check(f"{name}: {ratio} >= {goal:g}", by_name[name][key], goal, higher_is_better=True)
        for name, ratio, goal in TARGETS
        if name in by_name and (key := ratio.replace("/", "_over_"))
    ]
    if "cursor_first" in by_name and "cursor_deep" in by_name:
        first, deep = (
            by_name[n].get("a", {}).get("p50_ms") for n in ("cursor_first", "cursor_deep")
        )
        ratio = deep / first if first and deep else None
        checks.append(
            _check("cursor deep p50 / page-1 p50 (a) <= 1.5", ratio, 1.5, higher_is_better=False)
        )
    checks.append(
        _check(
            f"worker RSS after run (a) <= {RSS_LIMIT_MB} MB",
            rss.get("a", {}).get("after_max_mb"),
            RSS_LIMIT_MB,
            higher_is_better=False,
            unit="MB",
        )
    )
    return checks
