"""The data set in a database: loaded with COPY, marked complete, reused (bench/README.md)."""

import json
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import psycopg
from psycopg import sql
from tqdm import tqdm

from bench import log
from bench.data import bulk, names, sales
from bench.data.customers import CUSTOMERS, TENANTS, Generator
from devtools.servers import database_exists

VERSION = 5
MARKER = "bench_dataset"
LOADED_TABLES = ("clientes_cliente", *sales.TABLES)


@dataclass
class Dataset:
    """What the scenarios need to know about a loaded data set (kept in the marker)."""

    scale: str
    big_tenant_id: int
    list_tenant_id: int  # a small tenant, for "list of a small tenant"
    write_tenant_id: int  # another small tenant, for create and update
    hot_cliente_id: int
    rare_term: str
    phone_digits: str  # a big-tenant customer's phone, digits only (stored with punctuation)
    counts: dict
    load_seconds: float | None = None
    loaded_at: str | None = None


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def inspect(url: str, scale) -> tuple[str, Dataset | None]:
    """``("reuse", dataset)``, ``("missing", None)`` or ``("stale", None)``."""
    if not database_exists(url):
        return "missing", None
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER]).fetchone()[0]:
            return "stale", None
        row = conn.execute(
            sql.SQL("SELECT scale, version, meta FROM {} ORDER BY loaded_at DESC LIMIT 1").format(
                sql.Identifier(MARKER)
            )
        ).fetchone()
    if row is None or row[0] != scale.name or row[1] != VERSION:
        return "stale", None
    return "reuse", Dataset(**row[2])


def load(url: str, scale) -> Dataset:
    """Fills the (freshly migrated, empty) database and marks it; what the scenarios need."""
    started = time.monotonic()
    gen = Generator(scale)
    counts = {"tenants": 1 + scale.small_tenants, "customers": scale.customers}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET max_parallel_maintenance_workers = 2")
        restore = bulk.drop_secondary(conn, LOADED_TABLES)
        total = sum(counts.values()) + sales.expected_rows(scale)
        with tqdm(total=total, unit=" filas", unit_scale=True, desc="COPY") as bar:
            for (table, columns), rows in ((TENANTS, gen.tenants), (CUSTOMERS, gen.customers)):
                bar.set_description(f"COPY {table}")
                with conn.transaction():
                    bulk.copy_lines(conn, table, columns, rows(), bar)
            counts.update(sales.copy_documents(conn, gen, bar))
        for table in ("tenants_tenant", "tenants_user", *LOADED_TABLES):
            conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({t}, 'id'), (SELECT max(id) FROM {i}))"
                ).format(t=sql.Literal(table), i=sql.Identifier(table))
            )
        for statement in tqdm(restore, desc="índices y claves", unit=" sentencias"):
            conn.execute(statement)
        with tqdm(total=len(LOADED_TABLES) + 1, desc="VACUUM ANALYZE") as bar:
            for table in ("tenants_tenant", *LOADED_TABLES):
                conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
                bar.update(1)
        dataset = Dataset(
            scale=scale.name,
            big_tenant_id=gen.big_tenant_id,
            list_tenant_id=gen.small_tenant_ids[0],
            write_tenant_id=gen.small_tenant_ids[-1],
            hot_cliente_id=gen.hot_cliente_id,
            rare_term=names.APELLIDO_RARO,
            phone_digits=gen.phone_digits,
            counts=counts,
            load_seconds=round(time.monotonic() - started, 1),
            loaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        marker = sql.Identifier(MARKER)
        conn.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (scale text NOT NULL, version int NOT NULL, "
                "meta jsonb NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())"
            ).format(marker)
        )
        conn.execute(
            sql.SQL("INSERT INTO {} (scale, version, meta) VALUES (%s, %s, %s)").format(marker),
            [scale.name, VERSION, json.dumps(asdict(dataset))],
        )
    return dataset


def ensure(url: str, scale, reload: bool, create, migrate, where: str) -> Dataset:
    """The database of ``url`` migrated, with a complete data set of ``scale``: reused, or
    made (``create(url, drop_first=...)``) and loaded anew; ``migrate()`` migrates it."""
    state, dataset = inspect(url, scale)
    if reload and state == "reuse":
        state = "stale"
    if state != "reuse":
        stale = f": it holds no complete {scale.name} data set" if state == "stale" else ""
        log(f"{'Recreating' if stale else 'Creating'} database {where}{stale}")
        create(url, drop_first=state == "stale")
    migrate()
    if state == "reuse":
        log(f"Reusing the {scale.name} data set of {where}, loaded {dataset.loaded_at}")
        return dataset
    log(
        f"Loading the {scale.name} data set into {where} with COPY: {scale.customers:,} "
        f"customers, {scale.sales:,} sales, {scale.quotations:,} quotations"
    )
    dataset = load(url, scale)
    rate = sum(dataset.counts.values()) / dataset.load_seconds
    log(f"Loaded in {dataset.load_seconds:.0f} s ({rate:,.0f} rows/s, indexes and VACUUM included)")
    return dataset
