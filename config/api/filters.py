"""Filters every list of the API may use."""

import django_filters
from django import forms

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
