"""Normalization shared by the search columns, the uniqueness rule and the search query.

All of it runs in PostgreSQL, in IMMUTABLE SQL functions created by migration
``clientes.0001``: generated columns use them, so every write path (ORM, bulk, COPY, admin)
stays consistent, and the query folds the search term with the very same functions.

- ``clientes_pliegue(t)``: accents folded (combining marks dropped, precomposed Latin letters
  mapped by ``translate``, so it works on any server and locale, without the ``unaccent``
  extension) and lower-cased.
- ``clientes_sin_puntuacion(t)``: the above without spaces, dots and dashes.
- ``clientes_documento_canonico(t)``: upper-cased, without spaces, dots and dashes.

Changing a function needs a migration that re-creates it and recomputes the stored columns
(see ``clientes.0003``).

The stored columns are ``text`` (``clientes.0005``): under an ICU collation ``upper()`` may
lengthen a string ("ß" -> "SS", "ﬃ" -> "FFI"), so no length limit would be safe.
"""

import re
import unicodedata

from django.db import models


def _latin_fold_map() -> tuple[str, str]:
    accented = [
        ch
        for ch in map(chr, range(0xC0, 0x180))
        if unicodedata.category(ch).startswith("L")
        and len(unicodedata.normalize("NFKD", ch)) > 1
        and unicodedata.normalize("NFKD", ch)[0].isascii()
    ]
    return "".join(accented), "".join(unicodedata.normalize("NFKD", ch)[0] for ch in accented)


ACCENTED, UNACCENTED = _latin_fold_map()
FIELD_SEPARATOR = "\x1f"  # control characters are refused in every searched field

# Accents typed as separate combining marks (e.g. "E" + U+0301, as some keyboards send them).
COMBINING_MARKS = [("\u0300", "\u036f")]
# What "spaces, dots and dashes" means in documents and phones: every Unicode space
# (no-break and narrow ones included), the dot and the dash.
SEPARATORS = [
    ("\t", "\r"),
    (" ", " "),
    ("\u00a0", "\u00a0"),
    ("\u1680", "\u1680"),
    ("\u2000", "\u200a"),
    ("\u2028", "\u2029"),
    ("\u202f", "\u202f"),
    ("\u205f", "\u205f"),
    ("\u3000", "\u3000"),
    (".", "."),
    ("-", "-"),
]


def _python_class(ranges) -> str:
    return (
        "["
        + "".join(re.escape(a) if a == b else f"{re.escape(a)}-{re.escape(b)}" for a, b in ranges)
        + "]+"
    )


def _sql_class(ranges) -> str:
    """The same class as a PostgreSQL E'' literal body, with \\uXXXX escapes."""

    def char(c: str) -> str:
        return c if c in ".-" else f"\\u{ord(c):04x}"

    body = "".join(char(a) if a == b else f"{char(a)}-{char(b)}" for a, b in ranges)
    return "[" + body + "]+"


PUNCTUATION = re.compile(_python_class(SEPARATORS))

CREATE_FUNCTIONS_SQL = f"""
CREATE OR REPLACE FUNCTION clientes_pliegue(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(translate(
        regexp_replace(t, E'{_sql_class(COMBINING_MARKS)}', '', 'g'),
        '{ACCENTED}', '{UNACCENTED}'
    )) $$;
CREATE OR REPLACE FUNCTION clientes_sin_puntuacion(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT regexp_replace(clientes_pliegue(t), E'{_sql_class(SEPARATORS)}', '', 'g') $$;
CREATE OR REPLACE FUNCTION clientes_documento_canonico(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT upper(regexp_replace(t, E'{_sql_class(SEPARATORS)}', '', 'g')) $$;
"""

DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS clientes_documento_canonico(text);
DROP FUNCTION IF EXISTS clientes_sin_puntuacion(text);
DROP FUNCTION IF EXISTS clientes_pliegue(text);
"""


class Pliegue(models.Func):
    function = "clientes_pliegue"
    output_field = models.TextField()


class SinPuntuacion(models.Func):
    function = "clientes_sin_puntuacion"
    output_field = models.TextField()


class DocumentoCanonico(models.Func):
    function = "clientes_documento_canonico"
    output_field = models.TextField()


def _joined(*expressions) -> models.Func:
    """``a || SEP || b`` with nulls as empty strings (``||`` keeps the expression IMMUTABLE)."""
    parts = []
    for expr in expressions:
        if parts:
            parts.append(models.Value(FIELD_SEPARATOR))
        parts.append(models.functions.Coalesce(expr, models.Value("")))
    return models.Func(
        *parts, template="(%(expressions)s)", arg_joiner=" || ", output_field=models.TextField()
    )


def search_text_expression():
    """Name and email, folded: matched against the folded search term."""
    return _joined(Pliegue(models.F("nombre")), Pliegue(models.F("email")))


def search_codes_expression():
    """Document and phone, folded and without punctuation."""
    return _joined(SinPuntuacion(models.F("documento")), SinPuntuacion(models.F("telefono")))


def has_code_characters(term: str) -> bool:
    """Whether the term says anything once spaces, dots and dashes are gone."""
    return bool(PUNCTUATION.sub("", term))
