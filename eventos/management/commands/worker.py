from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app
from procrastinate.periodic import PeriodicRegistry


class Command(BaseCommand):
    """Run the background worker: numbering the feed, webhook deliveries and their retries,
    purging old events, recovering the jobs of dead workers."""

    help = (
        "Ejecuta el trabajador en segundo plano (procrastinate, sobre PostgreSQL): numera los "
        "eventos, entrega y reintenta los webhooks y purga lo antiguo. Pueden correr varios, "
        "en varias máquinas. SIGTERM termina el trabajo en curso y se detiene."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency", type=int, default=4, help="Trabajos a la vez (por defecto 4)."
        )
        parser.add_argument(
            "--una-vez",
            action="store_true",
            help="Hace lo pendiente y termina (para pruebas y tareas programadas).",
        )

    def handle(self, *args, concurrency: int, una_vez: bool, **options):
        # Its jobs run every second: their lines stay out of the log (WARNING and up only).
        self.stdout.write(f"Trabajador en marcha ({concurrency} trabajos a la vez).")
        periodic = _no_periodic_jobs() if una_vez else nullcontext()
        with app.replace_connector(app.connector.get_worker_connector()), periodic:
            app.run_worker(
                concurrency=concurrency,
                wait=not una_vez,
                install_signal_handlers=not una_vez,
                stalled_worker_timeout=settings.WORKER_STALLED_SECONDS,
                # Alive is a heartbeat well within the time after which a worker counts as dead.
                update_heartbeat_interval=settings.WORKER_STALLED_SECONDS / 4,
            )
        self.stdout.write("Trabajador detenido.")


@contextmanager
def _no_periodic_jobs():
    """Once (``--una-vez``): only what is queued. Its periodic deferrer would queue the next
    second's periodic jobs as it stops and leave them behind for the next worker."""
    configured = app.periodic_registry
    app.periodic_registry = PeriodicRegistry()
    try:
        yield
    finally:
        app.periodic_registry = configured
