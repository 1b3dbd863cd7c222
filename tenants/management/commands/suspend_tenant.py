from tenants.management.estado import TenantEstadoCommand
from tenants.models import Tenant
from tenants.services import tenant_suspend


class Command(TenantEstadoCommand):
    """Suspend a tenant: its users are refused (403 «Empresa suspendida») from their next
    request on, with a token or a session; nothing is deleted (``reactivate_tenant``)."""

    help = (
        "Suspende una empresa: toda solicitud de sus usuarios (token o sesión) recibe 403 "
        "«Empresa suspendida» desde la siguiente. No borra nada; reactivate_tenant la deshace."
    )
    estado = Tenant.Estado.SUSPENDIDA
    service = staticmethod(tenant_suspend)
    already = "La empresa {empresa} ya estaba suspendida."
    done = "Empresa {empresa} suspendida: sus usuarios reciben 403 desde su siguiente solicitud."
