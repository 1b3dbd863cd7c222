from django.core.management.base import BaseCommand

from tenants.management.lookups import tenant_by_slug
from tenants.models import Tenant
from tenants.services import tenant_suspend


class Command(BaseCommand):
    """Suspend a tenant: its users are refused (403 «Empresa suspendida») from their next
    request on, with a token or a session; nothing is deleted (``reactivate_tenant``)."""

    help = (
        "Suspende una empresa: toda solicitud de sus usuarios (token o sesión) recibe 403 "
        "«Empresa suspendida» desde la siguiente. No borra nada; reactivate_tenant la deshace."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Slug de la empresa")

    def handle(self, *args, slug: str, **options):
        tenant = tenant_by_slug(slug)
        if tenant.estado == Tenant.Estado.SUSPENDIDA:
            self.stdout.write(f"La empresa «{tenant.nombre}» ({tenant.slug}) ya estaba suspendida.")
            return
        tenant_suspend(tenant=tenant)
        self.stdout.write(
            f"Empresa «{tenant.nombre}» ({tenant.slug}) suspendida: sus usuarios reciben 403 "
            "desde su siguiente solicitud."
        )
