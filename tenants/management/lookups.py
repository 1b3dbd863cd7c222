"""What every operator command that names a tenant shares: finding it by its slug."""

from django.core.management.base import CommandError

from tenants.models import Tenant


def tenant_by_slug(slug: str) -> Tenant:
    """The tenant with this slug (surrounding spaces ignored), or a CommandError naming it:
    the one error text of every command's ``--tenant`` / ``--slug``."""
    tenant = Tenant.objects.filter(slug=slug.strip()).first()
    if tenant is None:
        raise CommandError(f"No existe la empresa «{slug}»")
    return tenant
