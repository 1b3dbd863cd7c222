"""Rows of a compiled shape (``tenants.compiled``) made into model instances the way Django's
``ModelIterable`` makes them: the model's fields, the ``select_related`` instances and the
annotations, then ``prefetch_related``. Set up once from the shape's compiler, then applied to
each request's rows.

It leans on Django's internals, as ``ModelIterable`` itself does: ``get_related_populators``,
the compiler's ``klass_info``, and the queryset's ``_iterable_class``,
``_known_related_objects`` and ``_prefetch_related_lookups``. pyproject.toml pins Django to
5.2.x; ``tests/hardening/test_compiled_instances.py`` compares what this builds with what the
ORM builds, so a Django that changed them fails there first."""

from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError


@dataclass(frozen=True)
class InstanceRows:
    """How one shape's rows become instances of its model."""

    model: type[Model]
    using: str
    init_list: tuple[str, ...]
    start: int
    end: int
    populators: tuple
    annotations: tuple[tuple[str, int], ...]
    prefetch: tuple
    for_update: bool

    def read(self, sql: str, params: list) -> list[Model]:
        """Run the shape's ``sql`` with ``params``; its rows as instances."""
        connection = connections[self.using]
        # Django checks this when it compiles; a kept shape is not compiled again.
        if self.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        instances = [self._instance(row) for row in rows]
        if self.prefetch and instances:
            prefetch_related_objects(instances, *self.prefetch)
        return instances

    def _instance(self, row) -> Model:
        instance = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, instance)
        for name, position in self.annotations:
            setattr(instance, name, row[position])
        return instance


def instance_rows(queryset: QuerySet, compiler) -> InstanceRows | None:
    """``InstanceRows`` for ``queryset`` compiled by ``compiler`` (its ``as_sql()`` ran);
    None when its rows are not instances (``values()``), when Django converts a column after
    reading it, when it knows related objects already (a related manager's queryset), or when
    it prefetches with a queryset of its own (a ``Prefetch``: built for the compiled shape's
    sentinel values, not for a request's)."""
    info = compiler.klass_info
    if (
        info is None
        or queryset._iterable_class is not ModelIterable
        or queryset._known_related_objects
        or not all(isinstance(lookup, str) for lookup in queryset._prefetch_related_lookups)
    ):
        return None
    select = compiler.select
    if compiler.get_converters([expression for expression, _sql, _alias in select]):
        return None
    start, end = info["select_fields"][0], info["select_fields"][-1] + 1
    return InstanceRows(
        model=info["model"],
        using=queryset.db,
        init_list=tuple(expression.target.attname for expression, *_ in select[start:end]),
        start=start,
        end=end,
        populators=tuple(get_related_populators(info, select, queryset.db)),
        annotations=tuple(compiler.annotation_col_map.items()),
        prefetch=tuple(queryset._prefetch_related_lookups),
        for_update=queryset.query.select_for_update,
    )
