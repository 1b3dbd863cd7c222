"""Query parameters shared by the lists of sales and quotations.

Every invalid value is a 400 with ``detalles`` (django-filter's lenient defaults, which treat
``cancelada=quizá`` as "no filter", are not used).
"""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms

from config.api.filters import ApiFilterSet, IdFilter
from tenants.models import User

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class ConditionFilter(django_filters.ChoiceFilter):
    """``true`` keeps the rows that meet ``condition()`` (a ``Q``), ``false`` the others;
    any other value is invalid."""

    def __init__(self, *, condition, **kwargs):
        super().__init__(choices=BOOLEAN_CHOICES, **kwargs)
        self.condition = condition

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(self.condition()) if value == "true" else qs.exclude(self.condition())


class TenantDateFilter(django_filters.DateFilter):
    """A ``YYYY-MM-DD`` day in the tenant's time zone; ``lookup_expr`` ``gte`` (from the
    day's start) or ``lt`` (before the next day's start, so the day is included)."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.lookup_expr == "lt":
            if value == date.max:  # no next day: every row is before the end of time
                return qs
            value += timedelta(days=1)
        start = datetime.combine(value, time.min, tzinfo=self.parent.request.user.tenant.tz)
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": start})


MENSAJE_HASTA_ANTES = "Debe ser el mismo día de «desde» o uno posterior."


class DateRangeForm(forms.Form):
    """The form of a FilterSet with ``desde`` and ``hasta``: a range that ends before it
    starts is a mistake, answered 400 on ``hasta`` rather than with an empty list."""

    def clean(self):
        cleaned = super().clean()
        desde, hasta = cleaned.get("desde"), cleaned.get("hasta")
        if desde and hasta and hasta < desde:
            self.add_error("hasta", MENSAJE_HASTA_ANTES)
        return cleaned


class DocumentoFilter(ApiFilterSet):
    """``cliente`` and ``vendedor`` (ignored for a USUARIO, who sees only their own)."""

    cliente = IdFilter(field_name="cliente_id", help_text="Solo los del cliente con este id.")
    vendedor = IdFilter(
        method="filter_vendedor",
        help_text="Solo los del vendedor con este id (ignorado para un USUARIO: ve los suyos).",
    )

    def filter_vendedor(self, queryset, name: str, value: int):
        if self.request.user.rol != User.Rol.ADMIN:
            return queryset
        return queryset.filter(vendedor_id=value)
