"""A new row and the rows that refer to it, written by one statement.

A customer is written with its ``CREADO`` event and that event in the tenant's feed; a sale
with its items and its ``CREADA`` event. Saved one by one, each row is a round trip, and
together they need a transaction around them (two more). ``insert_with_dependents`` writes
them with data-modifying CTEs instead::

    WITH nuevo AS (INSERT INTO parent (…) VALUES (%s, …) RETURNING id, …),
         d1 AS (INSERT INTO child (…) SELECT %s, nuevo.id, … FROM nuevo RETURNING id),
         d2 AS (INSERT INTO item (…) SELECT u.c0, nuevo.id, … FROM nuevo,
                UNNEST((%s)::varchar[], …) AS u (c0, …) RETURNING id)
    SELECT nuevo.id, …, (SELECT array_agg(id ORDER BY id) FROM d1), … FROM nuevo

One statement is atomic by itself. The text depends only on the models, the columns written
and what each dependent takes from its parent, so it is kept per shape, as ``tenants.inserts``
keeps a single ``INSERT``'s; the values, the tenant among them, are parameters.

On a Citus coordinator the rows are saved one by one instead, in a transaction, as Django
saves them. There each CTE runs as a distributed step of its own, and a dependent's ``INSERT
… SELECT`` pulls the parent's row to the coordinator: still on the tenant's shard, but slower
than the plain statements (bench/README.md, "tenth step").
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import JSONField, Model

from tenants.inserts import MAX_SHAPES, is_default

PARENT = "nuevo"  # the parent row's name inside the statement
_shapes: dict[tuple, str] = {}
_returning_of: dict[tuple, list] = {}


@dataclass(frozen=True)
class Dependent:
    """New rows of one model written with a new parent row, and what they ``take`` from the
    parent once the database wrote it: ``{their field: the parent's field}``, e.g.
    ``{"cliente": "id"}`` (a foreign key to it) or ``{"en": "creado_en"}`` (a database
    default). A JSON object takes the value under the parent field's name (one row only)."""

    rows: Sequence[Model]
    takes: dict[str, str]


# A dependent's value that is the parent's, not a parameter.
_FROM_PARENT = object()


def insert_with_dependents(
    parent: Model, dependents: Sequence[Dependent], *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Insert ``parent`` and its ``dependents`` in one statement, as their ``save()``s (or
    ``bulk_create``s) would one by one: one round trip, and no transaction needed around it
    (on a Citus coordinator, one by one in a transaction). Rows of one tenant, as
    ``bulk_create``'s.

    Afterwards every row has its id and what it took, and the parent the columns the
    database returns, as after ``save()``. Django's model signals are not sent (no model here
    listens to them)."""
    dependents = [dependent for dependent in dependents if dependent.rows]
    rows = [parent, *(row for dependent in dependents for row in dependent.rows)]
    if len({getattr(row, "tenant_id", None) for row in rows}) > 1:
        raise ValueError("insert_with_dependents: rows of several tenants")
    connection = connections[using]
    returning = _returning(parent, dependents, using)
    parent_columns = _columns(parent, {})
    columns = [_dependent_columns(dependent) for dependent in dependents]
    if writes_one_by_one(connection):
        _one_by_one(parent, dependents, using)
        return
    key = (
        using,
        type(parent),
        _fields(parent_columns),
        *(_shape(d, c) for d, c in zip(dependents, columns, strict=True)),
    )
    sql = _shapes.get(key)
    if sql is None:
        sql = _statement(parent, parent_columns, returning, dependents, columns, connection)
        if len(_shapes) < MAX_SHAPES:
            _shapes[key] = sql
    params = _params(parent_columns, connection)
    for dependent, dependent_columns in zip(dependents, columns, strict=True):
        params += _dependent_params(dependent, dependent_columns, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchone()
    _saved(parent, returning, dependents, returned, using)


def writes_one_by_one(connection) -> bool:
    """Whether ``insert_with_dependents`` saves the rows one by one: on a Citus coordinator."""
    connection.ensure_connection()
    return connection.citus


def _one_by_one(parent: Model, dependents: Sequence[Dependent], using: str) -> None:
    """The rows saved as Django saves them (the parent first, then each dependent's rows in
    one ``bulk_create``), in a transaction: Citus's way of ``insert_with_dependents``."""
    with transaction.atomic(using=using, savepoint=False):
        parent.save(force_insert=True, using=using)
        for dependent in dependents:
            for row in dependent.rows:
                _take(row, dependent.takes, parent)
            model = type(dependent.rows[0])
            model._base_manager.using(using).bulk_create(dependent.rows)


def _columns(obj: Model, takes: dict) -> list[tuple]:
    """The (field, value) pairs an insert of ``obj`` writes: Django's, less the columns left
    to the database (its id when unset, its generated columns and database defaults); a
    column it ``takes`` from its parent has ``_FROM_PARENT`` unless it is JSON."""
    meta = obj._meta
    taken = {meta.get_field(name) for name in takes}
    pairs = []
    for field in meta.local_concrete_fields:
        if field.generated or (field is meta.auto_field and field.value_from_object(obj) is None):
            continue
        if field in taken and not isinstance(field, JSONField):
            pairs.append((field, _FROM_PARENT))
            continue
        value = field.pre_save(obj, add=True)
        if is_default(value):
            continue
        if hasattr(value, "resolve_expression") or hasattr(field, "get_placeholder"):
            raise TypeError(f"insert_with_dependents: {field} takes an expression")
        pairs.append((field, value))
    if taken - {field for field, _ in pairs}:
        raise TypeError(f"insert_with_dependents: {sorted(map(str, taken))} are not all written")
    return pairs


def _dependent_columns(dependent: Dependent) -> list[list[tuple]]:
    columns = [_columns(row, dependent.takes) for row in dependent.rows]
    if len({_fields(row) for row in columns}) != 1:
        raise TypeError("insert_with_dependents: a dependent's rows write other columns")
    several = len(columns) > 1
    if several and any(isinstance(f, JSONField) for f, _ in columns[0]):
        raise TypeError("insert_with_dependents: several rows with a JSON column")
    return columns


def _fields(row: list[tuple]) -> tuple:
    return tuple(field for field, _ in row)


def _shape(dependent: Dependent, columns: list[list[tuple]]) -> tuple:
    model = type(dependent.rows[0])
    return model, _fields(columns[0]), tuple(dependent.takes.items()), len(columns) > 1


def _params(row: list[tuple], connection) -> list:
    return [
        field.get_db_prep_save(value, connection=connection)
        for field, value in row
        if value is not _FROM_PARENT
    ]


def _dependent_params(dependent: Dependent, columns: list[list[tuple]], connection) -> list:
    """One row's values; several rows': an array per column (``UNNEST``)."""
    if len(columns) == 1:
        return _params(columns[0], connection)
    per_row = [_params(row, connection) for row in columns]
    return [list(column) for column in zip(*per_row, strict=True)]


def _statement(parent, parent_columns, returning, dependents, columns, connection) -> str:
    """The ``WITH`` statement of the module's docstring for this shape."""
    quote = connection.ops.quote_name
    returned = ", ".join(quote(field.column) for field in returning)
    placeholders = ", ".join(["%s"] * len(parent_columns))
    ctes = [
        f"{PARENT} AS ({_insert_head(parent, parent_columns, quote)} "
        f"VALUES ({placeholders}) RETURNING {returned})"
    ]
    selected = [f"{PARENT}.{quote(field.column)}" for field in returning]
    for n, (dependent, rows) in enumerate(zip(dependents, columns, strict=True), start=1):
        ctes.append(f"d{n} AS ({_dependent_insert(parent, dependent, rows, connection)})")
        pk = quote(dependent.rows[0]._meta.pk.column)
        # Ids are given in the order rows are inserted: UNNEST's, the order of the rows sent.
        selected.append(f"(SELECT array_agg({pk} ORDER BY {pk}) FROM d{n})")  # noqa: S608
    return f"WITH {', '.join(ctes)} SELECT {', '.join(selected)} FROM {PARENT}"  # noqa: S608


def _dependent_insert(parent, dependent: Dependent, rows: list[list[tuple]], connection) -> str:
    quote = connection.ops.quote_name
    obj = dependent.rows[0]
    parent_field = {
        obj._meta.get_field(name): parent._meta.get_field(to)
        for name, to in dependent.takes.items()
    }
    several = len(rows) > 1
    values, arrays = [], []
    for field, value in rows[0]:
        if value is _FROM_PARENT:
            values.append(f"{PARENT}.{quote(parent_field[field].column)}")
        elif field in parent_field:  # a JSON object: the parent's value under its name
            taken, at = parent_field[field], f"'{{{dependent.takes[field.name]}}}'"
            values.append(f"jsonb_set(%s, {at}, to_jsonb({PARENT}.{quote(taken.column)}))")
        elif several:
            values.append(f"u.c{len(arrays)}")
            arrays.append(f"(%s)::{field.db_type(connection).split('(')[0]}[]")
        else:
            values.append("%s")
    source = PARENT
    if several:
        names = ", ".join(f"c{n}" for n in range(len(arrays)))
        source += f", UNNEST({', '.join(arrays)}) AS u ({names})"
    head = _insert_head(obj, rows[0], quote)
    pk = quote(obj._meta.pk.column)
    # Names from the models' metadata; every value is a parameter or the parent's column.
    return f"{head} SELECT {', '.join(values)} FROM {source} RETURNING {pk}"  # noqa: S608


def _insert_head(obj, row, quote) -> str:
    names = ", ".join(quote(field.column) for field, _ in row)
    return f"INSERT INTO {quote(obj._meta.db_table)} ({names})"


def _returning(parent: Model, dependents: Sequence[Dependent], using: str) -> list:
    """What ``save()`` reads back from an insert of ``parent`` (its id first), and what the
    dependents take from it; refused when Django converts one of them after reading it."""
    taken = tuple(to for dependent in dependents for to in dependent.takes.values())
    key = (type(parent), using, taken)
    if key not in _returning_of:
        meta, connection = parent._meta, connections[using]
        fields = [meta.pk, *(f for f in meta.db_returning_fields if f is not meta.pk)]
        fields += [f for f in map(meta.get_field, dict.fromkeys(taken)) if f not in fields]
        for field in fields:
            col = field.get_col(meta.db_table)
            if connection.ops.get_db_converters(col) + field.get_db_converters(connection):
                raise TypeError(f"insert_with_dependents: {field} is converted when read")
        if len(_returning_of) < MAX_SHAPES:
            _returning_of[key] = fields
        return fields
    return _returning_of[key]


def _saved(parent: Model, returning: list, dependents, returned: tuple, using: str) -> None:
    """What ``save()`` leaves on the instances: the returned values, the ids, what each took."""
    for field, value in zip(returning, returned, strict=False):
        setattr(parent, field.attname, value)
    ids = returned[len(returning) :]
    for dependent, pks in zip(dependents, ids, strict=True):
        for row, pk in zip(dependent.rows, pks, strict=True):
            _take(row, dependent.takes, parent)
            row.pk = pk
    for obj in (parent, *(row for dependent in dependents for row in dependent.rows)):
        obj._state.adding = False
        obj._state.db = using


def _take(row: Model, takes: dict[str, str], parent: Model) -> None:
    """Give ``row`` what it takes from its saved ``parent``."""
    for name, to in takes.items():
        field, value = row._meta.get_field(name), getattr(parent, to)
        if isinstance(field, JSONField):
            getattr(row, field.attname)[to] = value
        else:
            setattr(row, field.attname, value)
            if field.is_relation and field.related_model is type(parent):
                field.set_cached_value(row, parent)  # as assigning the parent keeps it
