"""``INSERT``s compiled once per shape, then only bound.

Django compiles an ``INSERT`` (the statement's text, each value's placeholder, the
``RETURNING`` clause) anew for every save and every ``bulk_create``, and on a create that
compilation is most of the ORM's Python (bench/README.md, "ninth step"). The text depends
only on the model, the columns written, the columns returned and which columns take their
database default; the values are parameters. So the first statement of a shape is compiled
by Django's own compiler and its text kept; later ones bind their values to it, each prepared
by its field exactly as the compiler prepares it (``pre_save``, then ``get_db_prep_save``).

Two forms are kept:

- one row: ``VALUES (%s, …)``, a placeholder per column, or ``DEFAULT`` for a column left
  to its database default (which columns those are is part of the shape);
- several rows: Django's PostgreSQL form, ``SELECT * FROM UNNEST((%s)::type[], …)``, one
  array per column whatever the number of rows. Rows Django writes otherwise (a value that is
  an expression, a database default among them: ``VALUES (…), (…)``, whose text depends on
  the number of rows) are not kept.

Never reused either: a value that is an expression other than a column's database default, a
field whose placeholder depends on its value (``get_placeholder``), a returned column Django
converts after reading it, and ``raw`` saves (fixtures). Those take Django's path.

The tenant is one of the bound values, like every other column: a kept text names no tenant.

``tenants.linked_inserts`` writes a new row and the rows that refer to it in one statement.
"""

from django.db import connections
from django.db.models.expressions import DatabaseDefault
from django.db.models.sql import InsertQuery

MAX_SHAPES = 256
# Per shape: its text, or None when it is not reusable (found once, not compiled again).
_shapes: dict[tuple, str | None] = {}
_UNSEEN = object()


def insert_rows(objs: list, fields, returning_fields, using: str) -> list | None:
    """Insert ``objs`` (their ``fields``) and return their rows of ``returning_fields``, as
    ``QuerySet._insert`` does; None when their shape is not reusable (the caller then takes
    Django's path)."""
    several = len(objs) > 1
    values = [[field.pre_save(obj, add=True) for field in fields] for obj in objs]
    bound = _bound(fields, values, several=several)
    if bound is None:
        return None
    # One row's text depends on which columns are left to their default; UNNEST's on nothing.
    form = "rows" if several else tuple(is_default(value) for value in values[0])
    returning = tuple(returning_fields or ())
    key = (type(objs[0]), using, tuple(fields), returning, form)
    connection = connections[using]
    sql = _shapes.get(key, _UNSEEN)
    if sql is _UNSEEN:
        sql = _compiled(objs, fields, returning, using, len(bound))
        # Shapes are a small fixed set; past the bound they are compiled, not kept.
        if len(_shapes) < MAX_SHAPES:
            _shapes[key] = sql
    if sql is None:
        return None
    if several:
        params = [[f.get_db_prep_save(v, connection=connection) for v in c] for f, c in bound]
    else:
        params = [f.get_db_prep_save(v, connection=connection) for f, v in bound]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if not returning:
            return []
        return cursor.fetchall() if several else [cursor.fetchone()]


def _bound(fields, values: list[list], *, several: bool) -> list | None:
    """The (field, value) pairs bound to the text, one row's, or (field, column of values)
    for several rows; None when a value is an expression the text cannot bind."""
    if several:
        columns = list(zip(*values, strict=True))
        if any(hasattr(value, "resolve_expression") for column in columns for value in column):
            return None
        return list(zip(fields, columns, strict=True))
    row = [(f, v) for f, v in zip(fields, values[0], strict=True) if not is_default(v)]
    if any(hasattr(value, "resolve_expression") for _, value in row):
        return None
    return row


def is_default(value) -> bool:
    """Whether a field's value leaves the column to its database default."""
    return isinstance(value, DatabaseDefault)


def _compiled(objs: list, fields, returning: tuple, using: str, bound: int) -> str | None:
    """Django's text for ``objs``; None when other rows of the shape could need another text
    (a placeholder per value, or one per row) or the returned values need converting."""
    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    query = InsertQuery(type(objs[0]))
    query.insert_values(fields, objs)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = list(returning)
    [(sql, params)] = compiler.as_sql()
    table = objs[0]._meta.db_table
    if len(params) != bound or compiler.get_converters([f.get_col(table) for f in returning]):
        return None
    return sql
