"""OpenAPI pieces of the customers' routes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from clientes.filters import BUSQUEDA_HELP, ClienteFilter
from clientes.serializers import MovedSerializer

BUSQUEDA = OpenApiParameter("busqueda", str, description=BUSQUEDA_HELP)
ARCHIVADO = OpenApiParameter(
    "archivado",
    str,
    enum=["false", "true", "todos"],
    description=ClienteFilter.base_filters["archivado"].extra["help_text"],
)
ACTUALIZADO_DESDE = OpenApiParameter(
    "actualizadoDesde",
    OpenApiTypes.DATETIME,
    description=ClienteFilter.base_filters["actualizadoDesde"].extra["help_text"],
)
LINK = OpenApiParameter(
    "Link",
    str,
    location=OpenApiParameter.HEADER,
    response=[200],
    description=(
        'Presente cuando hay más clientes: `<URL de la página siguiente>; rel="next"` '
        "(mismos `busqueda` y `limite`, con `cursor`)."
    ),
)
MOVED_LOCATION = OpenApiParameter(
    "Location",
    str,
    location=OpenApiParameter.HEADER,
    response=[308],
    description="La misma ruta bajo el cliente que absorbió este (`/api/clientes/17/historial`).",
)
MOVED = {
    308: OpenApiResponse(
        MovedSerializer,
        description="El cliente fue fusionado con otro: `Location` es la misma ruta bajo él.",
        examples=[
            OpenApiExample(
                "Cliente fusionado",
                value={"error": "El cliente fue fusionado con el cliente 17", "fusionadoCon": 17},
            )
        ],
    )
}
