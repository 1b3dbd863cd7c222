from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.services import TenantError, tenant_create


class Command(BaseCommand):
    """Create a tenant (empresa) and print its id."""

    help = "Crea una empresa (tenant) e imprime su id."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Identificador corto, único")
        parser.add_argument("--nombre", required=True, help="Nombre de la empresa")

    def handle(self, *args, slug: str, nombre: str, **options):
        try:
            tenant = tenant_create(slug=slug, nombre=nombre)
        except ValidationError as exc:
            raise CommandError(one_line(exc)) from exc
        except TenantError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(tenant.pk))
        self.stderr.write(f"Empresa «{tenant.nombre}» creada (slug {tenant.slug}, id {tenant.pk}).")


def one_line(exc: ValidationError) -> str:
    """A Django ValidationError as one line for an operator."""
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)
