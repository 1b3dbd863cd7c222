import os
import time

from django.core.management.base import BaseCommand, CommandError

from clientes.csv_import import cliente_import_csv
from clientes.import_results import ImportFileError, ImportResult
from clientes.transfer import EXPORT_COLUMNS
from tenants.management.lookups import tenant_by_slug
from tenants.models import Tenant


class Command(BaseCommand):
    """Upsert a tenant's customers from a CSV file, all or nothing."""

    help = (
        "Importa clientes de un CSV (UTF-8, con cabecera: "
        f"{', '.join(EXPORT_COLUMNS)}; «nombre» obligatoria; «id» y «creadoEn» "
        "opcionales). Actualiza el cliente con el mismo documento (forma canónica) o, sin "
        "documento, el del mismo id de esta empresa; si no, lo crea. Si alguna línea se "
        "rechaza no se guarda nada. Quita el apóstrofo que export_clientes antepone a las "
        "fórmulas: a una celda que empieza por uno o más ' seguidos de =, +, -, @, tabulador "
        "o retorno de carro se le quita el primero."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, metavar="SLUG")
        # The positional's name is part of the command's interface (call_command(archivo=...)).
        parser.add_argument("archivo", metavar="FILE.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Valida y cuenta lo que haría, sin guardar nada.",
        )

    def handle(self, *args, tenant: str, dry_run: bool, **options):
        path: str = options["archivo"]
        target = tenant_by_slug(tenant)
        try:
            stream = open(path, "rb")  # noqa: SIM115 (closed by the with below)
        except FileNotFoundError:
            raise CommandError(f"No existe el archivo «{path}»") from None
        except IsADirectoryError:
            raise CommandError(f"«{path}» es un directorio, no un archivo CSV") from None
        except OSError as exc:
            raise CommandError(f"No se puede leer el archivo «{path}»: {exc.strerror}") from exc
        with stream:
            progress = Progress(self.stderr, stream) if self.stderr.isatty() else None
            try:
                result = cliente_import_csv(
                    tenant=target,
                    file=stream,
                    dry_run=dry_run,
                    on_progress=progress.update if progress else None,
                )
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            finally:
                if progress:
                    progress.finish()
        self._report(target, result, dry_run=dry_run)

    def _report(self, tenant: Tenant, r: ImportResult, *, dry_run: bool) -> None:
        for rejected_line in r.rejected_lines:
            self.stderr.write(f"Línea {rejected_line.line}: {rejected_line.reason}")
        if r.rejected > len(r.rejected_lines):
            self.stderr.write(f"… y {rejected_phrase(r.rejected - len(r.rejected_lines))} más")
        where = f"«{tenant.nombre}» ({tenant.slug})"
        if dry_run:
            self.stdout.write(
                f"Simulación en {where}, no se guardó nada: se crearían {r.created}, "
                f"se actualizarían {r.updated}, {r.unchanged} sin cambios, "
                f"{r.rejected} rechazadas."
            )
            if r.rejected:
                raise CommandError(
                    f"{rejected_phrase(r.rejected)}: la importación no guardaría nada"
                )
            return
        if r.rejected:
            raise CommandError(
                f"{rejected_phrase(r.rejected)}; no se guardó nada "
                f"(se habrían creado {r.created}, actualizado {r.updated})"
            )
        self.stdout.write(
            f"Importación en {where}: {r.created} creados, {r.updated} actualizados, "
            f"{r.unchanged} sin cambios."
        )


def rejected_phrase(n: int) -> str:
    return "1 línea rechazada" if n == 1 else f"{n} líneas rechazadas"


class Progress:
    """A one-line progress display on a terminal (by bytes read), at most ten times a second."""

    WIDTH = 30

    def __init__(self, output, file):
        self.output = output
        self.file = file
        self.total = max(os.fstat(file.fileno()).st_size, 1)
        self.last = 0.0

    def update(self, line: int) -> None:
        now = time.monotonic()
        if now - self.last >= 0.1:
            self.last = now
            self._show(min(self.file.tell() / self.total, 1.0), line)

    def finish(self) -> None:
        self.output.write("\r\x1b[K", style_func=str, ending="")
        self.output.flush()

    def _show(self, fraction: float, line: int) -> None:
        filled = round(fraction * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.output.write(
            f"\r[{bar}] {fraction:4.0%} línea {line:,}".replace(",", "."),
            style_func=str,
            ending="",
        )
        self.output.flush()
