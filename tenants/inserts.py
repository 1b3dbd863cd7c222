"""One row's ``INSERT`` compiled once per shape, then only bound.

Django compiles an ``INSERT`` (the statement's text, each value's placeholder, the
``RETURNING`` clause) anew for every row it saves, and on a create that compilation is most
of the ORM's Python (bench/README.md, "ninth step"). The text depends only on the model, the
columns written, the columns returned and which columns take their database default; the
values are parameters. So the first row of a shape is compiled by Django's own compiler and
the text kept; later rows of that shape bind their values to it, each prepared by its field
exactly as the compiler prepares it (``pre_save``, then ``get_db_prep_save``).

What is never reused: several rows at once (Django writes them as ``UNNEST`` arrays), a value
that is an expression other than the column's default, a field whose placeholder depends on
its value (``get_placeholder``), a returned column Django converts after reading it, and
``raw`` saves (fixtures). Those take Django's path.

The tenant is one of the bound values, like every other column: a kept text names no tenant.
"""

from django.db import connections
from django.db.models.expressions import DatabaseDefault
from django.db.models.sql import InsertQuery

MAX_SHAPES = 256
# Per shape: its text, or None when it is not reusable (found once, not compiled again).
_shapes: dict[tuple, str | None] = {}
_UNSEEN = object()


def insert_row(obj, fields, returning_fields, using: str) -> list | None:
    """Insert ``obj`` (its ``fields``) and return ``[row]`` of ``returning_fields``, as
    ``QuerySet._insert`` does for one object; None when its shape is not reusable (the
    caller then takes Django's path)."""
    values = [field.pre_save(obj, add=True) for field in fields]
    defaults = tuple(isinstance(value, DatabaseDefault) for value in values)
    bound = [
        (f, v) for f, v in zip(fields, values, strict=True) if not isinstance(v, DatabaseDefault)
    ]
    if any(hasattr(value, "resolve_expression") for _, value in bound):
        return None
    returning = tuple(returning_fields or ())
    key = (type(obj), using, tuple(fields), returning, defaults)
    connection = connections[using]
    params = [field.get_db_prep_save(value, connection=connection) for field, value in bound]
    sql = _shapes.get(key, _UNSEEN)
    if sql is _UNSEEN:
        sql = _compiled(obj, fields, returning, using, len(params))
        # Shapes are a small fixed set; past the bound they are compiled, not kept.
        if len(_shapes) < MAX_SHAPES:
            _shapes[key] = sql
    if sql is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [cursor.fetchone()] if returning else []


def _compiled(obj, fields, returning: tuple, using: str, bound: int) -> str | None:
    """Django's text for ``obj``'s row; None when another row of the shape could need
    another text or its returned values need converting."""
    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = list(returning)
    [(sql, params)] = compiler.as_sql()
    table = obj._meta.db_table
    if len(params) != bound or compiler.get_converters([f.get_col(table) for f in returning]):
        return None
    return sql
