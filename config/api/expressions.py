from datetime import UTC, datetime

from django.db import models


def iso_utc(value: datetime | None) -> str | None:
    """A timestamp as the API writes it, in Python (``IsoUtc`` is the same in SQL): ISO 8601
    in UTC with a ``Z``, microseconds only when not zero, what DRF's ``DateTimeField``
    writes. None stays None."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class IsoUtc(models.Func):
    """A timestamp as the API writes it, formatted by PostgreSQL (``iso_utc`` in Python).

    ISO 8601 in UTC with a ``Z``, microseconds only when not zero: byte for byte what DRF
    and orjson write for a datetime. Read paths that return many rows use it because turning
    each timestamp into a Python datetime and back into text was the largest cost of the list
    endpoint (see bench/README.md). NULL stays NULL.
    """

    arity = 1
    # One to_char and a replace: a third faster than formatting the fraction apart.
    template = (
        "replace(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
        " '.000000Z', 'Z')"
    )
    output_field = models.CharField()


class JsonRecord(models.Func):
    """A JSON object with these keys in this order, written by PostgreSQL compactly.

    ``row_to_json`` over a one-row ``SELECT`` of the values named as the keys: the same bytes
    orjson writes for the same dict (``json_build_object`` spaces its colons; ``jsonb``
    reorders the keys). A value that is itself a ``JsonRecord`` (or other ``json``) nests as
    is. The documents' list rows nest their references with it
    (``comercial.selectors.list_reference``); a page joins its rows itself
    (``config.api.page_json``).
    """

    output_field = models.JSONField()

    def __init__(self, **fields):
        self.keys = tuple(fields)
        super().__init__(*fields.values())

    def as_sql(self, compiler, connection, **extra_context):
        columns, params = [], []
        for key, expression in zip(self.keys, self.get_source_expressions(), strict=True):
            sql, expression_params = compiler.compile(expression)
            columns.append(f"{sql} AS {connection.ops.quote_name(key)}")
            params.extend(expression_params)
        select = ", ".join(columns)  # compiled expressions and quoted names: no input
        return f"(SELECT row_to_json(_record) FROM (SELECT {select}) _record)", params  # noqa: S608
