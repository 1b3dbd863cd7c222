"""What ``suspend_tenant`` and ``reactivate_tenant`` share: find the tenant, say so when it is
already in the wanted estado, otherwise change it through its service."""

from collections.abc import Callable

from django.core.management.base import BaseCommand

from tenants.management.lookups import tenant_by_slug
from tenants.models import Tenant


class TenantEstadoCommand(BaseCommand):
    """Moves the ``--slug`` tenant to ``estado`` with ``service``; ``already`` and ``done``
    are the Spanish sentences (formatted with ``{empresa}``) it prints."""

    estado: Tenant.Estado
    service: Callable[..., Tenant]
    already: str
    done: str

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Slug de la empresa")

    def handle(self, *args, slug: str, **options):
        tenant = tenant_by_slug(slug)
        empresa = f"«{tenant.nombre}» ({tenant.slug})"
        if tenant.estado == self.estado:
            self.stdout.write(self.already.format(empresa=empresa))
            return
        self.service(tenant=tenant)
        self.stdout.write(self.done.format(empresa=empresa))
