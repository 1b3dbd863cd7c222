from django.core.management.base import BaseCommand

from clientes.transfer import EXPORT_COLUMNS, ClienteExport
from tenants.management.lookups import tenant_by_slug


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
        parser.add_argument("--format", choices=ClienteExport.FORMATS, default="csv")

    def handle(self, *args, tenant: str, format: str, **options):
        target = tenant_by_slug(tenant)
        if hasattr(self.stdout, "reconfigure") and _is_not_utf8(self.stdout):
            self.stdout.reconfigure(encoding="utf-8")  # the import reads UTF-8 only
        export = ClienteExport(tenant=target, formato=format)
        for chunk in export:
            self.stdout.write(chunk, ending="")
        self.stdout.flush()
        total = export.total
        plural = "" if total == 1 else "s"
        self.stderr.write(
            f"{total} cliente{plural} de «{target.nombre}» exportado{plural} ({format}).",
            style_func=str,
        )


def _is_not_utf8(stream) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "") not in {"utf8", ""}
