"""The Citus figures of a run (``--citus``): for each scenario the cluster ran, the service's
req/s, p50 and p99 on the single server (a, the very runs of the a/b/c table) and on the
cluster, measured in the same rounds, and the ratio Citus / single server."""

from bench.report import figures
from bench.servers import CITUS

SIDES = (("single", "a"), ("citus", CITUS))


def summarize(runs: list[dict], names: list[str]) -> list[dict]:
    """One row per scenario: both sides' figures, Citus / single of req/s and of p50."""
    rows = []
    for name in names:
        row = {"name": name}
        for side, key in SIDES:
            mine = [r for r in runs if r["scenario"] == name and r["server"] == key]
            if mine:
                row[side] = figures(mine)
        single, cluster = row.get("single", {}), row.get("citus", {})
        row["citus_over_single"] = _ratio(cluster.get("rps"), single.get("rps"))
        row["p50_citus_over_single"] = _ratio(cluster.get("p50_ms"), single.get("p50_ms"))
        rows.append(row)
    return rows


def _ratio(top, bottom):
    return top / bottom if top and bottom else None


def result(side, runs: list[dict]) -> dict:
    """The ``citus`` block of a result: the cluster, the figures, the server's memory."""
    names = list(side.scenarios)
    return {
        **side.about,
        "scenarios": names,
        "summary": summarize(runs, names),
        "rss": side.rss,
    }


def _fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _cells(row: dict) -> list[str]:
    single, cluster = row.get("single", {}), row.get("citus", {})
    return [
        row["name"],
        *(_fmt(s.get("rps"), ".1f") for s in (single, cluster)),
        *(_fmt(s.get("p50_ms"), ".1f") for s in (single, cluster)),
        *(_fmt(s.get("p99_ms"), ".1f") for s in (single, cluster)),
        _fmt(row["citus_over_single"], ".2f"),
    ]


TITLES = ("scenario", "single req/s", "Citus req/s", "single p50", "Citus p50")
TITLES += ("single p99", "Citus p99", "Citus/single")


def heading(block: dict) -> str:
    return (
        f"the service (a) on Citus {block['citus']} (PostgreSQL {block['postgres']}), database "
        f"{block['database']}, coordinator {block['coordinator']}, workers "
        f"{', '.join(block['workers'])}, {block['shards_per_table']} shards per table"
    )


def table_lines(block: dict) -> list[str]:
    """The terminal table."""
    widths = (15, 13, 12, 11, 10, 11, 10, 13)

    def line(cells):
        return "".join(
            f"{t:<{w}}" if i == 0 else f"{t:>{w}}"
            for i, (t, w) in enumerate(zip(cells, widths, strict=True))
        )

    head = line(TITLES)
    lines = [f"On Citus: {heading(block)}; same rounds as a/b/c:", head, "-" * len(head)]
    lines += [line(_cells(row)) for row in block["summary"]]
    lines.append("(latencies in ms; single = a above; Citus/single = ratio of req/s)")
    rss = block.get("rss") or {}
    if rss.get("after_max_mb") is not None:
        lines.append(f"Worker RSS after the run on Citus (max, MB): {rss['after_max_mb']:.0f}")
    return lines


def markdown_lines(block: dict) -> list[str]:
    """The section of ``results/README.md``."""
    out = [
        f"**On Citus**: {heading(block)}. The same data set, measured in the same rounds as "
        "a/b/c; the single-server figures are a's above.",
        "",
        "| " + " | ".join(TITLES) + " |",
        "|---|" + "---:|" * (len(TITLES) - 1),
    ]
    out += ["| " + " | ".join(_cells(row)) + " |" for row in block["summary"]]
    out += ["", "Latencies in ms; Citus/single is the ratio of req/s."]
    return out
