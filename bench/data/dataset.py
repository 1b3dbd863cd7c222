"""The data set in a database: loaded with COPY (the secondary indexes and foreign keys dropped
while loading, restored after), marked complete, reused (bench/README.md, "The data set")."""

import json
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import psycopg
from psycopg import sql
from tqdm import tqdm

from bench import log
from bench.data import names, rows
from devtools.databases import database_exists

VERSION = 5
MARKER = "bench_dataset"  # a plain name: no quoting needed
CHUNK = 20_000


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


def copy_statement(table: str, columns) -> sql.Composed:
    """``COPY table (columns) FROM STDIN``, names quoted."""
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )


def copy_group(conn: psycopg.Connection, group, lines, bar) -> list[int]:
    """COPY ``lines`` ((index in ``group`` of a (table, columns), COPY line), or plain lines for
    a group of one table) in one transaction: one connection runs one COPY at a time, so each
    table's lines go out every CHUNK; how many per table."""
    buffers, counts = [[] for _ in group], [0] * len(group)

    def flush():
        for index, buffer in enumerate(buffers):
            if buffer:
                with conn.cursor() as cur, cur.copy(copy_statement(*group[index])) as copy:
                    copy.write("".join(buffer))
                bar.update(len(buffer))
                counts[index] += len(buffer)
                buffer.clear()

    bar.set_description(f"COPY {group[0][0]}" + (" (+ items, eventos)" if len(group) > 1 else ""))
    with conn.transaction():
        for pending, line in enumerate(lines, start=1):
            index, line = line if isinstance(line, tuple) else (0, line)
            buffers[index].append(line)
            if pending % CHUNK == 0:
                flush()
        flush()
    return counts


def drop_secondary(conn: psycopg.Connection, tables) -> list[str]:
    """Drops the foreign keys and non-constraint indexes of ``tables``; returns the statements
    that restore them from their own definitions."""
    tables = list(tables)
    fks = conn.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
           FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
           ORDER BY conrelid::regclass::text, conname""",
        [tables],
    ).fetchall()
    indexes = conn.execute(
        """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
           FROM pg_index i
           WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
           ORDER BY 1""",
        [tables],
    ).fetchall()
    restore = [definition for _, definition in indexes]
    restore += [
        f"ALTER TABLE {table} ADD CONSTRAINT {sql.Identifier(name).as_string(conn)} {definition}"
        for table, name, definition in fks
    ]
    for table, name, _ in fks:
        drop = sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}")
        conn.execute(drop.format(sql.Identifier(table), sql.Identifier(name)))
    for name, _ in indexes:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return restore


def inspect(url: str, scale) -> tuple[str, Dataset | None]:
    """``("reuse", dataset)``, ``("missing", None)`` or ``("stale", None)``."""
    if not database_exists(url):
        return "missing", None
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER]).fetchone()[0]:
            return "stale", None
        latest = f"SELECT scale, version, meta FROM {MARKER} ORDER BY loaded_at DESC LIMIT 1"
        row = conn.execute(latest).fetchone()
    if row is None or row[0] != scale.name or row[1] != VERSION:
        return "stale", None
    return "reuse", Dataset(**row[2])


def load(url: str, scale) -> Dataset:
    """Fills the (freshly migrated, empty) database and marks it; what the scenarios need."""
    started = time.monotonic()
    gen = rows.Generator(scale)
    per_document = sum(rows.LINES_PER_DOCUMENT) / len(rows.LINES_PER_DOCUMENT)
    sellers = rows.SELLERS_BIG + rows.SELLERS_SMALL * scale.small_tenants
    total = 1 + scale.small_tenants + scale.customers + sellers  # about (for the progress bar)
    total += int(scale.sales * (2.08 + per_document) + scale.quotations * (2.5 + per_document))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET max_parallel_maintenance_workers = 2")
        restore = drop_secondary(conn, rows.TABLES)
        with tqdm(total=total, unit=" filas", unit_scale=True, desc="COPY") as bar:
            counts = {"tenants": copy_group(conn, [rows.TENANTS], gen.tenants(), bar)[0]}
            counts["customers"] = copy_group(conn, [rows.CUSTOMERS], gen.customers(), bar)[0]
            counts["sellers"] = copy_group(conn, [rows.USERS], gen.users(), bar)[0]
            for key, group in (("sales", rows.SALES), ("quotations", rows.QUOTATIONS)):
                documents, items, events = copy_group(conn, group, getattr(gen, key)(), bar)
                counts.update({key: documents, f"{key}_items": items, f"{key}_events": events})
            copy_group(conn, [rows.COUNTERS], gen.counters(), bar)
        for table in ("tenants_tenant", "tenants_user", *rows.TABLES):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        for statement in tqdm(restore, desc="índices y claves", unit=" sentencias"):
            conn.execute(statement)
        for table in tqdm(("tenants_tenant", *rows.TABLES), desc="VACUUM ANALYZE"):
            conn.execute(f"VACUUM (ANALYZE) {table}")
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
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER} (scale text NOT NULL, version int NOT NULL, "
            "meta jsonb NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(
            f"INSERT INTO {MARKER} (scale, version, meta) VALUES (%s, %s, %s)",
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
