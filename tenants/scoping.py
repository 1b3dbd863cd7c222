"""Tenant scoping: the one gate every query on tenant-owned data goes through.

A ``TenantScopedModel`` gets a ``tenant`` foreign key and a default manager whose querysets
refuse to run unless they are confined to one tenant. Fail closed: forgetting
``.for_tenant(tenant)`` raises ``TenantScopeError`` instead of returning every shop's rows.

Four ways to a runnable queryset:

- ``Model.objects.for_tenant(tenant)``: the normal path (API, services, selectors).
- a query that already filters ``tenant = <a value>`` (e.g. Django's own uniqueness checks);
  ``tenant = F(...)`` or any other expression does not count.
- a related manager of a tenant-owned instance (``cliente.ventas.all()``): the composite
  foreign keys guarantee those rows share the instance's tenant.
- ``Model.objects.unscoped()``: the explicit, greppable escape hatch for platform superusers
  in the admin, migrations and operator commands.

Subqueries never reach the database on their own, so the gate above cannot see them: they go
through ``scoped_subquery(queryset)``, which refuses one whose rows are not confined to the
outer row's tenant (``.of_outer_tenant()``) or to one tenant. Application code builds no
``Subquery`` or ``Exists`` by hand (``tests/hardening/test_scope_guard.py`` checks the source).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.expressions import OuterRef, ResolvedOuterRef
from django.db.models.lookups import Exact

from tenants.inserts import insert_rows


class TenantScopeError(RuntimeError):
    """A query on tenant-owned data was about to run without a tenant."""


class TenantScopedQuerySet(models.QuerySet):
    _unscoped = False

    def for_tenant(self, tenant) -> "TenantScopedQuerySet":
        """Rows of ``tenant`` only. ``tenant`` may be a Tenant or its id; never None."""
        if tenant is None:
            raise TenantScopeError(f"{self.model.__name__}: for_tenant() needs a tenant")
        return self.filter(tenant=tenant)

    def of_outer_tenant(self) -> "TenantScopedQuerySet":
        """Rows of the outer query's row's tenant: the scope of a subquery (``scoped_subquery``)."""
        return self.filter(tenant=OuterRef("tenant"))

    def unscoped(self) -> "TenantScopedQuerySet":
        """Every tenant's rows. Only for platform superusers, migrations and operator tools."""
        clone = self._chain()
        clone._unscoped = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._unscoped = self._unscoped
        return clone

    def _is_scoped(self) -> bool:
        if self._unscoped or self._hints.get("instance") is not None or self.query.is_empty():
            return True
        if self.query.combinator:  # union() & co.: every part must be scoped
            return all(_filters_one_tenant(q) for q in self.query.combined_queries)
        return _filters_one_tenant(self.query)

    def check_one_tenant(self) -> None:
        """The gate for SQL compiled now and run later (``tenants.compiled``): the query must
        name one tenant itself; ``unscoped()`` and a related manager's implicit scope do not
        count."""
        if self._unscoped or not _filters_one_tenant(self.query):
            raise TenantScopeError(
                f"{self.model.__name__}: compiled query without tenant; use .for_tenant(tenant)"
            )

    def _check_scope(self) -> None:
        if not self._is_scoped():
            raise TenantScopeError(
                f"{self.model.__name__}: query without tenant; use .for_tenant(tenant)"
            )

    # Every way a queryset reaches the database passes one of these.
    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def aiterator(self, *args, **kwargs):
        self._check_scope()
        return super().aiterator(*args, **kwargs)

    def explain(self, *args, **kwargs):
        self._check_scope()
        return super().explain(*args, **kwargs)

    def count(self):
        if self._result_cache is None:
            self._check_scope()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scope()
        return super().update(**kwargs)

    def delete(self):
        self._check_scope()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        """One tenant's rows at a time: on Citus a multi-row INSERT across shards returns its
        rows in shard order, so Django would give the objects each other's ids."""
        objs = list(objs)
        if len({obj.tenant_id for obj in objs}) > 1:
            raise TenantScopeError(
                f"{self.model.__name__}: bulk_create of several tenants' rows; one tenant a call"
            )
        return super().bulk_create(objs, *args, **kwargs)

    def _insert(self, objs, fields, returning_fields=None, raw=False, using=None, **conflict):
        # Without a conflict clause: the INSERT compiled once per shape (tenants.inserts).
        if objs and not raw and not any(conflict.values()):
            self._for_write = True
            rows = insert_rows(objs, fields, returning_fields, using or self.db)
            if rows is not None:
                return rows
        return super()._insert(objs, fields, returning_fields, raw, using, **conflict)


def scoped_subquery(queryset: models.QuerySet) -> "TenantSubquery":
    """``Subquery(queryset)``, refused (``TenantScopeError``) unless the queryset is confined
    to the outer row's tenant (``of_outer_tenant()``) or to one tenant."""
    query = queryset.query
    if not (_filters_one_tenant(query) or _filters_one_tenant(query, outer=True)):
        raise TenantScopeError(
            f"{query.model.__name__}: subquery without tenant; use .of_outer_tenant()"
        )
    return TenantSubquery(queryset)


class TenantSubquery(models.Subquery):
    """A subquery of tenant-owned rows that also names the outer query's tenant.

    Confined only by ``tenant_id = outer.tenant_id``, a correlated subquery is correct but
    Citus runs the statement on every shard: it cannot tell from a correlation which shard
    holds the rows. When the outer query is confined to one tenant (every request's is), the
    subquery gets ``tenant_id = <that tenant>`` as well, so the statement runs on that
    tenant's shard alone.
    """

    def as_sql(self, compiler, connection, *args, **kwargs):
        tenant = _tenant_value(compiler.query)
        if tenant is None or _tenant_value(self.query) is not None:
            return super().as_sql(compiler, connection, *args, **kwargs)
        confined = self.copy()
        confined.query.add_q(models.Q(tenant=tenant))
        return super(TenantSubquery, confined).as_sql(compiler, connection, *args, **kwargs)


def _tenant_value(query):
    """The value of the query's top-level ``tenant = <value>`` condition, or None."""
    values = [rhs for rhs in _tenant_conditions(query) if _is_tenant_value(rhs, outer=False)]
    return getattr(values[0], "pk", values[0]) if values else None


def _filters_one_tenant(query, *, outer: bool = False) -> bool:
    """Whether the query's WHERE has a top-level ``tenant = X`` (ANDed, not negated): a value,
    or with ``outer`` the outer query's ``tenant`` (``OuterRef("tenant")``)."""
    return any(_is_tenant_value(rhs, outer=outer) for rhs in _tenant_conditions(query))


def _tenant_conditions(query) -> list:
    """The right-hand sides of the query's top-level ``tenant = …`` conditions, when its WHERE
    is a plain conjunction."""
    where = query.where
    if where.connector != "AND" or where.negated:
        return []
    try:
        tenant_field = query.model._meta.get_field("tenant")
    except FieldDoesNotExist:
        return []
    return [
        child.rhs
        for child in where.children
        if isinstance(child, Exact) and getattr(child.lhs, "target", None) == tenant_field
    ]


def _is_tenant_value(rhs, *, outer: bool) -> bool:
    if outer:
        return isinstance(rhs, ResolvedOuterRef) and rhs.name == "tenant"
    return not hasattr(rhs, "resolve_expression")  # a value, not F("tenant") & co.


class TenantScopedManager(models.Manager.from_queryset(TenantScopedQuerySet)):
    pass


class TenantScopedModel(models.Model):
    """Abstract base of every tenant-owned model."""

    # No index of its own: every tenant-owned model has indexes that start with the tenant
    # (e.g. the unique (tenant, id) targets of the composite foreign keys).
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name="empresa",
    )

    objects = TenantScopedManager()

    class Meta:
        abstract = True

    # Django finds a saved or refreshed row by ``id`` alone. The row's key is
    # ``(tenant_id, id)``: with the tenant too, Citus routes the statement to the tenant's
    # shard instead of every shard. A full save leaves the tenant out of its ``SET``: the row
    # found by its tenant keeps it, and Citus refuses to set the distribution column to a bound
    # parameter, which it cannot compare with the row's (prepared statements bind them all).
    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        return super()._do_update(
            base_qs.filter(tenant_id=self.tenant_id),
            using,
            pk_val,
            [value for value in values if value[0].attname != "tenant_id"],
            update_fields,
            forced_update,
        )

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        # save() inserts through the base manager, a plain one: the same reuse as bulk_create.
        rows = None if raw else insert_rows([self], fields, returning_fields, using)
        if rows is None:
            return super()._do_insert(manager, using, fields, returning_fields, raw)
        return rows

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        if from_queryset is None:
            from_queryset = type(self)._base_manager.db_manager(using, hints={"instance": self})
        super().refresh_from_db(using, fields, from_queryset.filter(tenant_id=self.tenant_id))
