"""Compiled SQL reused by shape, behind the tenancy gate.

Compiling a queryset (Django building its SQL from the query tree) costs more Python than
anything else a list request does besides the framework itself (bench/README.md, "Lean
request path"). Requests of one shape (the same resource, filters and role; other values)
compile to the same SQL with other parameters, so a ``CompiledShapes`` compiles each shape
once per process and then only binds the request's values. A shape read as model instances
(``instances``, ``instance``: a document and its lock, a sale's customer) also keeps how its
rows become instances (``tenants.instances``).

The gate holds on the reused path too:

- a shape is compiled from a queryset built by the caller (``build``) with a sentinel in
  place of each bound value, and it must pass the gate (``TenantScopedQuerySet``'s scope
  check: confined to one tenant, not ``unscoped()``);
- the tenant must be one of the bound values (its sentinel found among the compiled
  parameters; a shape whose tenant is a constant is refused), so a compiled shape holds no
  caller's tenant id: each request binds its own;
- a text (a search term) must reach the parameters unchanged: a ``build`` that changed it
  (stripped, folded) would leave its sentinel as a constant of the shape, so it is refused.
"""

import itertools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Model, QuerySet

from tenants.instances import InstanceRows, instance_rows
from tenants.scoping import TenantScopeError

TENANT = "tenant"

# Values no request binds (ids far below zero, moments in 1901, texts between private-use
# characters), a new one for each slot: where one appears among the compiled parameters, the
# request's value goes.
_SENTINEL_NUMBERS = itertools.count(1)
_FIRST_INT_SENTINEL = -7_300_000_000_000_000_000
_FIRST_MOMENT_SENTINEL = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_TEXT_SENTINEL_MARK = "\ue000"


@dataclass(frozen=True)
class _Slot:
    name: str


@dataclass(frozen=True)
class CompiledQuery:
    """One shape's SQL and its parameters: constants, and a ``_Slot`` where a request's
    value goes."""

    sql: str
    params: tuple
    # How its rows become instances (``instances``); None: they do not, or not without the ORM.
    rows: InstanceRows | None = None

    def bind(self, values: dict) -> list:
        return [values[p.name] if isinstance(p, _Slot) else p for p in self.params]


class CompiledShapes:
    """A process's compiled SQL of one family of querysets, keyed by shape.

    ``sql_and_params(key, build, **values)``: the SQL of ``build(**values)`` and its
    parameters, compiled the first time the shape is seen. ``values`` are ints (ids), aware
    datetimes or texts, ``tenant`` among them; one given as None is passed to ``build`` as None
    and is part of the shape (a list without a cursor is another shape than one with it).
    """

    def __init__(self, name: str, *, max_shapes: int = 256):
        self.name = name
        self.max_shapes = max_shapes
        self._compiled: dict[Hashable, CompiledQuery] = {}

    def sql_and_params(
        self, key: Hashable, build: Callable[..., QuerySet], **values
    ) -> tuple[str, list]:
        compiled, bound = self._compiled_for(key, build, values)
        return compiled.sql, compiled.bind(bound)

    def instances(self, key: Hashable, build: Callable[..., QuerySet], **values) -> list[Model]:
        """The rows ``build(**values)`` selects, as ``list(build(**values))`` gives them
        (``select_related``, annotations and ``prefetch_related`` included), read through the
        shape's compiled SQL; by the ORM when its rows need what the shape does not keep
        (``tenants.instances.instance_rows``)."""
        compiled, bound = self._compiled_for(key, build, values)
        if compiled.rows is None:
            return list(build(**values))
        return compiled.rows.read(compiled.sql, compiled.bind(bound))

    def instance(self, key: Hashable, build: Callable[..., QuerySet], **values) -> Model | None:
        """The one row ``build(**values)`` selects (a shape of one row at most: by its key),
        as ``instances`` reads it; None when there is none."""
        found = self.instances(key, build, **values)
        return found[0] if found else None

    def _compiled_for(self, key: Hashable, build: Callable[..., QuerySet], values: dict):
        if values.get(TENANT) is None:
            raise TenantScopeError(f"{self.name}: a compiled shape needs the tenant")
        bound = {name: value for name, value in values.items() if value is not None}
        shape = (key, tuple(sorted(bound)))
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compile(build, values)
            # Shapes are a small fixed set; past the bound they are compiled, not kept.
            if len(self._compiled) < self.max_shapes:
                self._compiled[shape] = compiled
        return compiled, bound

    def _compile(self, build: Callable[..., QuerySet], values: dict) -> CompiledQuery:
        sentinels = {
            name: _sentinel_for(self.name, name, value)
            for name, value in values.items()
            if value is not None
        }
        queryset = build(**{name: sentinels.get(name) for name in values})
        compiler = scoped_compiler(queryset)
        sql, params = compiler.as_sql()
        slots = {(type(s), s): _Slot(name) for name, s in sentinels.items()}
        template = tuple(_slot_or_constant(slots, p) for p in params)
        if _Slot(TENANT) not in template:
            raise TenantScopeError(f"{self.name}: the compiled SQL does not bind the tenant")
        for name, sentinel in sentinels.items():
            if isinstance(sentinel, str) and _Slot(name) not in template:
                raise ValueError(f"{self.name}: {name} did not reach the SQL unchanged")
        return CompiledQuery(sql, template, instance_rows(queryset, compiler))


def compile_scoped(queryset: QuerySet) -> tuple[str, tuple]:
    """The SQL and parameters ``queryset`` would run, once it passed the tenancy gate as
    a query of one tenant (``unscoped()`` refused)."""
    return scoped_compiler(queryset).as_sql()


def scoped_compiler(queryset: QuerySet):
    """``queryset``'s compiler, once the queryset passed the tenancy gate (``compile_scoped``)."""
    check = getattr(queryset, "check_one_tenant", None)
    if check is None:
        raise TenantScopeError(f"{queryset.model.__name__}: not a tenant-scoped queryset")
    check()
    return queryset.query.get_compiler(using=queryset.db)


def _slot_or_constant(slots: dict, param):
    try:
        return slots.get((type(param), param), param)
    except TypeError:  # unhashable (a list of an ``__in``): a constant, never a sentinel
        return param


def _sentinel_for(family: str, name: str, value):
    if isinstance(value, bool) or not isinstance(value, int | datetime | str):
        raise TypeError(f"{family}: {name} must be an id, a moment or a text, not {value!r}")
    number = next(_SENTINEL_NUMBERS)
    if isinstance(value, str):
        # Unchanged by a form's cleaning: no spaces at the ends, no control characters.
        return f"{_TEXT_SENTINEL_MARK}{name}{number}{_TEXT_SENTINEL_MARK}"
    if isinstance(value, datetime):
        return _FIRST_MOMENT_SENTINEL + timedelta(seconds=number)
    return _FIRST_INT_SENTINEL - number
