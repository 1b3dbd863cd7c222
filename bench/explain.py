"""``python -m bench.explain``: the query plans of (a)'s and (c)'s reads on a loaded data set."""

import argparse
import sys

import psycopg


def main(argv=None) -> int:
    """Bench users and tokens made as a run makes them, the plans printed, the users' leftovers
    removed."""
    p = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__)
    p.add_argument("--scale", default="small")
    p.add_argument("--database-url")
    p.add_argument("--only", help="comma-separated scenario names")
    args = p.parse_args(argv)
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/clientes_bench_{args.scale}"

    from bench.data.dataset import inspect
    from bench.data.scales import SCALES
    from bench.inprocess import setup_django
    from bench.report.explain import explain
    from bench.scenarios import registry

    scale = SCALES[args.scale]
    state, dataset = inspect(url, scale)
    if state != "reuse":
        print(f"no complete {args.scale} data set: run python -m bench first", file=sys.stderr)
        return 2
    setup_django(url)
    fixtures = registry.prepare(dataset, scale)
    try:
        only = set(args.only.split(",")) if args.only else None
        print(explain(url, registry.build(dataset, fixtures, only)))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            registry.finish(conn, dataset, fixtures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
