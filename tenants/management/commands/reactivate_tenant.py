from tenants.management.estado import TenantEstadoCommand
from tenants.models import Tenant
from tenants.services import tenant_reactivate


class Command(TenantEstadoCommand):
    """Reactivate a suspended tenant: its users (tokens and sessions they still hold) are let
    back in from their next request on."""

    help = (
        "Reactiva una empresa suspendida: sus usuarios vuelven a tener acceso desde su "
        "siguiente solicitud, con los tokens y sesiones que ya tenían."
    )
    estado = Tenant.Estado.ACTIVA
    service = staticmethod(tenant_reactivate)
    already = "La empresa {empresa} ya estaba activa."
    done = "Empresa {empresa} reactivada."
