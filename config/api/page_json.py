"""A list page written as JSON text by PostgreSQL, one object per row.

PostgreSQL's own ``array_to_json`` over the page's records looks up how to write each
column's type again for every value: for 200 rows (customers, then) that was 750 to 870 µs
of the statement's 1,000 (bench/README.md, the eleventh step). Here each column is written by an
expression chosen once for its kind, and the text is byte for byte what ``array_to_json``
wrote: a string is quoted as it is unless it holds a character JSON escapes, which only
then goes through ``to_json``.

A kind of row whose object never changes between writes may hold it in a column of its own,
written by ``object_sql`` when the row is written (a generated column): its pages then only
join that column's text (``StoredObjects``; the customers', ``clientes.stored_answer``).
"""

from dataclasses import dataclass

import orjson
from django.db import connection
from django.db.models import QuerySet

from config.api.expressions import IsoUtc

TEXT = "text"  # JSON-escaped when it holds a character JSON escapes
PLAIN_TEXT = "plain text"  # never holds one (``IsoUtc``): quoted only
INTEGER = "integer"
BOOLEAN = "boolean"
JSON = "json"  # json or jsonb: its own text
OTHER = "other"  # anything else (decimals among them): PostgreSQL's to_json

_KIND_OF_FIELD = {
    "CharField": TEXT,
    "TextField": TEXT,
    "EmailField": TEXT,
    "SlugField": TEXT,
    "AutoField": INTEGER,
    "BigAutoField": INTEGER,
    "SmallAutoField": INTEGER,
    "IntegerField": INTEGER,
    "BigIntegerField": INTEGER,
    "SmallIntegerField": INTEGER,
    "PositiveIntegerField": INTEGER,
    "PositiveBigIntegerField": INTEGER,
    "PositiveSmallIntegerField": INTEGER,
    "BooleanField": BOOLEAN,
    "JSONField": JSON,
}

# Between two rows' objects: no JSON text holds it (a string escapes every control character;
# outside strings JSON allows none but whitespace).
ROW_SEPARATOR = chr(1)

# The characters JSON escapes in a string (PostgreSQL's escape_json); NUL never is in text.
# An E'' literal: the same whatever the server's standard_conforming_strings.
_ESCAPED = r"""E'[\\x01-\\x1f"\\\\]'"""

# ``{value}``: the column, qualified and quoted.
_VALUE_SQL = {
    TEXT: (
        f"CASE WHEN {{value}} IS NULL THEN 'null' WHEN {{value}} ~ {_ESCAPED}"
        " THEN to_json({value})::text ELSE '\"' || {value} || '\"' END"
    ),
    PLAIN_TEXT: "COALESCE('\"' || {value} || '\"', 'null')",
    INTEGER: "COALESCE({value}::text, 'null')",
    BOOLEAN: "CASE {value} WHEN true THEN 'true' WHEN false THEN 'false' ELSE 'null' END",
    JSON: "COALESCE({value}::text, 'null')",
    OTHER: "COALESCE(to_json({value})::text, 'null')",
}


@dataclass(frozen=True)
class PageColumns:
    """The columns of a page's rows: their names on the wire, in order, and how each is
    written (``TEXT``, ``INTEGER``...)."""

    keys: tuple[str, ...]
    kinds: tuple[str, ...]

    def row_sql(self, relation: str) -> str:
        """SQL writing each row of ``relation`` (named by ``keys``) as its JSON object."""
        return rows_as_json(relation, self)

    @classmethod
    def of(cls, queryset: QuerySet, keys: tuple[str, ...]) -> "PageColumns":
        """The columns of ``queryset``, built by ``page_columns`` with ``keys`` (it need not
        run: only its expressions' types are read)."""
        selected = queryset.query.annotation_select
        expressions = [selected[f"c{position}"] for position in range(len(keys))]
        return cls(tuple(keys), tuple(map(_kind_of, expressions)))


@dataclass(frozen=True)
class StoredObjects:
    """The rows of a page each hold their JSON object in ``column`` (written by
    ``object_sql`` when the row was written): the page joins that column's text."""

    column: str

    @property
    def keys(self) -> tuple[str, ...]:
        """The page's columns: the id (its order and cursor) and the objects."""
        return ("id", self.column)

    def row_sql(self, relation: str) -> str:
        """The stored object of each row of ``relation``, as it is."""
        return f"{relation}.{connection.ops.quote_name(self.column)}"


def _kind_of(expression) -> str:
    if isinstance(expression, IsoUtc):
        return PLAIN_TEXT
    return kind_of_field(expression.output_field)


def kind_of_field(field) -> str:
    """How a model field's values are written (``TEXT``, ``INTEGER``...)."""
    return _KIND_OF_FIELD.get(field.get_internal_type(), OTHER)


def object_sql(members: list[tuple[str, str, str]]) -> str:
    """SQL writing a JSON object of ``members``: (key, kind, the value's SQL), keys in their
    order."""
    written = []
    for position, (key, kind, value) in enumerate(members):
        name = orjson.dumps(key).decode()
        literal = "'" + ("{" if position == 0 else ",") + name.replace("'", "''") + ":'"
        written.append(f"{literal} || {_VALUE_SQL[kind].format(value=value)}")
    return "(" + " || ".join(written) + " || '}')"


def rows_as_json(relation: str, columns: PageColumns) -> str:
    """SQL writing each row of ``relation`` (named by ``columns.keys``) as a JSON object,
    keys in their order."""
    quote = connection.ops.quote_name
    return object_sql(
        [
            (key, kind, f"{relation}.{quote(key)}")
            for key, kind in zip(columns.keys, columns.kinds, strict=True)
        ]
    )


def json_array(joined: str | None, *, drop_last: bool) -> str:
    """The JSON array of the objects ``joined`` by ``ROW_SEPARATOR`` (None: none), without
    the last one when ``drop_last``."""
    if joined is None:
        return "[]"
    if drop_last:
        joined = joined[: joined.rfind(ROW_SEPARATOR)]
    return "[" + joined.replace(ROW_SEPARATOR, ",") + "]"
