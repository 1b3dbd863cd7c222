"""A run's figures as terminal lines, JSON, PNG and ``results/README.md`` (the only file the
bench writes outside a run's own ones)."""

import json
from pathlib import Path

from bench.report.figures import SERVERS

TITLES = ("scenario", "a req/s", "b req/s", "c req/s", "a p50", "b p50", "c p50")
TITLES += ("a p99", "b p99", "c p99", "a/b", "a/c")
WIDTHS = (15, 9, 9, 9, 8, 9, 8, 8, 9, 8, 8, 6)
CITUS_TITLES = ("scenario", "single req/s", "Citus req/s", "single p50", "Citus p50")
CITUS_TITLES += ("single p99", "Citus p99", "Citus/single")
CITUS_WIDTHS = (15, 13, 12, 11, 10, 11, 10, 13)


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
    def line(cells):
        return "".join(
            f"{t:<{w}}" if i == 0 else f"{t:>{w}}"
            for i, (t, w) in enumerate(zip(cells, widths, strict=True))
        )

    head = line(titles)
    return [head, "-" * len(head), *map(line, rows)]


def _markdown_table(titles, rows) -> list[str]:
    return [
        "| " + " | ".join(titles) + " |",
        "|---|" + "---:|" * (len(titles) - 1),
        *("| " + " | ".join(cells) + " |" for cells in rows),
    ]


def _citus_heading(block: dict) -> str:
    return (
        f"the service (a) on Citus {block['citus']} (PostgreSQL {block['postgres']}), database "
        f"{block['database']}, coordinator {block['coordinator']}, workers "
        f"{', '.join(block['workers'])}, {block['shards_per_table']} shards per table"
    )


def table_lines(rows: list[dict]) -> list[str]:
    lines = _table(TITLES, WIDTHS, [_abc(row, row["name"]) for row in rows])
    return [*lines, "(latencies in ms; a = service, b = naive DRF, c = floor; ratios of req/s)"]


def citus_lines(block: dict) -> list[str]:
    lines = [f"On Citus: {_citus_heading(block)}; same rounds as a/b/c:"]
    lines += _table(CITUS_TITLES, CITUS_WIDTHS, map(_citus, block["summary"]))
    lines.append("(latencies in ms; single = a above; Citus/single = ratio of req/s)")
    if (rss := block.get("rss") or {}).get("after_max_mb") is not None:
        lines.append(f"Worker RSS after the run on Citus (max, MB): {rss['after_max_mb']:.0f}")
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
        *_markdown_table(
            TITLES, [_abc(r, f"{r['name']} ({r['title']})") for r in result["summary"]]
        ),
        "",
        "Latencies in ms. Targets (issues 4 and 10):",
        "",
    ]
    out += [
        f"- {'met' if c['met'] else '**missed**'}: {c['target']}: {c.get('shown', '-')}"
        + ("" if c["met"] else f" ({c['note']})")
        for c in result["targets"]
    ]
    out += [
        "",
        "Worker memory (MB, max over workers): "
        + "; ".join(
            f"{k} after {v['after_max_mb']:.0f} RSS / {v['after_max_uss_mb']:.0f} USS, "
            f"peak {v['peak_mb']:.0f} RSS"
            for k, v in result["rss"].items()
            if v.get("after_max_mb") is not None
        ),
    ]
    if block := result.get("citus"):
        out += [
            "",
            f"**On Citus**: {_citus_heading(block)}. The same data set, measured in the same "
            "rounds as a/b/c; the single-server figures are a's above.",
            "",
            *_markdown_table(CITUS_TITLES, map(_citus, block["summary"])),
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
    width = 0.27
    for i, key in enumerate(SERVERS):
        xs = [n + (i - 1) * width for n in range(len(rows))]
        for ax, metric in zip(axes, ("rps", "p50_ms"), strict=True):
            values = [r.get(key, {}).get(metric) or 0 for r in rows]
            ax.bar(xs, values, width, label=labels[key], color=colors[key])
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
