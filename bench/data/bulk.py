"""COPY in chunks; the secondary indexes and foreign keys dropped while loading, restored after."""

import psycopg
from psycopg import sql

CHUNK = 20_000


def copy_statement(table: str, columns) -> sql.Composed:
    """``COPY table (columns) FROM STDIN``, names quoted."""
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )


def copy_group(conn: psycopg.Connection, group, rows, bar) -> list[int]:
    """COPY ``rows`` ((index in ``group`` of a (table, columns), COPY line)) into the group's
    tables: one connection runs one COPY at a time, so each table's lines go out every CHUNK."""
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

    for pending, (index, line) in enumerate(rows, start=1):
        buffers[index].append(line)
        if pending % CHUNK == 0:
            flush()
    flush()
    return counts


def copy_lines(conn: psycopg.Connection, table: str, columns, lines, bar) -> int:
    """COPY ``lines`` into ``table``; returns how many."""
    return copy_group(conn, [(table, columns)], ((0, line) for line in lines), bar)[0]


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
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
    for name, _ in indexes:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return restore
