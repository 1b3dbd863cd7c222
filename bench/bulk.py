"""Bulk loading with PostgreSQL COPY: rows as COPY text lines, sent in chunks; the secondary
indexes and foreign keys of the loaded tables dropped while loading and restored after."""

import psycopg
from psycopg import sql

CHUNK = 20_000


def copy_statement(table: str, columns: tuple[str, ...]) -> sql.Composed:
    """``COPY table (columns) FROM STDIN``, names quoted."""
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )


def copy_lines(conn: psycopg.Connection, table: str, columns, lines, bar) -> int:
    """COPY ``lines`` (COPY text, one row each) into ``table``; returns how many."""
    count = 0
    with conn.cursor() as cur, cur.copy(copy_statement(table, columns)) as copy:
        buffer = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= CHUNK:
                copy.write("".join(buffer))
                bar.update(len(buffer))
                count += len(buffer)
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))
            bar.update(len(buffer))
            count += len(buffer)
    return count


def copy_group(conn: psycopg.Connection, group, rows, bar) -> list[int]:
    """COPY ``rows`` ((index of the table in ``group``, line) pairs) into the group's tables.

    One connection runs one COPY at a time, so the lines are buffered per table and every
    ``CHUNK`` lines each table's buffer goes out in a COPY of its own (foreign keys are
    dropped while loading: the order of the tables does not matter).
    """
    buffers = [[] for _ in group]
    counts = [0] * len(group)

    def flush():
        for index, buffer in enumerate(buffers):
            if buffer:
                with conn.cursor() as cur, cur.copy(copy_statement(*group[index])) as copy:
                    copy.write("".join(buffer))
                bar.update(len(buffer))
                counts[index] += len(buffer)
                buffer.clear()

    pending = 0
    for index, line in rows:
        buffers[index].append(line)
        pending += 1
        if pending >= CHUNK:
            flush()
            pending = 0
    flush()
    return counts


def drop_secondary(conn: psycopg.Connection, tables) -> list[str]:
    """Drops the foreign keys and non-constraint indexes of ``tables``; returns the statements
    that restore them from their own definitions (``pg_get_indexdef``,
    ``pg_get_constraintdef``)."""
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
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
    for name, _ in indexes:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return restore
