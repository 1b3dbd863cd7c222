"""What the schemathesis run of ``test_schemathesis.py`` works on (no tests here).

- ``fuzz_world``: a shop with customers, sales and quotations in every state, and a neighbour
  shop whose data must never show.
- ``follow_unstated_rules``: the few rules of the API that no JSON Schema can state (a
  reference to an existing row, a time relative to now, a product of two fields, a key used
  before), applied to the positive cases only, which stay schema-valid. Everything else a
  request must obey is in the schema itself.
"""

import itertools
import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone

from clientes.models import Cliente
from comercial.models import MAX_TOTAL_EXCLUSIVE
from cotizaciones.models import Cotizacion
from cotizaciones.services import cotizacion_cancel, cotizacion_convert
from tenants.api.idempotency import HEADER
from tenants.models import User
from tests.factories import (
    make_cliente,
    make_cotizacion,
    make_tenant,
    make_token,
    make_user,
    make_venta,
)
from ventas.services import venta_cancel

OTHER_MARK = "zqxajenab"  # only the other tenant's data contains this
DOCUMENT_BODIES = {"/api/ventas", "/api/cotizaciones"}
# Resource (``clientes``, ``ventas``, ``cotizaciones``) -> real ids, own and the neighbour's,
# and the shop itself; filled by the fixture of the running test, read when a case is drawn.
REAL_IDS: dict[str, list[int]] = {}
WORLD: dict = {}
_keys = itertools.count(1)
VALID_KEY = re.compile(r"[!-~]{1,255}")  # tenants.api.idempotency


@pytest.fixture
def fuzz_world(db):
    """A shop with customers, sales and quotations (open, cancelled, converted, expired) and
    a neighbour shop with its own; ``REAL_IDS`` gets their ids before any example is drawn.

    The caller is an ADMIN, so every sale and quotation of the shop is theirs to read, cancel
    and convert: the 200/201 paths of every operation are reachable.
    """
    tenant = make_tenant(nombre="Tienda fuzz")
    user = make_user(tenant, rol=User.Rol.ADMIN)
    seller = make_user(tenant)
    own = {"clientes": [], "ventas": [], "cotizaciones": []}
    for n in range(3):
        cliente = make_cliente(
            tenant,
            nombre=f"José Álvarez {n}",
            documento=f"1.020.345-67{n}",
            email=f"jose{n}@example.com",
            telefono="300 123 4567",
        )
        own["clientes"].append(cliente.pk)
        ventas = [
            make_venta(tenant, cliente, total="150000.00", notas="venta", vendedor=seller),
            make_venta(tenant, cliente, total="99.99", vendedor=user),
        ]
        cotizaciones = [
            make_cotizacion(tenant, cliente, total="99000.50", vendedor=seller),
            make_cotizacion(tenant, None, total="10.00", vendedor=user, notas="obra"),
        ]
        if n == 1:  # the other states a document can be in
            venta_cancel(venta=ventas[0], por=user, motivo="Error de caja")
            cotizacion_cancel(cotizacion=cotizaciones[0], por=user, motivo="No compró")
            ventas.append(cotizacion_convert(cotizacion=cotizaciones[1], por=user)[0])
        if n == 2:
            Cotizacion.objects.for_tenant(tenant).filter(pk=cotizaciones[0].pk).update(
                valida_hasta=timezone.now() - timedelta(days=1)
            )
        own["ventas"] += [v.pk for v in ventas]
        own["cotizaciones"] += [c.pk for c in cotizaciones]
    neighbour = make_tenant(nombre=f"Vecina {OTHER_MARK}")
    foreign_cliente = make_cliente(
        neighbour, nombre=f"Ajeno {OTHER_MARK}", documento="1.020.345-670"
    )
    foreign = {
        "clientes": foreign_cliente.pk,
        "ventas": make_venta(neighbour, foreign_cliente, notas=OTHER_MARK).pk,
        "cotizaciones": make_cotizacion(neighbour, foreign_cliente, notas=OTHER_MARK).pk,
    }
    REAL_IDS.clear()
    REAL_IDS.update({kind: [*ids, foreign[kind]] for kind, ids in own.items()})
    WORLD.clear()
    WORLD.update(tenant=tenant, clientes=own["clientes"])
    return {"token": make_token(user), "own": own, "foreign": foreign}


@pytest.fixture
def wsgi_keeps_test_transaction():
    """Django's test client keeps the test's transaction open by not closing connections when
    a request finishes; calling the WSGI application directly must do the same, or the first
    request would close the connection that holds the test data."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _subtotal(item: dict) -> Decimal:
    cantidad, precio = (Decimal(str(item.get(k, 0))) for k in ("cantidad", "precioUnitario"))
    return (cantidad * precio).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _follow_document_rules(body: dict) -> None:
    cliente = body.get("clienteId")
    if cliente is not None and WORLD:
        exists = Cliente.objects.for_tenant(WORLD["tenant"]).filter(pk=cliente).exists()
        if not exists:  # a customer of the shop: the generated one, or one of the fixture's
            body["clienteId"] = WORLD["clientes"][cliente % len(WORLD["clientes"])]
    if "validaHasta" in body:
        body["validaHasta"] = (timezone.now() + timedelta(days=1)).isoformat()
    items = body.get("items")
    if isinstance(items, list) and sum(map(_subtotal, items)) >= MAX_TOTAL_EXCLUSIVE:
        for item in items:
            item["precioUnitario"] = 0


def follow_unstated_rules(case) -> None:
    """Make a positive case obey what JSON Schema cannot say; it stays schema-valid.

    - ``clienteId`` names a customer of the caller's shop (another id is a 400);
    - ``validaHasta`` lies after now and at most 365 days ahead;
    - the total of the lines (a sum of products) fits the money columns;
    - an ``Idempotency-Key`` is new (an earlier, different request's key is a 422); every
      valid key is made new, in negative cases too, so the 422 does not hide what the case
      is about.
    """
    key = (case.headers or {}).get(HEADER)
    if isinstance(key, str) and VALID_KEY.fullmatch(key):  # a valid key stays valid
        case.headers[HEADER] = f"{next(_keys)}-{key}"[:255]
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if case.path in DOCUMENT_BODIES and isinstance(case.body, dict):
        _follow_document_rules(case.body)
