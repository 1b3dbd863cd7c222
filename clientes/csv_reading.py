"""Reading an import's CSV: its lines decoded one by one, its header checked against the
export's columns, its records numbered by the line where each starts. Every problem with the
file as a whole is an ``ImportFileError`` that names its line."""

import codecs
import csv
from collections.abc import Iterable, Iterator

from clientes.import_results import ImportFileError
from clientes.transfer import ACCEPTED_COLUMNS, EXPORT_COLUMNS


def utf8_lines(file: Iterable[bytes]) -> Iterator[str]:
    """The file's lines, decoded one by one so an encoding error names its line."""
    for number, raw in enumerate(file, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"El archivo no está codificado en UTF-8 (línea {number}, byte {exc.start + 1})",
                line=number,
            ) from exc


def header(reader) -> list[str]:
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        raise ImportFileError("El archivo está vacío: falta la fila de cabecera") from None
    except csv.Error as exc:
        raise ImportFileError(f"Cabecera CSV mal formada: {exc}", line=1) from exc
    unknown = [c for c in columns if c not in ACCEPTED_COLUMNS]
    if unknown:
        raise ImportFileError(
            "Columnas desconocidas en la cabecera: "
            + ", ".join(f"«{c}»" for c in unknown)
            + f" (se admiten: {', '.join(EXPORT_COLUMNS)})",
            line=1,
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise ImportFileError(f"Columnas repetidas en la cabecera: {', '.join(repeated)}", line=1)
    if "nombre" not in columns:
        raise ImportFileError("Falta la columna obligatoria «nombre» en la cabecera", line=1)
    return columns


def records(reader) -> Iterator[tuple[int, list[str]]]:
    """``(line where the record starts, cells)``; blank lines are skipped."""
    previous = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(
                f"CSV mal formado en la línea {previous + 1}: {exc}", line=previous + 1
            ) from exc
        line, previous = previous + 1, reader.line_num
        if cells:
            yield line, cells
