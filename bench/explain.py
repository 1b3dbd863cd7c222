"""``EXPLAIN (ANALYZE, BUFFERS)`` of the service's read queries, as the floor plan captured them.

Run by ``python -m bench`` after the load (written next to the results), or alone on a loaded
database: ``python -m bench.explain [--scale full] [--plan bench/results/<run>/floor_plan.json]``.
Reads only (writes are skipped): safe on the data set the lead inspects.
"""

import argparse
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg

RESULTS = Path(__file__).resolve().parent / "results"


def _value(param):
    if "v" in param:
        return param["v"]
    if "decimal" in param:
        return Decimal(param["decimal"])
    if "datetime" in param:
        return datetime.fromisoformat(param["datetime"])
    if "date" in param:
        return date.fromisoformat(param["date"])
    return None


def explain(url: str, plan: dict, only: set[str] | None = None) -> str:
    out = []
    with psycopg.connect(
        url, autocommit=True, cursor_factory=psycopg.ClientCursor, options="-c TimeZone=UTC"
    ) as conn:
        for route in plan["routes"]:
            if route["method"] != "GET" or (only and route["name"] not in only):
                continue
            for query in route["queries"][1:]:  # the first is the token's
                params = [_value(p) for p in query["params"]]
                with conn.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"], params)
                    lines = [row[0] for row in cur.fetchall()]
                    statement = cur.mogrify(query["sql"], params)
                out.append(f"=== {route['name']}\n{statement}\n\n" + "\n".join(lines) + "\n")
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__)
    p.add_argument("--scale", default="small")
    p.add_argument("--database-url")
    p.add_argument("--plan", help="a floor_plan.json (default: the latest of the scale)")
    p.add_argument("--only", help="comma-separated scenario names")
    args = p.parse_args(argv)
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/clientes_bench_{args.scale}"
    if args.plan:
        plan_path = Path(args.plan)
    else:
        plans = sorted(RESULTS.glob(f"*-{args.scale}/floor_plan.json"))
        if not plans:
            print(
                f"no floor plan for scale {args.scale}: run python -m bench first", file=sys.stderr
            )
            return 2
        plan_path = plans[-1]
    only = set(args.only.split(",")) if args.only else None
    print(explain(url, json.loads(plan_path.read_text()), only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
