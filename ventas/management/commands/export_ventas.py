import os
import re
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tenants.management.lookups import tenant_by_slug
from ventas.transfer import CSV_COLUMNS, venta_export_csv, venta_export_json

EXPORTERS = {"csv": venta_export_csv, "json": venta_export_json}
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Command(BaseCommand):
    """Write a tenant's sales with their items to standard output, streaming."""

    help = (
        "Escribe las ventas de una empresa, con sus ítems, en la salida estándar, por id. "
        "--desde y --hasta (AAAA-MM-DD, incluidos) son días en la zona horaria de la empresa. "
        f"CSV: una fila por ítem con las columnas {', '.join(CSV_COLUMNS)} (las de la venta se "
        "repiten en cada ítem; cancelada es sí o no; los importes, exactos, con punto decimal). "
        "JSON: un array de objetos Venta como el detalle de la API, sin eventos. En CSV, una "
        "celda de texto que empieza por =, +, -, @, tabulador o retorno de carro lleva delante "
        "un apóstrofo (') para que una hoja de cálculo no la ejecute como fórmula."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, metavar="SLUG")
        parser.add_argument("--desde", metavar="AAAA-MM-DD", help="Primer día (incluido)")
        parser.add_argument("--hasta", metavar="AAAA-MM-DD", help="Último día (incluido)")
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="csv")

    def handle(
        self, *args, tenant: str, desde: str | None, hasta: str | None, format: str, **options
    ):
        first, last = parse_day(desde, "--desde"), parse_day(hasta, "--hasta")
        if first is not None and last is not None and first > last:
            raise CommandError(f"--desde ({first}) es posterior a --hasta ({last})")
        target = tenant_by_slug(tenant)
        if hasattr(self.stdout, "reconfigure") and _is_not_utf8(self.stdout):
            self.stdout.reconfigure(encoding="utf-8")
        try:
            count = EXPORTERS[format](
                tenant=target, output=_Output(self.stdout), desde=first, hasta=last
            )
            self.stdout.flush()
        except BrokenPipeError:  # e.g. `export_ventas ... | head`
            _silence_stdout()
            raise CommandError("La salida se cerró antes de terminar la exportación") from None
        plural = "" if count.ventas == 1 else "s"
        items = f"{count.items} ítem{'' if count.items == 1 else 's'}"
        self.stderr.write(
            f"{count.ventas} venta{plural} ({items}) de «{target.nombre}» "
            f"exportada{plural} ({format}).",
            style_func=str,
        )


def parse_day(value: str | None, option: str) -> date | None:
    """A ``YYYY-MM-DD`` option as a date (None when not given); a CommandError otherwise."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Fecha no válida en {option}: «{value}» (se espera AAAA-MM-DD, p. ej. 2026-03-01)"
        ) from None


class _Output:
    """``write`` without the ending OutputWrapper would add."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


def _silence_stdout() -> None:
    """Point the process's closed standard output at /dev/null, so exiting does not fail
    again flushing it."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's StringIO)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _is_not_utf8(stream) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "") not in {"utf8", ""}
