import django_filters

from clientes.models import Cliente
from config.api.serializers import NoControlCharacters

BUSQUEDA_HELP = (
    "Subcadena a buscar en nombre, documento, email y teléfono, sin distinguir mayúsculas "
    "ni acentos; en documento y teléfono se ignoran espacios, puntos y guiones. "
    "`%`, `_` y `\\` son caracteres literales."
)


class ClienteFilter(django_filters.FilterSet):
    """Query parameters of GET /api/clientes besides paging."""

    busqueda = django_filters.CharFilter(
        method="filter_busqueda",
        max_length=200,
        validators=[NoControlCharacters()],
        help_text=BUSQUEDA_HELP,
    )

    class Meta:
        model = Cliente
        fields = []

    def filter_busqueda(self, queryset, name: str, value: str):
        return queryset.search(value)
