"""Figures: per-scenario summary, the issue's targets, the printed lines, JSON, PNG and
``results/README.md`` (the only file the bench writes outside a run's own ones)."""

import json
import statistics
import time
from pathlib import Path

SERVERS = ("a", "b", "c")
RSS_LIMIT_MB = 120

_T0 = time.monotonic()


def log(message: str) -> None:
    """A line of the run's progress, with the seconds since the bench started."""
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", flush=True)


def figures(mine: list[dict]) -> dict:
    """Of the runs of one server on one scenario: req/s over all of them, median p50/p99."""
    ok = sum(r["requests"] - r["status"] for r in mine)
    seconds = sum(r["seconds"] for r in mine)
    return {
        "rps": ok / seconds if seconds else 0.0,
        "p50_ms": statistics.median(r["p50_us"] for r in mine) / 1000,
        "p99_ms": statistics.median(r["p99_us"] for r in mine) / 1000,
        "requests": sum(r["requests"] for r in mine),
        "errors": sum(r["errors"] for r in mine),
        "rounds": len(mine),
    }


def summarize(runs: list[dict], scenarios) -> list[dict]:
    """One row per scenario: req/s over all rounds, median p50/p99, ratios of req/s."""
    rows = []
    for scenario in scenarios:
        row = {"name": scenario.name, "title": scenario.title, "group": scenario.group}
        for key in SERVERS:
            mine = [r for r in runs if r["scenario"] == scenario.name and r["server"] == key]
            if mine:
                row[key] = figures(mine)
        a, b, c = (row.get(k, {}).get("rps") for k in SERVERS)
        row["a_over_b"] = a / b if a and b else None
        row["a_over_c"] = a / c if a and c else None
        rows.append(row)
    return rows


def _check(name: str, value, goal: float, *, higher_is_better: bool, unit: str = "x") -> dict:
    if value is None:
        return {"target": name, "value": None, "goal": goal, "met": False, "note": "not measured"}
    met = value >= goal if higher_is_better else value <= goal
    if met:
        note = "met"
    elif higher_is_better:
        note = f"missed by {(1 - value / goal) * 100:.0f}%"
    else:
        note = f"missed by {(value / goal - 1) * 100:.0f}%"
    shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.0f} {unit}"
    return {"target": name, "value": value, "shown": shown, "goal": goal, "met": met, "note": note}


def targets(rows: list[dict], rss: dict) -> list[dict]:
    by_name = {r["name"]: r for r in rows}
    checks = []
    for name in ("list_big", "list_small"):
        if name in by_name:
            row = by_name[name]
            checks.append(
                _check(f"{name}: a/c >= 0.6", row["a_over_c"], 0.6, higher_is_better=True)
            )
            checks.append(_check(f"{name}: a/b >= 3", row["a_over_b"], 3, higher_is_better=True))
    for name in ("search_rare", "search_common", "search_accent", "search_phone"):
        if name in by_name:
            checks.append(
                _check(f"{name}: a/b >= 20", by_name[name]["a_over_b"], 20, higher_is_better=True)
            )
    if "historial" in by_name:
        checks.append(
            _check(
                "historial: a/b >= 5", by_name["historial"]["a_over_b"], 5, higher_is_better=True
            )
        )
    for name in ("create_venta", "convertir"):  # issue 10: against a floor doing the same inserts
        if name in by_name:
            checks.append(
                _check(f"{name}: a/c >= 0.4", by_name[name]["a_over_c"], 0.4, higher_is_better=True)
            )
    if "cursor_first" in by_name and "cursor_deep" in by_name:
        first = by_name["cursor_first"].get("a", {}).get("p50_ms")
        deep = by_name["cursor_deep"].get("a", {}).get("p50_ms")
        ratio = deep / first if first and deep else None
        checks.append(
            _check("cursor deep p50 / page-1 p50 (a) <= 1.5", ratio, 1.5, higher_is_better=False)
        )
    after = rss.get("a", {}).get("after_max_mb")
    checks.append(
        _check(
            f"worker RSS after run (a) <= {RSS_LIMIT_MB} MB",
            after,
            RSS_LIMIT_MB,
            higher_is_better=False,
            unit="MB",
        )
    )
    return checks


def _fmt(value, spec=".0f") -> str:
    return "-" if value is None else format(value, spec)


def table_lines(rows: list[dict]) -> list[str]:
    widths = (15, 9, 9, 9, 8, 9, 8, 8, 9, 8, 8, 6)
    titles = ("scenario", "a req/s", "b req/s", "c req/s", "a p50", "b p50", "c p50")
    titles += ("a p99", "b p99", "c p99", "a/b", "a/c")
    head = "".join(
        f"{t:<{w}}" if i == 0 else f"{t:>{w}}"
        for i, (t, w) in enumerate(zip(titles, widths, strict=True))
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        servers = [row.get(k, {}) for k in SERVERS]
        cells = [row["name"]]
        for metric in ("rps", "p50_ms", "p99_ms"):
            cells += [_fmt(s.get(metric), ".1f") for s in servers]
        cells += [_fmt(row["a_over_b"], ".2f"), _fmt(row["a_over_c"], ".2f")]
        lines.append(
            "".join(
                f"{t:<{w}}" if i == 0 else f"{t:>{w}}"
                for i, (t, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    lines.append("(latencies in ms; a = service, b = naive DRF, c = floor; ratios of req/s)")
    return lines


def target_lines(checks: list[dict]) -> list[str]:
    return [
        f"  [{'MET ' if c['met'] else 'MISS'}] {c['target']}: {c.get('shown', '-')} ({c['note']})"
        for c in checks
    ]


def markdown(result: dict) -> str:
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
        "| scenario | a req/s | b req/s | c req/s | a p50 | b p50 | c p50 "
        "| a p99 | b p99 | c p99 | a/b | a/c |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["summary"]:
        a, b, c = (row.get(k, {}) for k in SERVERS)
        cells = [
            f"{row['name']} ({row['title']})",
            *(_fmt(x.get("rps"), ".1f") for x in (a, b, c)),
            *(_fmt(x.get("p50_ms"), ".1f") for x in (a, b, c)),
            *(_fmt(x.get("p99_ms"), ".1f") for x in (a, b, c)),
            _fmt(row["a_over_b"], ".2f"),
            _fmt(row["a_over_c"], ".2f"),
        ]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "Latencies in ms. Targets (issues 4 and 10):", ""]
    out += [
        f"- {'met' if c['met'] else '**missed**'}: {c['target']}: {c.get('shown', '-')}"
        + ("" if c["met"] else f" ({c['note']})")
        for c in result["targets"]
    ]
    rss = result["rss"]
    out += [
        "",
        "Worker memory (MB, max over workers): "
        + "; ".join(
            f"{k} after {v['after_max_mb']:.0f} RSS / {v['after_max_uss_mb']:.0f} USS, "
            f"peak {v['peak_mb']:.0f} RSS"
            for k, v in rss.items()
            if v.get("after_max_mb") is not None
        ),
    ]
    if result.get("citus"):
        from bench.report_citus import markdown_lines

        out += ["", *markdown_lines(result["citus"])]
    notes = result.get("validation_notes") or []
    if notes:
        out += ["", "Checks before the load:", ""] + [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


def chart(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result["summary"]
    names = [r["name"] for r in rows]
    labels = {"a": "a: service", "b": "b: naive DRF", "c": "c: floor"}
    colors = {"a": "#1f77b4", "b": "#d62728", "c": "#7f7f7f"}
    fig, axes = plt.subplots(2, 1, figsize=(13, 8.5), sharex=True)
    width = 0.27
    for i, key in enumerate(SERVERS):
        xs = [n + (i - 1) * width for n in range(len(rows))]
        rps = [r.get(key, {}).get("rps") or 0 for r in rows]
        p50 = [r.get(key, {}).get("p50_ms") or 0 for r in rows]
        axes[0].bar(xs, rps, width, label=labels[key], color=colors[key])
        axes[1].bar(xs, p50, width, label=labels[key], color=colors[key])
    for n, row in enumerate(rows):
        if row["a_over_b"]:
            top = max(row.get(k, {}).get("rps") or 0 for k in SERVERS)
            axes[0].annotate(
                f"a/b {row['a_over_b']:.1f}", (n, top), ha="center", va="bottom", fontsize=7
            )
    axes[0].set_yscale("log")
    axes[0].set_ylabel("req/s (log)")
    axes[1].set_yscale("log")
    axes[1].set_ylabel("p50 latency, ms (log)")
    axes[1].set_xticks(range(len(rows)))
    axes[1].set_xticklabels(names, rotation=30, ha="right")
    axes[0].legend(ncol=3, loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False)
    axes[0].set_ylim(top=axes[0].get_ylim()[1] * 3)
    meta = result["meta"]
    fig.suptitle(
        f"clientes bench · scale {meta['scale']} · {meta['date']} · {meta['machine']}", fontsize=10
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_json(result: dict, path: Path) -> None:
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))


def write_results_readme(result: dict, path: Path, json_name: str, png_name: str) -> None:
    """``results/README.md``: the latest run's figures (bench/README.md links to it)."""
    text = (
        "# Latest benchmark figures\n\n"
        "Written by `python -m bench` (see ../README.md); this file is the only one in "
        "`bench/results/` that git keeps.\n\n"
        f"Full results: `{json_name}`, chart: `{png_name}` (next to this file, not committed).\n\n"
        + markdown(result)
    )
    path.write_text(text)
