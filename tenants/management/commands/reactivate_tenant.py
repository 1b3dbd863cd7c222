from django.core.management.base import BaseCommand

from tenants.management.lookups import tenant_by_slug
from tenants.models import Tenant
from tenants.services import tenant_reactivate


class Command(BaseCommand):
    """Reactivate a suspended tenant: its users (tokens and sessions they still hold) are let
    back in from their next request on."""

    help = (
        "Reactiva una empresa suspendida: sus usuarios vuelven a tener acceso desde su "
        "siguiente solicitud, con los tokens y sesiones que ya tenían."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Slug de la empresa")

    def handle(self, *args, slug: str, **options):
        tenant = tenant_by_slug(slug)
        if tenant.estado == Tenant.Estado.ACTIVA:
            self.stdout.write(f"La empresa «{tenant.nombre}» ({tenant.slug}) ya estaba activa.")
            return
        tenant_reactivate(tenant=tenant)
        self.stdout.write(f"Empresa «{tenant.nombre}» ({tenant.slug}) reactivada.")
