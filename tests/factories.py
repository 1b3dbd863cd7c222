"""Small builders for the test suite; they go through the services like the API does."""

import itertools
from decimal import Decimal

from clientes.models import Cliente
from clientes.services import cliente_create
from comercial.services import NewItem
from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_create
from tenants.models import Tenant, User
from tenants.services import tenant_create, token_issue, user_create
from ventas.models import Venta
from ventas.services import venta_create

PASSWORD = "clave-de-prueba-9xk"
_seq = itertools.count(1)


def make_tenant(**kwargs) -> Tenant:
    n = next(_seq)
    kwargs.setdefault("slug", f"t{n}")
    kwargs.setdefault("nombre", f"Tienda {n}")
    return tenant_create(**kwargs)


def make_user(tenant: Tenant | None, **kwargs) -> User:
    n = next(_seq)
    fields = {"email": f"user{n}@example.test", "nombre": f"Usuario {n}", "password": PASSWORD}
    fields.update(kwargs)
    return user_create(tenant=tenant, **fields)


def make_token(user: User, **kwargs) -> str:
    return token_issue(user=user, **kwargs)[1]


def make_cliente(tenant: Tenant, **data) -> Cliente:
    data.setdefault("nombre", f"Cliente {next(_seq)}")
    return cliente_create(tenant=tenant, **data)


# A customer with every field filled, as a POST body takes it and as ``make_full_cliente``
# stores it. Read only: a test that needs other values builds a new dict from it.
FULL_CLIENTE = {
    "nombre": "José Álvarez",
    "documento": "1.020.345.678",
    "email": "jose@example.com",
    "telefono": "300 123 4567",
    "direccion": "Calle 1 # 2-3",
    "notas": "Prefiere WhatsApp",
}


def make_full_cliente(tenant: Tenant, **overrides) -> Cliente:
    """A customer of ``tenant`` with every field filled (``FULL_CLIENTE``), but for the
    ``overrides``: the values the calling test depends on. Two in one tenant need their own
    ``documento``, which is unique there."""
    return make_cliente(tenant, **{**FULL_CLIENTE, **overrides})


def items(total: str = "100.00") -> list[NewItem]:
    return [NewItem("Producto", Decimal(1), Decimal(total))]


def make_venta(
    tenant: Tenant, cliente: Cliente | None = None, *, total="100.00", **kwargs
) -> Venta:
    return venta_create(tenant=tenant, cliente=cliente, items=items(total), **kwargs)


def make_cotizacion(
    tenant: Tenant, cliente: Cliente | None = None, *, total="100.00", **kwargs
) -> Cotizacion:
    return cotizacion_create(tenant=tenant, cliente=cliente, items=items(total), **kwargs)
