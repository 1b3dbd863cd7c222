from django.core.management.base import BaseCommand

from clientes.transfer import EXPORT_COLUMNS, cliente_export_csv, cliente_export_json
from tenants.management.lookups import tenant_by_slug

EXPORTERS = {"csv": cliente_export_csv, "json": cliente_export_json}


class Command(BaseCommand):
    """Write a tenant's customers to standard output, streaming."""

    help = (
        "Escribe los clientes de una empresa en la salida estándar, por id: CSV (cabecera "
        f"{','.join(EXPORT_COLUMNS)}; lo lee import_clientes) "
        "o JSON (un array de objetos Cliente como los muestra la API). En CSV, una celda de "
        "texto que empieza por =, +, -, @, tabulador o retorno de carro lleva delante un "
        "apóstrofo (') para que una hoja de cálculo no la ejecute como fórmula; "
        "import_clientes lo quita."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, metavar="SLUG")
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="csv")

    def handle(self, *args, tenant: str, format: str, **options):
        target = tenant_by_slug(tenant)
        if hasattr(self.stdout, "reconfigure") and _is_not_utf8(self.stdout):
            self.stdout.reconfigure(encoding="utf-8")  # the import reads UTF-8 only
        total = EXPORTERS[format](tenant=target, output=_Output(self.stdout))
        self.stdout.flush()
        plural = "" if total == 1 else "s"
        self.stderr.write(
            f"{total} cliente{plural} de «{target.nombre}» exportado{plural} ({format}).",
            style_func=str,
        )


class _Output:
    """``write`` without the ending OutputWrapper would add."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


def _is_not_utf8(stream) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "") not in {"utf8", ""}
