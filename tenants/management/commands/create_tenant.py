from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import DEFAULT_TIME_ZONE
from tenants.services import TenantError, tenant_create


class Command(BaseCommand):
    """Create a tenant (empresa) and print its id."""

    help = "Crea una empresa (tenant) e imprime su id."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Identificador corto, único")
        parser.add_argument("--nombre", required=True, help="Nombre de la empresa")
        parser.add_argument(
            "--zona-horaria",
            default=DEFAULT_TIME_ZONE,
            metavar="ZONA",
            help=f"Zona horaria IANA de la empresa (por defecto {DEFAULT_TIME_ZONE}): "
            "el día de una venta y de los filtros por fecha",
        )

    def handle(self, *args, slug: str, nombre: str, zona_horaria: str, **options):
        try:
            tenant = tenant_create(slug=slug, nombre=nombre, zona_horaria=zona_horaria)
        except ValidationError as exc:
            raise CommandError(one_line(exc)) from exc
        except TenantError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(tenant.pk))
        self.stderr.write(
            f"Empresa «{tenant.nombre}» creada (slug {tenant.slug}, id {tenant.pk}, "
            f"zona horaria {tenant.zona_horaria})."
        )


def one_line(exc: ValidationError) -> str:
    """A Django ValidationError as one line for an operator."""
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)
