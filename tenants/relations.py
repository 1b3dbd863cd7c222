"""References between tenant-owned rows that carry the tenant into every join.

A tenant table's rows are identified by ``(tenant_id, id)``: that is its primary key in
PostgreSQL, the target of the composite foreign keys that keep a reference inside its tenant
(``tenants.migration_operations.SameTenantForeignKey``), and, on Citus, what routes a query to
the one shard that holds the tenant. Django still knows ``id`` alone as the primary key, so its
joins would read ``venta.cliente_id = cliente.id``: correct on one server, but on Citus a join
of two distributed tables must also equate their distribution column, or it is refused.

``TenantForeignKey`` adds ``AND referencing.tenant_id = referenced.tenant_id`` to every join it
makes, in either direction (``select_related``, ``filter(cliente__nombre=…)``,
``F("cotizacion_origen__id")``), and the tenant to the lookup behind ``venta.cliente``. It has
no single-column foreign key of its own (``db_constraint=False``): the composite one replaces
it, and Citus could not have it (a key to ``id`` alone needs ``UNIQUE (id)``).
"""

from django.conf import settings
from django.db import models
from django.db.models.lookups import Exact


class TenantRelationMixin:
    """A relation from one tenant-owned model to another that joins on the tenant too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("db_constraint", False)
        super().__init__(*args, **kwargs)

    def get_extra_restriction(self, alias, related_alias):
        # ``alias`` is the referenced table's alias, ``related_alias`` the referencing one's.
        # Django passes None for one of them when it pushes a join down into a subquery
        # (``exclude()`` across the relation); that subquery is then filtered by its own scope.
        if alias is None or related_alias is None:
            return None
        local = self.model._meta.get_field("tenant")
        remote = self.remote_field.model._meta.get_field("tenant")
        return Exact(local.get_col(related_alias), remote.get_col(alias))

    def get_extra_descriptor_filter(self, instance):
        return {"tenant_id": instance.tenant_id}


class TenantForeignKey(TenantRelationMixin, models.ForeignKey):
    """A many-to-one reference to a row of the same tenant."""


class TenantOneToOneField(TenantRelationMixin, models.OneToOneField):
    """A one-to-one reference to a row of the same tenant.

    Its uniqueness is the model's ``UniqueConstraint(fields=["tenant", field])``: a
    distributed table cannot have a unique index without the tenant, so the field drops the
    ``UNIQUE (x_id)`` that ``OneToOneField`` would create. Django then cannot
    ``select_related()`` the reverse side (``venta.cotizacion_origen``): read it with
    ``F("cotizacion_origen__id")`` or a query of the tenant instead.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unique = False


def user_reference() -> models.ForeignKey:
    """An optional user of the row's tenant (a seller, who cancelled, who made a change).

    Unindexed on its own: the apps' migrations add a composite foreign key ``(tenant_id, …)``
    and tenant-first indexes where lists need them. A deleted user leaves the record (null).
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
