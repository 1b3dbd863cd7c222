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

``insert_with_dependents`` writes a new row and the rows that refer to it (a customer and its
events) in one statement, kept per shape the same way: one round trip, atomic by itself.
"""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import JSONField, Model
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
    form = "rows" if several else tuple(_is_default(value) for value in values[0])
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
    row = [(f, v) for f, v in zip(fields, values[0], strict=True) if not _is_default(v)]
    if any(hasattr(value, "resolve_expression") for _, value in row):
        return None
    return row


def _is_default(value) -> bool:
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


PARENT = "nuevo"  # the parent row's name inside the statement
_returning_of: dict[tuple, list] = {}


def insert_with_dependents(
    parent: Model, dependents: Sequence[tuple[Model, str]], *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Insert ``parent`` and its ``dependents`` in one statement, as their ``save()``s would one
    by one, in that order: one round trip instead of one per row, and no transaction needed
    around it (a statement is atomic). Rows of one tenant, as ``bulk_create``'s.

    Each dependent is ``(obj, link)``: ``link`` names its field that takes the parent's new id,
    a foreign key to the parent or a JSON object (its top-level ``"id"``). Afterwards every row
    has its id, and the parent the other columns the database returns, as after ``save()``.
    Django's model signals are not sent (no model here listens to them).
    """
    rows = [parent, *(obj for obj, _ in dependents)]
    if len({getattr(obj, "tenant_id", None) for obj in rows}) > 1:
        raise ValueError("insert_with_dependents: rows of several tenants")
    connection = connections[using]
    links = [None, *(obj._meta.get_field(link) for obj, link in dependents)]
    columns = [_columns(obj, link) for obj, link in zip(rows, links, strict=True)]
    returning = _returning(type(parent), using)
    shape = tuple(
        (type(obj), tuple(f for f, _ in row)) for obj, row in zip(rows, columns, strict=True)
    )
    key = ("with", using, shape, tuple(links))
    sql = _shapes.get(key)
    if sql is None:
        sql = _statement_with_dependents(rows, columns, links, returning, connection)
        if len(_shapes) < MAX_SHAPES:
            _shapes[key] = sql
    params = [
        field.get_db_prep_save(value, connection=connection)
        for row in columns
        for field, value in row
        if value is not _FROM_PARENT
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchone()
    _saved(parent, returning, dependents, returned, using)


# The value of a dependent's foreign key to the parent: the parent's id, not a parameter.
_FROM_PARENT = object()


def _columns(obj: Model, link) -> list[tuple]:
    """The (field, value) pairs an insert of ``obj`` writes: Django's, less the columns left
    to the database (its id when unset, its generated columns and database defaults)."""
    meta = obj._meta
    pairs = []
    for field in meta.local_concrete_fields:
        if field.generated or (field is meta.auto_field and field.value_from_object(obj) is None):
            continue
        if field is link and not isinstance(link, JSONField):
            pairs.append((field, _FROM_PARENT))
            continue
        value = field.pre_save(obj, add=True)
        if _is_default(value):
            continue
        if hasattr(value, "resolve_expression") or hasattr(field, "get_placeholder"):
            raise TypeError(f"insert_with_dependents: {field} takes an expression")
        pairs.append((field, value))
    if link is not None and link not in {field for field, _ in pairs}:
        raise TypeError(f"insert_with_dependents: {link} is not written")
    return pairs


def _statement_with_dependents(rows, columns, links, returning, connection) -> str:
    """``WITH nuevo AS (INSERT … RETURNING …), d1 AS (INSERT … SELECT … FROM nuevo), …``:
    each dependent reads the parent's id from the parent's ``RETURNING``."""
    quote = connection.ops.quote_name
    parent, *dependents = rows
    parent_id = f"{PARENT}.{quote(parent._meta.pk.column)}"
    values = ", ".join(["%s"] * len(columns[0]))
    returned = ", ".join(quote(field.column) for field in returning)
    ctes = [
        f"{PARENT} AS ({_insert_head(parent, columns[0], quote)} VALUES ({values}) "
        f"RETURNING {returned})"
    ]
    selected = [f"{PARENT}.{quote(field.column)}" for field in returning]
    for n, (obj, row, link) in enumerate(
        zip(dependents, columns[1:], links[1:], strict=True), start=1
    ):
        values = ", ".join(_value(field, value, link, parent_id) for field, value in row)
        pk = quote(obj._meta.pk.column)
        # Names from the models' metadata; every value is a parameter.
        head = _insert_head(obj, row, quote)
        ctes.append(f"d{n} AS ({head} SELECT {values} FROM {PARENT} RETURNING {pk})")  # noqa: S608
        selected.append(f"d{n}.{pk}")
    tables = ", ".join([PARENT, *(f"d{n}" for n in range(1, len(rows)))])
    return f"WITH {', '.join(ctes)} SELECT {', '.join(selected)} FROM {tables}"  # noqa: S608


def _insert_head(obj, row, quote) -> str:
    names = ", ".join(quote(field.column) for field, _ in row)
    return f"INSERT INTO {quote(obj._meta.db_table)} ({names})"


def _value(field, value, link, parent_id: str) -> str:
    if value is _FROM_PARENT:
        return parent_id
    if field is link:  # a JSON object: its "id" is the parent's
        return f"jsonb_set(%s, '{{id}}', to_jsonb({parent_id}))"
    return "%s"


def _returning(model, using: str) -> list:
    """What ``save()`` reads back from an insert of ``model`` (its id first); refused when
    Django converts one of them after reading it."""
    key = (model, using)
    if key not in _returning_of:
        meta, connection = model._meta, connections[using]
        fields = [meta.pk, *(f for f in meta.db_returning_fields if f is not meta.pk)]
        for field in fields:
            col = field.get_col(meta.db_table)
            if connection.ops.get_db_converters(col) + field.get_db_converters(connection):
                raise TypeError(f"insert_with_dependents: {field} is converted when read")
        _returning_of[key] = fields
    return _returning_of[key]


def _saved(parent: Model, returning: list, dependents, returned: tuple, using: str) -> None:
    """What ``save()`` leaves on the instances: the returned values, the ids, the links."""
    for field, value in zip(returning, returned, strict=False):
        setattr(parent, field.attname, value)
    for (obj, link), pk in zip(dependents, returned[len(returning) :], strict=True):
        field = obj._meta.get_field(link)
        if isinstance(field, JSONField):
            getattr(obj, field.attname)["id"] = parent.pk
        else:
            setattr(obj, field.attname, parent.pk)
        obj.pk = pk
    for obj in (parent, *(obj for obj, _ in dependents)):
        obj._state.adding = False
        obj._state.db = using
