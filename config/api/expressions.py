from django.db import models


class IsoUtc(models.Func):
    """A timestamp as the API writes it, formatted by PostgreSQL.

    ISO 8601 in UTC with a ``Z``, microseconds only when not zero: byte for byte what DRF
    and orjson write for a datetime. Read paths that return many rows use it because turning
    each timestamp into a Python datetime and back into text was the largest cost of the list
    endpoint (see bench/README.md). NULL stays NULL.
    """

    arity = 1
    template = (
        "(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        " || CASE WHEN mod(extract(microseconds FROM %(expressions)s)::bigint, 1000000) = 0"
        " THEN '' ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', '.US') END || 'Z')"
    )
    output_field = models.CharField()
