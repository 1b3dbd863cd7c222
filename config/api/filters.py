"""Filters every list of the API may use."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters.utils import translate_validation

from config.api.ids import MAX_BIGINT, parse_id


class IdFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        pk = parse_id(value)
        if pk is None:
            raise forms.ValidationError(f"Debe ser un número entero entre 1 y {MAX_BIGINT}.")
        return pk


class IdFilter(django_filters.Filter):
    """An id of another object (customer, seller): a positive bigint."""

    field_class = IdFormField


class ApiFilterSet(django_filters.FilterSet):
    """A FilterSet of the API: its form class is built once per FilterSet class.

    django-filter builds it anew for every instance, which was 7 % of a search's Python
    (bench/README.md), though its fields come from the class's declared filters alone. A
    FilterSet whose fields depend on the request (a queryset read per user) must not derive
    from this one: every form would share the first request's fields."""

    def get_form_class(self):
        cls = type(self)
        if "_api_form_class" not in cls.__dict__:
            cls._api_form_class = super().get_form_class()
        return cls._api_form_class

    @classmethod
    def form_class(cls) -> type[forms.Form]:
        """The form that validates this FilterSet's query parameters."""
        if "_api_form_class" not in cls.__dict__:
            cls().get_form_class()
        return cls._api_form_class


def filtering(filterset_class, params) -> bool:
    """Whether the query parameters ``params`` name any of ``filterset_class``'s filters.
    Others are ignored by it, and building its form for nothing costs a third of a
    millisecond per request (bench/README.md)."""
    return bool(params) and any(name in params for name in filterset_class.base_filters)


def filtered(filterset_class, params, queryset: QuerySet, *, request=None) -> QuerySet:
    """``queryset`` filtered by ``filterset_class`` from the query parameters ``params`` (and
    ``request``, for filters that depend on its user); an invalid value is a 400 with
    ``detalles``, as django-filter's DRF backend answers."""
    filterset = filterset_class(params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.qs


def cleaned_filters(filterset_class: type[ApiFilterSet], params) -> dict:
    """The values of ``filterset_class``'s filters in the query parameters ``params``, as its
    form cleans them (one not sent as None or empty); an invalid value is a 400 as in
    ``filtered``. For a caller that builds (or reuses) the filtered query itself: only the
    form is built, not the FilterSet, whose copies of its filters cost 15 % of a search's
    Python (bench/README.md)."""
    form = filterset_class.form_class()(params)
    if not form.is_valid():
        raise translate_validation(form.errors)
    return form.cleaned_data
