"""Subqueries go through the tenant gate too: ``scoped_subquery`` refuses one that is not
confined to the outer row's tenant or to one tenant, and no application module builds a
``Subquery`` or ``Exists`` around it."""

import ast
from pathlib import Path

import pytest
from django.db.models import OuterRef

from clientes.models import Cliente
from tenants.scoping import TenantScopeError, scoped_subquery
from tests.factories import make_cliente, make_venta
from ventas.models import Venta

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "tenants", "clientes", "documentos", "ventas", "cotizaciones"]
GATE = ROOT / "tenants" / "scoping.py"


def last_sale_of_each(customers, sales) -> dict[int, int | None]:
    newest = sales.filter(cliente=OuterRef("pk")).order_by("-id").values("id")[:1]
    subquery = scoped_subquery(newest)
    return dict(customers.annotate(ultima=subquery).values_list("id", "ultima"))


def test_a_subquery_of_the_outer_row_s_tenant_is_accepted(tenant, other_tenant):
    cliente = make_cliente(tenant)
    venta = make_venta(tenant, cliente)
    make_venta(other_tenant, make_cliente(other_tenant))

    found = last_sale_of_each(Cliente.objects.for_tenant(tenant), Venta.objects.of_outer_tenant())

    assert found == {cliente.pk: venta.pk}


def test_a_subquery_of_one_tenant_is_accepted(tenant):
    cliente = make_cliente(tenant)
    venta = make_venta(tenant, cliente)

    found = last_sale_of_each(Cliente.objects.for_tenant(tenant), Venta.objects.for_tenant(tenant))

    assert found == {cliente.pk: venta.pk}


def test_a_subquery_without_a_tenant_is_refused(tenant):
    with pytest.raises(TenantScopeError, match="subquery without tenant"):
        scoped_subquery(Venta.objects.filter(cliente=OuterRef("pk")).values("id")[:1])


def test_a_subquery_tied_to_another_outer_column_is_refused(tenant):
    # OuterRef("cliente__tenant") is not the outer row's own tenant column.
    sales = Venta.objects.filter(tenant=OuterRef("cliente__tenant"))

    with pytest.raises(TenantScopeError):
        scoped_subquery(sales.values("id")[:1])


def test_a_negated_tenant_filter_does_not_scope_a_subquery(tenant):
    with pytest.raises(TenantScopeError):
        scoped_subquery(Venta.objects.exclude(tenant=OuterRef("tenant")).values("id")[:1])


def _hand_built_subqueries(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) in {"Subquery", "Exists"}
    ]


def test_no_application_module_builds_a_subquery_by_hand():
    offenders = [
        place
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and path != GATE
        for place in _hand_built_subqueries(path)
    ]

    assert offenders == [], f"use tenants.scoping.scoped_subquery: {offenders}"
