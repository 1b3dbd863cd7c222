"""The soak's data: fresh tenants (unique slugs), one member and API token per client, customers
with a history of sales and quotations. Needs Django set up on the soak's database."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

HOT_DOCUMENTOS = 40  # per tenant: creates and updates fight over these
NOMBRES = ["José", "María", "Ángela", "Tomás", "Lucía", "Andrés", "Sofía", "Iñaki", "Zoë", "Raúl"]
APELLIDOS = ["Álvarez", "Pérez", "Gómez", "Muñoz", "Rodríguez", "Díaz", "Peña", "Castaño"]


@dataclass
class TenantState:
    """One soak tenant as the clients use it."""

    id: int
    slug: str
    tokens: list[str]
    ids: list[int]  # customer ids the clients may read and update (grows with each 201)
    seeded: set[int]
    hot: list[str]


def seed(args, rng: random.Random) -> list[TenantState]:
    """``args.tenants`` tenants sharing ``args.clients`` members, ``args.seed_clientes``
    customers each (the first of them on the tenant's hot ``documento``s); every fifth customer
    has three sales and a quotation."""
    from django.db import transaction

    from clientes.services import cliente_create
    from comercial.services import NewItem
    from cotizaciones.services import cotizacion_create
    from tenants.services import tenant_create, token_issue, user_create
    from ventas.services import venta_create

    run = uuid.uuid4().hex[:8]
    states = []
    per_tenant = -(-args.clients // args.tenants)
    for t in range(args.tenants):
        with transaction.atomic():
            tenant = tenant_create(slug=f"soak-{run}-{t}", nombre=f"Soak {run} {t}")
            tokens = []
            for u in range(per_tenant):
                user = user_create(
                    tenant=tenant,
                    email=f"soak-{run}-{t}-{u}@soak.test",
                    nombre=f"Cliente de carga {u}",
                    password=None,  # token only: no password hashing
                )
                tokens.append(token_issue(user=user)[1])
            hot = [f"{rng.randrange(10**9, 10**10)}" for _ in range(HOT_DOCUMENTOS)]
            ids = []
            for c in range(args.seed_clientes):
                documento = hot[c] if c < HOT_DOCUMENTOS // 2 else f"S{run}{t}-{c}"
                cliente = cliente_create(tenant=tenant, **random_cliente(rng, documento))
                ids.append(cliente.id)
                if c % 5 == 0:
                    for v in range(3):
                        venta_create(
                            tenant=tenant,
                            cliente=cliente,
                            items=[NewItem("Producto", Decimal(1 + v), Decimal("1500.50"))],
                        )
                    cotizacion_create(
                        tenant=tenant,
                        cliente=cliente,
                        items=[NewItem("Servicio", Decimal(1), Decimal("99000.00"))],
                    )
        states.append(TenantState(tenant.id, tenant.slug, tokens, ids, set(ids), hot))
    return states


def random_cliente(rng: random.Random, documento: str | None) -> dict:
    """A customer's body: a name with accents, often an email and a phone."""
    nombre = f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.randrange(1000)}"
    data = {"nombre": nombre, "documento": documento}
    if rng.random() < 0.6:
        data["email"] = f"{uuid.uuid4().hex[:10]}@example.test"
    if rng.random() < 0.6:
        data["telefono"] = f"300 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    return data


def variant(rng: random.Random, digits: str) -> str:
    """The same document as a client might type it: dots, dashes, spaces or nothing."""
    style = rng.randrange(4)
    if style == 0:
        return digits
    if style == 1:
        return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}-{digits[7:]}"
    if style == 2:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"  {digits[:5]}-{digits[5:]} "
