import os
import time

from django.core.management.base import BaseCommand, CommandError

from clientes.transfer import (
    COLUMNAS_EXPORTACION,
    ImportacionError,
    ResultadoImportacion,
    cliente_import_csv,
)
from tenants.models import Tenant


class Command(BaseCommand):
    """Upsert a tenant's customers from a CSV file, all or nothing."""

    help = (
        "Importa clientes de un CSV (UTF-8, con cabecera: "
        f"{', '.join(COLUMNAS_EXPORTACION)}; «nombre» obligatoria; «id» y «creadoEn» "
        "opcionales). Actualiza el cliente con el mismo documento (forma canónica) o, sin "
        "documento, el del mismo id de esta empresa; si no, lo crea. Si alguna línea se "
        "rechaza no se guarda nada."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, metavar="SLUG")
        parser.add_argument("archivo", metavar="FILE.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Valida y cuenta lo que haría, sin guardar nada.",
        )

    def handle(self, *args, tenant: str, archivo: str, dry_run: bool, **options):
        empresa = Tenant.objects.filter(slug=tenant).first()
        if empresa is None:
            raise CommandError(f"No existe la empresa «{tenant}»")
        try:
            entrada = open(archivo, "rb")  # noqa: SIM115 (closed by the with below)
        except FileNotFoundError:
            raise CommandError(f"No existe el archivo «{archivo}»") from None
        except IsADirectoryError:
            raise CommandError(f"«{archivo}» es un directorio, no un archivo CSV") from None
        except OSError as exc:
            raise CommandError(f"No se puede leer el archivo «{archivo}»: {exc.strerror}") from exc
        with entrada:
            progreso = Progreso(self.stderr, entrada) if self.stderr.isatty() else None
            try:
                resultado = cliente_import_csv(
                    tenant=empresa,
                    archivo=entrada,
                    dry_run=dry_run,
                    al_avanzar=progreso.actualizar if progreso else None,
                )
            except ImportacionError as exc:
                raise CommandError(str(exc)) from exc
            finally:
                if progreso:
                    progreso.terminar()
        self._informar(empresa, resultado, dry_run=dry_run)

    def _informar(self, empresa: Tenant, r: ResultadoImportacion, *, dry_run: bool) -> None:
        for rechazo in r.rechazos:
            self.stderr.write(f"Línea {rechazo.linea}: {rechazo.motivo}")
        if r.rechazados > len(r.rechazos):
            self.stderr.write(f"… y {rechazadas(r.rechazados - len(r.rechazos))} más")
        donde = f"«{empresa.nombre}» ({empresa.slug})"
        if dry_run:
            self.stdout.write(
                f"Simulación en {donde}, no se guardó nada: se crearían {r.creados}, "
                f"se actualizarían {r.actualizados}, {r.sin_cambios} sin cambios, "
                f"{r.rechazados} rechazadas."
            )
            if r.rechazados:
                raise CommandError(f"{rechazadas(r.rechazados)}: la importación no guardaría nada")
            return
        if r.rechazados:
            raise CommandError(
                f"{rechazadas(r.rechazados)}; no se guardó nada "
                f"(se habrían creado {r.creados}, actualizado {r.actualizados})"
            )
        self.stdout.write(
            f"Importación en {donde}: {r.creados} creados, {r.actualizados} actualizados, "
            f"{r.sin_cambios} sin cambios."
        )


def rechazadas(n: int) -> str:
    return "1 línea rechazada" if n == 1 else f"{n} líneas rechazadas"


class Progreso:
    """A one-line progress display on a terminal (by bytes read), at most ten times a second."""

    ANCHO = 30

    def __init__(self, salida, archivo):
        self.salida = salida
        self.archivo = archivo
        self.total = max(os.fstat(archivo.fileno()).st_size, 1)
        self.ultima = 0.0

    def actualizar(self, linea: int) -> None:
        ahora = time.monotonic()
        if ahora - self.ultima >= 0.1:
            self.ultima = ahora
            self._mostrar(min(self.archivo.tell() / self.total, 1.0), linea)

    def terminar(self) -> None:
        self.salida.write("\r\x1b[K", style_func=str, ending="")
        self.salida.flush()

    def _mostrar(self, fraccion: float, linea: int) -> None:
        lleno = round(fraccion * self.ANCHO)
        barra = "#" * lleno + "-" * (self.ANCHO - lleno)
        self.salida.write(
            f"\r[{barra}] {fraccion:4.0%} línea {linea:,}".replace(",", "."),
            style_func=str,
            ending="",
        )
        self.salida.flush()
