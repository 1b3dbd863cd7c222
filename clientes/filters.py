import re
from datetime import UTC, datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from clientes.models import Cliente
from config.api.filters import ApiFilterSet
from config.api.serializers import NoControlCharacters

BUSQUEDA_HELP = (
    "Subcadena a buscar en nombre, documento, email y teléfono, sin distinguir mayúsculas "
    "ni acentos; en documento y teléfono se ignoran espacios, puntos y guiones. "
    "`%`, `_` y `\\` son caracteres literales."
)


class ZonedIsoDateTimeField(forms.Field):
    """An RFC 3339 date and time (what OpenAPI's ``date-time`` means), which always says its
    zone: a sync's cursor must not depend on the server's. Read as UTC; an instant before the
    calendar's first (or after its last) in UTC stands for that first (or last) one."""

    default_error_messages = {"invalid": "Fecha y hora RFC 3339 con zona (Z o ±hh:mm)."}
    RFC_3339 = re.compile(
        r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[Zz]|[+-]\d{2}:\d{2})"
    )

    def to_python(self, value):
        if value is None:  # not sent; sent empty is invalid like any other non-time
            return None
        try:
            parsed = parse_datetime(value.upper()) if self.RFC_3339.fullmatch(value) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parsed.astimezone(UTC)
        except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00
            edge = datetime.min if parsed.year == 1 else datetime.max
            return edge.replace(tzinfo=UTC)


class ZonedIsoDateTimeFilter(django_filters.Filter):
    field_class = ZonedIsoDateTimeField


class PresentChoiceField(forms.ChoiceField):
    """A choice that, once sent, must be one of the choices: ``archivado=`` is a 400 too."""

    def to_python(self, value):
        if value == "":
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super().to_python(value)


class PresentChoiceFilter(django_filters.Filter):
    field_class = PresentChoiceField


# archivado=: which customers a list holds (without the parameter, the active ones).
ARCHIVADO_CHOICES = [("false", "false"), ("true", "true"), ("todos", "todos")]


class ClienteFilter(ApiFilterSet):
    """Query parameters of GET /api/clientes (and its export) besides paging."""

    busqueda = django_filters.CharFilter(
        method="filter_busqueda",
        max_length=200,
        validators=[NoControlCharacters()],
        help_text=BUSQUEDA_HELP,
    )
    archivado = PresentChoiceFilter(
        choices=ARCHIVADO_CHOICES,
        method="filter_archivado",
        help_text="`true`: solo los archivados; `todos`: todos. Sin él, solo los activos.",
    )
    actualizadoDesde = ZonedIsoDateTimeFilter(
        field_name="actualizado_en",
        lookup_expr="gte",
        help_text="Fecha y hora ISO 8601 con zona: los clientes cambiados desde entonces.",
    )

    class Meta:
        model = Cliente
        fields = []

    def filter_busqueda(self, queryset, name: str, value: str):
        return queryset.search(value)

    def filter_archivado(self, queryset, name: str, value: str):
        return queryset if value == "todos" else queryset.filter(archivado=value == "true")

    @property
    def qs(self):
        queryset = super().qs
        # Archived customers only when asked for: the parameter's absence means "false".
        return queryset if self.form.cleaned_data.get("archivado") else queryset.active()
