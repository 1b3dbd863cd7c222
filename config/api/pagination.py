"""Keyset ("cursor") pagination on ``id``, newest first.

The body stays a plain JSON array; when more rows match than were returned, a
``Link: <...>; rel="next"`` header carries the URL of the next page. Fixed cost at any depth,
unlike OFFSET.

The API's lists are rendered by PostgreSQL (``json_page``): one statement returns the page as
JSON text and the next page's cursor, and the answer sends that text as it came. Python
builds no object per row: that was most of a list request's own time (bench/README.md).
"""

import functools
import re
from dataclasses import dataclass

import orjson
from django.db import connection, connections
from django.db.models import F, QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.api.exceptions import ApiValidationError
from config.api.ids import MAX_BIGINT, parse_id
from config.api.once import once
from config.api.page_json import PageColumns, StoredObjects, json_array

_WHOLE_NUMBER = re.compile(r"[0-9]+")

# A page is the first ``limit`` of ``limit + 1`` rows, newest first; the last row tells
# whether there is a next page, whose cursor is the id of the page's last row. The rows'
# columns are their fields named as on the wire, or the id and each row's stored object
# (``id`` among them either way). Each row is written as a JSON object, or its stored one is
# taken (``config.api.page_json``), and the objects are joined by ``ROW_SEPARATOR``,
# which no JSON text holds: ``json_array`` leaves out the extra row's at its last one. Cutting
# the page to ``limit`` rows in SQL (an array's slice, a window numbering the rows) cost
# PostgreSQL more than writing the rows (bench/README.md, the eleventh step).
PAGE_HEAD_SQL = (
    "SELECT string_agg({row}, chr(1) ORDER BY pagina.id DESC),"  # chr(1): ROW_SEPARATOR
    " CASE WHEN count(*) > %s THEN (array_agg(pagina.id ORDER BY pagina.id DESC))[%s] END"
    " FROM ("
)
PAGE_TAIL_SQL = " LIMIT %s) AS pagina ({names})"


@dataclass(frozen=True)
class PageRows:
    """A list page's rows as ``json_page`` renders them: the SQL and parameters of a statement
    selecting ``columns`` (``page_columns``): each field apart, or each row's stored object."""

    sql: str
    params: list
    columns: PageColumns | StoredObjects


def page_columns(queryset: QuerySet, fields: dict) -> QuerySet:
    """``queryset`` newest first, selecting ``fields`` (the page's column name -> expression
    or field name), in their order. The columns go by their position: ``PAGE_TAIL_SQL`` names
    them, since a name on the wire may be a model field's, which ``values()`` refuses as an
    alias."""
    columns = {
        f"c{position}": F(value) if isinstance(value, str) else value
        for position, value in enumerate(fields.values())
    }
    return queryset.order_by("-id").values(**columns)


@functools.cache
def _page_sql(columns: PageColumns | StoredObjects) -> tuple[str, str]:
    """The statement of a page of rows with ``columns``, around the rows' own SQL (once per
    kind of row)."""
    names = ", ".join(connection.ops.quote_name(key) for key in columns.keys)
    head = PAGE_HEAD_SQL.format(row=columns.row_sql("pagina"))
    return head, PAGE_TAIL_SQL.format(names=names)


class IdCursorPagination(BasePagination):
    limit_query_param = "limite"
    cursor_query_param = "cursor"
    default_limit = 200
    max_limit = 500

    def paginate_queryset(self, queryset, request, view=None) -> list:
        limit, cursor = self.bounds(request.query_params)
        if cursor is not None:
            queryset = queryset.filter(id__lt=cursor)
        rows = list(queryset.order_by("-id")[: limit + 1])
        self.request = request
        self.next_cursor = _id_of(rows[limit - 1]) if len(rows) > limit else None
        return rows[:limit]

    def bounds(self, params) -> tuple[int, int | None]:
        """The page's size and cursor from the query string ``params`` (400 when invalid)."""
        return self._limit(params), self._cursor(params)

    def json_page(self, request, rows: PageRows, *, limit: int, using="default"):
        """The answer of a list: the page of ``rows`` (newest first, the cursor already
        applied), rendered by PostgreSQL."""
        page, self.next_cursor = self.read_page(request, rows, limit=limit, using=using)
        self.request = request
        return self.get_paginated_response(orjson.Fragment(page))

    @staticmethod
    def read_page(request, rows: PageRows, *, limit: int, using="default") -> tuple[str, int]:
        """The page of ``rows`` as JSON text, and the next page's cursor (None on the last
        page): one statement, run once per request (``once``)."""

        def read() -> tuple[str, int]:
            head, tail = _page_sql(rows.columns)
            with connections[using].cursor() as cursor:
                cursor.execute(head + rows.sql + tail, [limit, limit, *rows.params, limit + 1])
                joined, next_cursor = cursor.fetchone()
            return json_array(joined, drop_last=next_cursor is not None), next_cursor

        return once(request, ("page", rows.sql, repr(rows.params), limit, using), read)

    def get_paginated_response(self, data) -> Response:
        return Response(data, headers=self.link(self.request, self.next_cursor))

    @classmethod
    def link(cls, request, next_cursor: int | None) -> dict[str, str]:
        """The ``Link`` header of a page whose next page starts below ``next_cursor``."""
        if next_cursor is None:
            return {}
        url = replace_query_param(request.build_absolute_uri(), cls.cursor_query_param, next_cursor)
        return {"Link": f'<{url}>; rel="next"'}

    def _limit(self, params) -> int:
        raw = params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        digits = raw.lstrip("0")
        if not _WHOLE_NUMBER.fullmatch(raw) or not digits:
            self._invalid(self.limit_query_param, "Debe ser un número entero mayor o igual a 1.")
        # Any larger whole number means "as many as allowed" (very long digit strings are not
        # converted: Python refuses int() past 4,300 digits).
        return self.max_limit if len(digits) > 4 else min(int(digits), self.max_limit)

    def _cursor(self, params) -> int | None:
        raw = params.get(self.cursor_query_param)
        if raw is None:
            return None
        cursor = parse_id(raw)
        if cursor is None:
            self._invalid(
                self.cursor_query_param, f"Debe ser un número entero entre 1 y {MAX_BIGINT}."
            )
        return cursor

    @staticmethod
    def _invalid(name: str, message: str):
        raise ApiValidationError({name: [message]}, summary=f"El parámetro «{name}» no es válido")

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.limit_query_param,
                "in": "query",
                "required": False,
                "description": (
                    f"Cuántos devolver (por defecto {self.default_limit}, "
                    f"máximo {self.max_limit}; un valor mayor se reduce a {self.max_limit})."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Solo elementos con id menor que este (página siguiente).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_BIGINT},
            },
        ]


def _id_of(row) -> int:
    return row["id"] if isinstance(row, dict) else row.pk
