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
        form_class = cls.__dict__.get("_api_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._api_form_class = form_class
        return form_class


def filtering(filterset_class, params) -> bool:
    """Whether the query parameters ``params`` name any of ``filterset_class``'s filters.
    Others are ignored by it, and building its form for nothing costs a third of a
    millisecond per request (bench/README.md)."""
    return bool(params) and any(name in params for name in filterset_class.base_filters)


def filtered(filterset_class, params, queryset: QuerySet, *, request=None) -> QuerySet:
    """``queryset`` filtered by ``filterset_class`` from the query parameters ``params`` (and
    ``request``, for filters that depend on its user); an invalid value is a 400 with
    ``detalles``, as django-filter's DRF backend answers."""
    return _valid(filterset_class, params, queryset, request).qs


def cleaned_filters(filterset_class, params, queryset: QuerySet) -> dict:
    """The values of ``filterset_class``'s filters in the query parameters ``params``, as its
    form cleans them (one not sent as None or empty); an invalid value is a 400 as in
    ``filtered``. For a caller that builds (or reuses) the filtered query itself."""
    return _valid(filterset_class, params, queryset, None).form.cleaned_data


def _valid(filterset_class, params, queryset: QuerySet, request):
    filterset = filterset_class(params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset
