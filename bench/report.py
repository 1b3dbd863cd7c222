"""What a run leaves: its figures and the issues' targets, the terminal tables, the JSON, the PNG
and ``results/README.md`` (the only file the bench writes outside a run's own ones)."""

import json
import statistics
from pathlib import Path

from bench.servers import CITUS

SERVERS = ("a", "b", "c")
RSS_LIMIT_MB = 120
SEARCHES = ("search_rare", "search_common", "search_accent", "search_phone")
TARGETS = (  # (scenario, ratio of req/s, goal): issue 4, then issue 21 (lean request path)
    ("list_big", "a/c", 0.6),
    ("list_big", "a/b", 3),
    ("list_small", "a/c", 0.6),
    ("list_small", "a/b", 3),
    *((name, "a/b", 20) for name in SEARCHES),
    ("historial", "a/b", 5),
    ("create", "a/c", 0.5),
    ("list_ventas", "a/c", 0.6),
    ("list_cotizaciones", "a/c", 0.6),
    ("create_venta", "a/c", 0.5),
    ("convertir", "a/c", 0.5),
)
SEARCH_P50_LIMIT = 1.5  # issue 21: a search's p50 within 1.5 times the floor's
TITLES = ("scenario", "a req/s", "b req/s", "c req/s", "a p50", "b p50", "c p50")
TITLES += ("a p99", "b p99", "c p99", "a/b", "a/c")
WIDTHS = (18, 9, 9, 9, 8, 9, 8, 8, 9, 8, 8, 6)
CITUS_TITLES = ("scenario", "single req/s", "Citus req/s", "single p50", "Citus p50")
CITUS_TITLES += ("single p99", "Citus p99", "Citus/single")
CITUS_WIDTHS = (18, 13, 12, 11, 10, 11, 10, 13)


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


def _check(name: str, value, goal: float, *, lower: bool = False, unit: str = "x") -> dict:
    """One target: met or missed, and by how much (``lower``: lower values are better)."""
    if value is None:
        return {"target": name, "value": None, "goal": goal, "met": False, "note": "not measured"}
    met = value <= goal if lower else value >= goal
    note = "met" if met else f"missed by {abs(1 - value / goal) * 100:.0f}%"
    shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.0f} {unit}"
    return {"target": name, "value": value, "shown": shown, "goal": goal, "met": met, "note": note}


def targets(rows: list[dict], rss: dict) -> list[dict]:
    """The issues' targets, each met or missed (those of the scenarios measured)."""
    by_name = {r["name"]: r for r in rows}
    checks = [
        _check(f"{name}: {ratio} >= {goal:g}", by_name[name][ratio.replace("/", "_over_")], goal)
        for name, ratio, goal in TARGETS
        if name in by_name
    ]
    for name in SEARCHES:
        if name in by_name:
            a, c = (by_name[name].get(key, {}).get("p50_ms") for key in ("a", "c"))
            ratio = _ratio(a, c)
            goal = SEARCH_P50_LIMIT
            checks.append(_check(f"{name}: p50 a / p50 c <= {goal:g}", ratio, goal, lower=True))
    if "cursor_first" in by_name and "cursor_deep" in by_name:
        first, deep = (
            by_name[n].get("a", {}).get("p50_ms") for n in ("cursor_first", "cursor_deep")
        )
        ratio = deep / first if first and deep else None
        checks.append(_check("cursor deep p50 / page-1 p50 (a) <= 1.5", ratio, 1.5, lower=True))
    rss_a = rss.get("a", {}).get("after_max_mb")
    name = f"worker RSS after run (a) <= {RSS_LIMIT_MB} MB"
    return [*checks, _check(name, rss_a, RSS_LIMIT_MB, lower=True, unit="MB")]


def _fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _cells(name: str, sides: list[dict], ratios: list) -> list[str]:
    """A row's name, the sides' req/s, p50 and p99, then its ratios."""
    cells = [name]
    for metric in ("rps", "p50_ms", "p99_ms"):
        cells += [_fmt(side.get(metric), ".1f") for side in sides]
    return cells + [_fmt(ratio, ".2f") for ratio in ratios]


def _abc(row: dict, name: str) -> list[str]:
    return _cells(name, [row.get(k, {}) for k in SERVERS], [row["a_over_b"], row["a_over_c"]])


def _citus(row: dict) -> list[str]:
    sides = [row.get("single", {}), row.get("citus", {})]
    return _cells(row["name"], sides, [row["citus_over_single"]])


def _table(titles, widths, rows) -> list[str]:
    """Terminal lines, or (``widths`` None) a Markdown table."""
    if widths is None:
        rows = ["| " + " | ".join(cells) + " |" for cells in rows]
        return ["| " + " | ".join(titles) + " |", "|---|" + "---:|" * (len(titles) - 1), *rows]

    def line(cells):
        return "".join(
            f"{t:<{w}}" if i == 0 else f"{t:>{w}}"
            for i, (t, w) in enumerate(zip(cells, widths, strict=True))
        )

    head = line(titles)
    return [head, "-" * len(head), *map(line, rows)]


def _citus_heading(block: dict) -> str:
    return (
        f"the service (a) on Citus {block['citus']} (PostgreSQL {block['postgres']}), database "
        f"{block['database']}, coordinator {block['coordinator']}, workers "
        f"{', '.join(block['workers'])}, {block['shards_per_table']} shards per table"
    )


def terminal_lines(result: dict) -> list[str]:
    """The summary printed at the end of a run: a/b/c, the Citus block, the targets."""
    lines = _table(TITLES, WIDTHS, [_abc(row, row["name"]) for row in result["summary"]])
    lines += ["(latencies in ms; a = service, b = naive DRF, c = floor; ratios of req/s)"]
    if block := result.get("citus"):
        lines += ["", f"On Citus: {_citus_heading(block)}; same rounds as a/b/c:"]
        lines += _table(CITUS_TITLES, CITUS_WIDTHS, map(_citus, block["summary"]))
        lines.append("(latencies in ms; single = a above; Citus/single = ratio of req/s)")
        if (rss := block.get("rss") or {}).get("after_max_mb") is not None:
            lines.append(f"Worker RSS after the run on Citus (max, MB): {rss['after_max_mb']:.0f}")
    lines += ["", "Targets (issues 4, 10 and 21):"]
    return lines + [
        f"  [{'MET ' if c['met'] else 'MISS'}] {c['target']}: {c.get('shown', '-')} ({c['note']})"
        for c in result["targets"]
    ]


def markdown(result: dict) -> str:
    """The body of ``results/README.md``."""
    meta = result["meta"]
    out = [
        f"Run of {meta['date']} · scale `{meta['scale']}` · {meta['machine']} · "
        f"`{meta['command']}`",
        "",
        f"Data set: {meta['dataset']}. Load: wrk, {meta['connections']} connections, "
        f"{meta['threads']} threads, {meta['duration']} s per run (longer for slow servers), "
        f"{meta['rounds']} rounds alternating a/b/c; gunicorn {meta['workers']} workers "
        f"({meta.get('worker_class', 'sync')}) each.",
        "",
        *_table(TITLES, None, [_abc(r, f"{r['name']} ({r['title']})") for r in result["summary"]]),
        "",
        "Latencies in ms. Targets (issues 4, 10 and 21):",
        "",
    ]
    out += [
        f"- {'met' if c['met'] else '**missed**'}: {c['target']}: {c.get('shown', '-')}"
        + ("" if c["met"] else f" ({c['note']})")
        for c in result["targets"]
    ]
    memory = (
        f"{k} after {v['after_max_mb']:.0f} RSS / {v['after_max_uss_mb']:.0f} USS, "
        f"peak {v['peak_mb']:.0f} RSS"
        for k, v in result["rss"].items()
        if v.get("after_max_mb") is not None
    )
    out += ["", "Worker memory (MB, max over workers): " + "; ".join(memory)]
    if block := result.get("citus"):
        out += [
            "",
            f"**On Citus**: {_citus_heading(block)}. The same data set, measured in the same "
            "rounds as a/b/c; the single-server figures are a's above.",
            "",
            *_table(CITUS_TITLES, None, map(_citus, block["summary"])),
            "",
            "Latencies in ms; Citus/single is the ratio of req/s.",
        ]
    if notes := result.get("validation_notes"):
        out += ["", "Checks before the load:", "", *(f"- {n}" for n in notes)]
    return "\n".join(out) + "\n"


def write(result: dict, results: Path, name: str, *, readme: bool) -> list[Path]:
    """``<name>.json``, ``<name>.png`` and (``readme``) ``README.md`` in ``results``."""
    json_path, png_path = results / f"{name}.json", results / f"{name}.png"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    chart(result, png_path)
    if readme:
        (results / "README.md").write_text(
            "# Latest benchmark figures\n\n"
            "Written by `python -m bench` (see ../README.md); this file is the only one in "
            "`bench/results/` that git keeps.\n\n"
            f"Full results: `{json_path.name}`, chart: `{png_path.name}` (next to this file, "
            "not committed).\n\n" + markdown(result)
        )
    return [json_path, png_path]


def chart(result: dict, path: Path) -> None:
    """req/s and p50 per scenario and server, log scale."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result["summary"]
    labels = {"a": "a: service", "b": "b: naive DRF", "c": "c: floor"}
    colors = {"a": "#1f77b4", "b": "#d62728", "c": "#7f7f7f"}
    fig, axes = plt.subplots(2, 1, figsize=(13, 8.5), sharex=True)
    for i, key in enumerate(SERVERS):
        xs = [n + (i - 1) * 0.27 for n in range(len(rows))]
        for ax, metric in zip(axes, ("rps", "p50_ms"), strict=True):
            values = [r.get(key, {}).get(metric) or 0 for r in rows]
            ax.bar(xs, values, 0.27, label=labels[key], color=colors[key])
    for n, row in enumerate(rows):
        if row["a_over_b"]:
            top = max(row.get(k, {}).get("rps") or 0 for k in SERVERS)
            axes[0].annotate(
                f"a/b {row['a_over_b']:.1f}", (n, top), ha="center", va="bottom", fontsize=7
            )
    for ax, label in zip(axes, ("req/s (log)", "p50 latency, ms (log)"), strict=True):
        ax.set_yscale("log")
        ax.set_ylabel(label)
    axes[1].set_xticks(range(len(rows)))
    axes[1].set_xticklabels([r["name"] for r in rows], rotation=30, ha="right")
    axes[0].legend(ncol=3, loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False)
    axes[0].set_ylim(top=axes[0].get_ylim()[1] * 3)
    meta = result["meta"]
    fig.suptitle(
        f"clientes bench · scale {meta['scale']} · {meta['date']} · {meta['machine']}", fontsize=10
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
