import django_filters

from clientes.models import Cliente
from config.serializers import NoControlCharacters


class ClienteFilter(django_filters.FilterSet):
    """Query parameters of GET /api/clientes besides paging."""

    busqueda = django_filters.CharFilter(
        method="filter_busqueda",
        max_length=200,
        validators=[NoControlCharacters()],
        help_text=(
            "Texto a buscar en nombre, documento, email y teléfono; sin distinguir mayúsculas "
            "ni acentos, e ignorando espacios, puntos y guiones en documento y teléfono."
        ),
    )

    class Meta:
        model = Cliente
        fields = []

    def filter_busqueda(self, queryset, name: str, value: str):
        return queryset.buscar(value)
