"""Formula neutralisation of CSV text cells, shared by every export and by ``import_clientes``.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (CSV injection). Exports therefore write such a text cell with a
leading apostrophe, and the import removes it again. ``neutralize_formula`` is one-to-one and
``restore_formula`` undoes it, so export then import gives back every string exactly:

- ``neutralize_formula`` prefixes ``'`` to a value that starts with a trigger character, and
  also to a value that starts with one or more ``'`` followed by a trigger character (so a
  value that is literally ``'=x`` is written ``''=x`` and cannot be mistaken for ``=x``);
- ``restore_formula`` removes one leading ``'`` from a value of exactly that shape: one or
  more ``'`` followed by a trigger character. Anything else (``'hola``, ``300 123``) is kept.

Only text cells go through these functions; numbers, ids and timestamps the code writes itself
stay as they are (they never start with a trigger, and money is never negative). JSON exports
are not touched: JSON is not run as formulas, and its consumers get the stored value.

``csv_record`` writes the exports' CSV lines: ``csv.writer`` with ``lineterminator="\\n"``
(Python 3.11) leaves a bare carriage return unquoted, and a reader then splits the record there.
"""

import re
from collections.abc import Iterable

FORMULA_TRIGGERS = "=+-@\t\r"
PREFIX = "'"

# A cell with one of these characters is quoted (RFC 4180), its quotes doubled.
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
_TRIGGER = f"[{re.escape(FORMULA_TRIGGERS)}]"
# Values written with the prefix: a trigger, possibly after apostrophes of the value itself.
_NEEDS_PREFIX = re.compile(f"'*{_TRIGGER}")
# The shape of every neutralised cell: one or more apostrophes and then a trigger.
_NEUTRALISED = re.compile(f"'+{_TRIGGER}")


def neutralize_formula(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet runs as a formula (see the module's rule)."""
    if _NEEDS_PREFIX.match(value):
        return PREFIX + value
    return value


def restore_formula(value: str) -> str:
    """The value ``neutralize_formula`` was given for the cell ``value``; its exact inverse."""
    if _NEUTRALISED.match(value):
        return value[len(PREFIX) :]
    return value


def text_cell(value: str | None) -> str:
    """A nullable text value as an exported CSV cell: empty for null, neutralised otherwise."""
    return "" if value is None else neutralize_formula(value)


def csv_record(cells: Iterable[object]) -> str:
    """One CSV line ending in ``\\n``: null is an empty cell, other values are written with
    ``str``; a cell with a comma, a ``"``, a CR or a LF is quoted, its ``"`` doubled (what
    ``csv.writer(lineterminator="\\n")`` does, except that it leaves a bare CR unquoted)."""
    texts = [_csv_cell(cell) for cell in cells]
    return ('""' if texts == [""] else ",".join(texts)) + "\n"  # a lone empty cell is quoted


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text
