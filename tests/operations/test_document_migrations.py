"""The migrations that gave sales and quotations their ``numero``, events and validity number
the rows that existed before, per tenant in ``(creado_en, id)`` order, and start each
tenant's counter after them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("tenants", "0001_initial"),
    ("ventas", "0004_tenant_first_indexes"),
    ("cotizaciones", "0005_tenant_first_indexes"),
]
AFTER = [
    ("tenants", "0002_zona_horaria_idempotency"),
    ("ventas", "0005_numbers_events_same_tenant_users"),
    ("cotizaciones", "0006_numbers_events_same_tenant_users"),
]
T0 = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_rows(reversible_migrations):
    """Two tenants' sales and quotations as they were stored before numbering."""
    apps = migrate(BEFORE)
    Tenant = apps.get_model("tenants", "Tenant")
    Venta = apps.get_model("ventas", "Venta")
    Cotizacion = apps.get_model("cotizaciones", "Cotizacion")
    a, b = Tenant.objects.create(slug="a", nombre="A"), Tenant.objects.create(slug="b", nombre="B")
    # Inserted out of time order on purpose; two share a creado_en (ties go by id).
    ventas_a = [
        Venta.objects.create(tenant=a, total=Decimal(1), creado_en=T0 + timedelta(hours=h))
        for h in (3, 1, 1, 2)
    ]
    Venta.objects.filter(pk=ventas_a[3].pk).update(
        cancelada_en=T0 + timedelta(hours=5), motivo_cancelacion="Devolución"
    )
    venta_b = Venta.objects.create(tenant=b, total=Decimal(1), creado_en=T0)
    cotizacion = Cotizacion.objects.create(tenant=a, total=Decimal(1), creado_en=T0)
    yield {
        "a": a.pk,
        "b": b.pk,
        "ventas_a": [v.pk for v in ventas_a],
        "venta_b": venta_b.pk,
        "cotizacion": cotizacion.pk,
    }
    # Back to the newest schema: the transactional tests after this one find it committed.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_existing_sales_are_numbered_per_tenant_in_creation_order(old_rows):
    apps = migrate(AFTER)
    Venta = apps.get_model("ventas", "Venta")

    numeros = dict(Venta.objects.filter(tenant_id=old_rows["a"]).values_list("id", "numero"))
    first, second, third, fourth = old_rows["ventas_a"]  # created at 3h, 1h, 1h, 2h

    assert [numeros[pk] for pk in (second, third, fourth, first)] == [1, 2, 3, 4]
    assert Venta.objects.get(pk=old_rows["venta_b"]).numero == 1


def test_counters_start_after_the_existing_numbers(old_rows):
    apps = migrate(AFTER)
    Numeracion = apps.get_model("documentos", "Numeracion")

    counters = {(n.tenant_id, n.tipo): n.ultimo for n in Numeracion.objects.all()}

    assert counters == {
        (old_rows["a"], "ventas.venta"): 4,
        (old_rows["b"], "ventas.venta"): 1,
        (old_rows["a"], "cotizaciones.cotizacion"): 1,
    }


def test_past_creations_and_cancellations_become_events(old_rows):
    apps = migrate(AFTER)
    VentaEvento = apps.get_model("ventas", "VentaEvento")
    cancelled = old_rows["ventas_a"][3]

    eventos = list(VentaEvento.objects.filter(venta_id=cancelled).order_by("en"))

    assert [(e.tipo, e.en, e.motivo) for e in eventos] == [
        ("CREADA", T0 + timedelta(hours=2), None),
        ("CANCELADA", T0 + timedelta(hours=5), "Devolución"),
    ]


def test_quotations_without_validity_get_the_default_week(old_rows):
    apps = migrate(AFTER)
    Cotizacion = apps.get_model("cotizaciones", "Cotizacion")

    assert Cotizacion.objects.get(pk=old_rows["cotizacion"]).valida_hasta == T0 + timedelta(days=7)
