from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from config.api.serializers import ReferenceSerializer
from eventos.models import TIPOS

BIGINT_MAX = 2**63 - 1


class FeedQuerySerializer(serializers.Serializer):
    """The feed's query: ``despues``, ``limite`` and any number of ``tipo``."""

    despues = serializers.IntegerField(
        min_value=0,
        max_value=BIGINT_MAX,
        default=0,
        help_text="La última `secuencia` recibida (0: desde el principio).",
    )
    limite = serializers.IntegerField(
        min_value=1, max_value=1000, default=100, help_text="Cuántos eventos, como máximo."
    )
    tipo = serializers.ListField(
        child=serializers.ChoiceField(choices=TIPOS),
        default=list,
        help_text="Solo estos tipos (se puede repetir).",
    )


EVENTO_EJEMPLO = {
    "id": "evt_3f1c0b6a2d8e4f7c9a1b2c3d4e5f6a7b",
    "secuencia": 1042,
    "tipo": "cliente.actualizado",
    "en": "2026-12-05T15:44:21.123456Z",
    "usuario": {"id": 3, "nombre": "Ana"},
    "datos": {"id": 17, "nombre": "José Álvarez", "cambios": {"telefono": [None, "300 1"]}},
}


@extend_schema_serializer(
    component_name="EventoPublicado",
    examples=[OpenApiExample("Evento", value=EVENTO_EJEMPLO, response_only=True)],
)
class EventoSerializer(serializers.Serializer):
    """An event of the feed (and the body of a webhook delivery)."""

    id = serializers.CharField(source="public_id", help_text="Único; el mismo en cada envío.")
    secuencia = serializers.IntegerField(help_text="Orden de los eventos de la empresa.")
    tipo = serializers.ChoiceField(choices=TIPOS)
    en = serializers.DateTimeField()
    usuario = ReferenceSerializer(allow_null=True)
    datos = serializers.DictField(help_text="Lo que cambió, como lo muestra su detalle.")
