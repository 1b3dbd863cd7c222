"""A customer's answer as JSON text, written by PostgreSQL whenever the row is written.

A customers' page (the list and its search) joins these texts (``config.api.page_json``'s
``StoredObjects``) instead of writing every row's fields as JSON on every read: the
timestamps' formatting and the strings' escaping were two thirds of the page statement's time
(bench/README.md, the thirteenth step). Customers are read in pages far more often than
written.

``Cliente.representacion`` is a stored generated column over ``clientes_representacion``, an
SQL function that migrations create from ``function_sql()``: the members, kinds and formats
of ``CLIENTE_FIELDS``, written as a page wrote them per request (``config.api.page_json``), so
the bytes are the same. PostgreSQL computes it on every write, whatever the path (the
services, the admin, ``QuerySet.update``, COPY, an erasure): it cannot fall behind the row.

The function is IMMUTABLE, as a generated column requires, although ``to_char`` and
``to_json`` are only STABLE: the timestamps are formatted in UTC with digits and fixed
characters only (no locale, no ``DateStyle``), and ``to_json`` of a text depends on nothing
but the text.

Changing a customer's answer (a field in ``CLIENTE_FIELDS``) needs a migration, which
``makemigrations`` starts when the column's arguments change; a test fails until the migrated
function is ``function_sql()``. Its steps, in order:

1. remove the column (Django does not alter a generated column's expression);
2. drop the old function (the old ``drop_function_sql()``, frozen in the migration: new
   arguments would make ``CREATE OR REPLACE`` add a second function beside it);
3. create the new one (``function_sql()``, frozen);
4. add the column again: PostgreSQL computes it for every row as it rewrites the table.

A change of the body alone (same arguments) is ``CREATE OR REPLACE`` and then an ``UPDATE``
of every row (as ``clientes.0003`` does for the search columns): PostgreSQL recomputes a
stored column only when its row is written.
"""

import re

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models

from config.api.expressions import IsoUtc
from config.api.page_json import PLAIN_TEXT, kind_of_field, object_sql

FUNCTION = "clientes_representacion"
# The columns behind the answer's fields, in wire order (``CLIENTE_FIELDS``, which a test
# keeps equal): the function's arguments. Here so that the model need not import the API's
# fields.
COLUMNS = (
    "id",
    "nombre",
    "documento",
    "email",
    "telefono",
    "direccion",
    "notas",
    "archivado",
    "creado_en",
    "actualizado_en",
    "anonimizado_en",
)


class Representacion(models.Func):
    """``clientes_representacion(...)``: a customer's answer as JSON text."""

    function = FUNCTION
    output_field = models.TextField()


def representation_expression() -> Representacion:
    """The generated column's expression: the function over ``COLUMNS``."""
    return Representacion(*map(models.F, COLUMNS))


def function_sql() -> str:
    """``CREATE OR REPLACE FUNCTION clientes_representacion(...)``, from ``CLIENTE_FIELDS``."""
    from clientes.models import Cliente
    from clientes.representation import CLIENTE_FIELDS

    arguments, members = [], []
    for position, field in enumerate(CLIENTE_FIELDS, start=1):
        model_field = Cliente._meta.get_field(field.column)
        arguments.append(_argument_type(model_field))
        members.append(_member(field, model_field, f"${position}"))
    return (
        f"CREATE OR REPLACE FUNCTION {FUNCTION}({', '.join(arguments)}) RETURNS text\n"
        "    LANGUAGE sql IMMUTABLE PARALLEL SAFE\n"
        f"    AS $$ SELECT {object_sql(members)} $$"
    )


def drop_function_sql() -> str:
    """The statement that drops the function ``function_sql()`` creates."""
    from clientes.models import Cliente

    arguments = (_argument_type(Cliente._meta.get_field(column)) for column in COLUMNS)
    return f"DROP FUNCTION IF EXISTS {FUNCTION}({', '.join(arguments)})"


def _argument_type(model_field) -> str:
    # An argument's type takes no length: varchar(200) is varchar.
    return re.sub(r"\(.*\)", "", model_field.db_type(connection))


def _member(field, model_field, argument: str) -> tuple[str, str, str]:
    if field.database_text is None:
        return field.wire, kind_of_field(model_field), argument
    if field.database_text is IsoUtc:
        return field.wire, PLAIN_TEXT, IsoUtc.template % {"expressions": argument}
    raise ImproperlyConfigured(f"{field.wire}: no SQL for its database text in {FUNCTION}")
