"""Tenant isolation one layer below the API (the API itself: ``test_isolation.py``).

- Tenant-owned querysets refuse to run without a tenant; ``for_tenant()`` and ``unscoped()``
  say which rows they mean.
- PostgreSQL refuses rows that point at another tenant's rows (composite foreign keys
  ``(tenant_id, x_id) -> (tenant_id, id)``): a sale's or quotation's customer, seller and
  canceller, their items, their events (the document and the user they name), a quotation's
  sale, a stored ``Idempotency-Key`` answer's user. Each refusal names its constraint, and the
  same rows inside one tenant are accepted.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from clientes.merge import cliente_merge
from clientes.models import Cliente
from config.postgres.errors import violated_constraint
from cotizaciones.models import Cotizacion, CotizacionEvento, CotizacionItem
from eventos.models import Evento
from eventos.sequencing import sequence_events
from tenants.models import IdempotentRequest, User
from tenants.scoping import TenantScopedModel, TenantScopeError
from tests.factories import make_cliente, make_cotizacion, make_tenant, make_user, make_venta
from tests.hardening.conftest import data_snapshot, tenant_owned_models
from ventas.models import Venta, VentaEvento, VentaItem
from webhooks.models import Entrega, Suscripcion

# --- tenant scoping of querysets ----------------------------------------------------------
UNSCOPED_QUERIES = {
    "list(all())": lambda m: list(m.objects.all()),
    "count()": lambda m: m.objects.count(),
    "exists()": lambda m: m.objects.exists(),
    "first()": lambda m: m.objects.first(),
    "get(pk=1)": lambda m: m.objects.get(pk=1),
    "values_list()": lambda m: list(m.objects.values_list("pk", flat=True)),
    "iterator()": lambda m: list(m.objects.iterator()),
    "aggregate()": lambda m: m.objects.aggregate(n=Count("pk")),
    "in_bulk()": lambda m: m.objects.in_bulk([1]),
    "update()": lambda m: m.objects.update(tenant_id=m.objects.unscoped().first().tenant_id),
    "delete()": lambda m: m.objects.all().delete(),
    "filter(pk__gt=0)": lambda m: list(m.objects.filter(pk__gt=0)),
    "filter(tenant__in=...)": lambda m: list(m.objects.filter(tenant__in=[1, 2])),
    "exclude(tenant=...)": lambda m: list(m.objects.exclude(tenant=1)),
    "filter(tenant=A) | filter(tenant=B)": lambda m: list(
        m.objects.filter(tenant=1) | m.objects.filter(tenant=2)
    ),
    "for_tenant(None)": lambda m: list(m.objects.for_tenant(None)),
}


@pytest.fixture
def two_shops(db):
    """Two tenants, each with a member, a customer, a sale and a quotation (with items and
    CREADA events), a stored ``Idempotency-Key`` answer, numbered feed events and a webhook
    subscription with a delivery: a row of every tenant-owned model."""
    a, b = make_tenant(), make_tenant()
    for tenant in (a, b):
        user = make_user(tenant, password=None)
        cliente = make_cliente(tenant, documento=f"DOC-{tenant.pk}")
        make_venta(tenant, cliente, vendedor=user)
        make_cotizacion(tenant, cliente, vendedor=user)
        IdempotentRequest.objects.create(
            tenant=tenant, usuario=user, clave="k", huella="0" * 64, status=201, cuerpo=b"{}"
        )
        cliente_merge(superviviente=cliente, duplicado_id=make_cliente(tenant).pk, por=None)
        sequence_events(tenant_id=tenant.pk)  # the feed's counter
        suscripcion = Suscripcion.objects.create(
            tenant=tenant, url="https://93.184.216.34/hook", tipos=["*"], secreto="whsec_x"
        )
        evento = Evento.objects.for_tenant(tenant).first()
        Entrega.objects.create(tenant=tenant, suscripcion=suscripcion, evento=evento)
    return a, b


@pytest.mark.parametrize("query", UNSCOPED_QUERIES)
@pytest.mark.parametrize("model", tenant_owned_models(), ids=lambda m: m.__name__)
def test_default_manager_refuses_queries_without_tenant(two_shops, model, query):
    before = {m: m.objects.unscoped().count() for m in tenant_owned_models()}
    with pytest.raises(TenantScopeError):
        UNSCOPED_QUERIES[query](model)
    after = {m: m.objects.unscoped().count() for m in tenant_owned_models()}
    assert after == before


def test_the_named_models_are_tenant_scoped():
    models = set(tenant_owned_models())
    assert {Cliente, Venta, VentaItem, Cotizacion, CotizacionItem} <= models
    for model in models:
        assert issubclass(model, TenantScopedModel)


@pytest.mark.parametrize("model", tenant_owned_models(), ids=lambda m: m.__name__)
def test_for_tenant_and_unscoped_work(two_shops, model):
    a, b = two_shops
    rows_a = list(model.objects.for_tenant(a))
    assert rows_a and all(row.tenant_id == a.pk for row in rows_a)
    assert model.objects.for_tenant(a.pk).count() == len(rows_a)
    assert model.objects.for_tenant(a).exists()
    assert model.objects.for_tenant(a).filter(pk=rows_a[0].pk).first() == rows_a[0]
    everyone = model.objects.unscoped()
    assert {row.tenant_id for row in everyone} >= {a.pk, b.pk}
    assert everyone.count() == len(rows_a) + model.objects.for_tenant(b).count() + (
        model.objects.unscoped().exclude(tenant__in=[a, b]).count()
    )


def test_update_and_delete_through_for_tenant_touch_one_tenant(two_shops):
    a, b = two_shops
    extra_a = make_cliente(a, nombre="Borrable")
    make_cliente(b, nombre="Borrable")
    assert Cliente.objects.for_tenant(a).filter(nombre="Borrable").update(notas="x") == 1
    assert Cliente.objects.for_tenant(b).get(nombre="Borrable").notas is None
    Cliente.objects.for_tenant(a).filter(pk=extra_a.pk).delete()
    assert Cliente.objects.unscoped().filter(nombre="Borrable").count() == 1
    assert Cliente.objects.for_tenant(b).filter(nombre="Borrable").exists()


def test_union_with_an_unscoped_queryset_is_refused(two_shops):
    """A scoped queryset combined with an unscoped one must not return other tenants' rows."""
    a, _ = two_shops
    with pytest.raises(TenantScopeError):
        list(Cliente.objects.for_tenant(a).union(Cliente.objects.all()))


def test_related_managers_of_a_tenant_object_are_scoped(two_shops):
    a, _ = two_shops
    cliente = Cliente.objects.for_tenant(a).get()
    assert [v.tenant_id for v in cliente.ventas.all()] == [a.pk]
    assert [c.tenant_id for c in cliente.cotizaciones.all()] == [a.pk]


# --- the database refuses cross-tenant references ----------------------------------------
def _refused(build) -> IntegrityError:
    """Runs ``build`` in a savepoint with every constraint checked at once; returns the error."""
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        build()
    return info.value


def _constraint(error: IntegrityError) -> str:
    """The refusing constraint's name (on Citus read from the worker's message)."""
    return violated_constraint(error) or ""


def _of(model, tenant):
    """The tenant's first row of ``model`` (the one ``two_shops`` made)."""
    return model.objects.for_tenant(tenant).order_by("pk").first()


def _user(tenant) -> User:
    return User.objects.get(tenant=tenant)


def _document(model, tenant, **fields):
    """A document row as the services write it (numbered; a quotation with its validity)."""
    top = model.objects.for_tenant(tenant).order_by("-numero").values_list("numero", flat=True)
    fields = {"tenant": tenant, "numero": (top.first() or 0) + 1, "total": Decimal(1), **fields}
    if model is Cotizacion:
        fields.setdefault("valida_hasta", timezone.now() + timedelta(days=7))
    return model.objects.create(**fields)


def _line(model, parent: str, tenant, documento):
    one = Decimal(1)
    return model.objects.create(
        tenant=tenant,
        descripcion="x",
        cantidad=one,
        precio_unitario=one,
        subtotal=one,
        **{parent: documento},
    )


def _event(model, parent: str, tenant, documento, usuario):
    return model.objects.create(
        tenant=tenant, tipo="CREADA", en=timezone.now(), usuario=usuario, **{parent: documento}
    )


def _answer(tenant, usuario):
    return IdempotentRequest.objects.create(
        tenant=tenant, usuario=usuario, clave="otra", huella="0" * 64, status=201, cuerpo=b"{}"
    )


def _cancel_by(model, tenant, user):
    """Mark tenant's document cancelled by ``user`` (an UPDATE, as a cancellation does)."""
    row = _of(model, tenant)
    return (
        model.objects.for_tenant(tenant)
        .filter(pk=row.pk)
        .update(cancelada_por=user, cancelada_en=timezone.now(), motivo_cancelacion="x")
    )


# Each case writes, into tenant A, a row that names B's (customer, user, document).
CROSS_TENANT = {
    "venta.cliente": lambda a, b: _document(Venta, a, cliente=_of(Cliente, b)),
    "venta.cliente (update)": lambda a, b: Venta.objects.for_tenant(a).update(
        cliente=_of(Cliente, b)
    ),
    "venta.vendedor": lambda a, b: _document(Venta, a, vendedor=_user(b)),
    "venta.vendedor (update)": lambda a, b: Venta.objects.for_tenant(a).update(vendedor=_user(b)),
    "venta.cancelada_por": lambda a, b: _cancel_by(Venta, a, _user(b)),
    "ventaitem.venta": lambda a, b: _line(VentaItem, "venta", a, _of(Venta, b)),
    "ventaevento.venta": lambda a, b: _event(VentaEvento, "venta", a, _of(Venta, b), None),
    "ventaevento.usuario": lambda a, b: _event(VentaEvento, "venta", a, _of(Venta, a), _user(b)),
    "cotizacion.cliente": lambda a, b: _document(Cotizacion, a, cliente=_of(Cliente, b)),
    "cotizacion.vendedor": lambda a, b: _document(Cotizacion, a, vendedor=_user(b)),
    "cotizacion.cancelada_por": lambda a, b: _cancel_by(Cotizacion, a, _user(b)),
    "cotizacion.venta": lambda a, b: _document(Cotizacion, a, venta=_of(Venta, b)),
    "cotizacion.venta (update)": lambda a, b: Cotizacion.objects.for_tenant(a).update(
        venta=_of(Venta, b), estado="CONVERTIDA"
    ),
    "cotizacionitem.cotizacion": lambda a, b: _line(
        CotizacionItem, "cotizacion", a, _of(Cotizacion, b)
    ),
    "cotizacionevento.cotizacion": lambda a, b: _event(
        CotizacionEvento, "cotizacion", a, _of(Cotizacion, b), None
    ),
    "cotizacionevento.usuario": lambda a, b: _event(
        CotizacionEvento, "cotizacion", a, _of(Cotizacion, a), _user(b)
    ),
    "idempotentrequest.usuario": lambda a, b: _answer(a, _user(b)),
}
CONSTRAINT_OF = {
    "venta.cliente": "ventas_venta_cliente_mismo_tenant_fk",
    "venta.vendedor": "ventas_venta_vendedor_mismo_tenant_fk",
    "venta.cancelada_por": "ventas_venta_cancelada_por_mismo_tenant_fk",
    "ventaitem.venta": "ventas_ventaitem_venta_mismo_tenant_fk",
    "ventaevento.venta": "ventas_ventaevento_venta_mismo_tenant_fk",
    "ventaevento.usuario": "ventas_ventaevento_usuario_mismo_tenant_fk",
    "cotizacion.cliente": "cotizaciones_cotizacion_cliente_mismo_tenant_fk",
    "cotizacion.vendedor": "cotizaciones_cotizacion_vendedor_mismo_tenant_fk",
    "cotizacion.cancelada_por": "cotizaciones_cotizacion_cancelada_por_mismo_tenant_fk",
    "cotizacion.venta": "cotizaciones_cotizacion_venta_mismo_tenant_fk",
    "cotizacionitem.cotizacion": "cotizaciones_cotizacionitem_cotizacion_mismo_tenant_fk",
    "cotizacionevento.cotizacion": "cotizaciones_cotizacionevento_cotizacion_mismo_tenant_fk",
    "cotizacionevento.usuario": "cotizaciones_cotizacionevento_usuario_mismo_tenant_fk",
    "idempotentrequest.usuario": "tenants_idempotentrequest_usuario_mismo_tenant_fk",
}


@pytest.mark.parametrize("case", CROSS_TENANT)
def test_database_refuses_a_reference_to_another_tenants_row(two_shops, case):
    a, b = two_shops
    before = data_snapshot()

    error = _refused(lambda: CROSS_TENANT[case](a, b))

    assert _constraint(error) == CONSTRAINT_OF[case.removesuffix(" (update)")], error
    assert data_snapshot() == before


@pytest.mark.parametrize("case", CROSS_TENANT)
def test_database_accepts_the_same_reference_inside_one_tenant(two_shops, case):
    """Control: the refusals above are about tenancy, not about the rows themselves."""
    a, _ = two_shops
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        CROSS_TENANT[case](a, a)
