from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from config.api.serializers import InputSerializer, OptionalTextField, StrictBooleanField, TextField
from core.errors import DomainError
from eventos.models import TIPOS
from webhooks.addresses import checked_url
from webhooks.models import TODOS, Entrega
from webhooks.services import check_tipos

TIPO_CHOICES = (TODOS, *TIPOS)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Ventas a la contabilidad",
            value={
                "url": "https://contabilidad.example/webhooks/tienda",
                "tipos": ["venta.creada", "venta.cancelada"],
                "descripcion": "Contabilidad",
            },
            request_only=True,
        )
    ]
)
class SuscripcionInputSerializer(InputSerializer):
    """Body of POST /api/webhooks and PATCH /api/webhooks/{id} (only the fields sent)."""

    url = TextField(max_length=2000, help_text="https:// a una dirección pública.")
    tipos = serializers.ListField(
        child=serializers.CharField(max_length=40),
        min_length=1,
        max_length=len(TIPO_CHOICES),
        help_text=f'Tipos de evento, o ["{TODOS}"] para todos.',
    )
    descripcion = OptionalTextField(max_length=500, required=False)
    activo = StrictBooleanField(required=False)

    error_summaries = {"url": "La URL no es válida", "tipos": "Los tipos no son válidos"}

    # The service checks both again (for any caller); here they become the field's error.
    def validate_url(self, url: str) -> str:
        return _as_field_error(checked_url, url)

    def validate_tipos(self, tipos: list[str]) -> list[str]:
        return _as_field_error(check_tipos, tipos)


def _as_field_error(check, value):
    try:
        return check(value)
    except DomainError as exc:
        raise serializers.ValidationError(exc.message) from exc


class SuscripcionSerializer(serializers.Serializer):
    """A subscription as the API shows it (never its secret, but when it is made)."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    tipos = serializers.ListField(child=serializers.ChoiceField(choices=TIPO_CHOICES))
    descripcion = serializers.CharField(allow_null=True)
    activo = serializers.BooleanField()
    fallandoDesde = serializers.DateTimeField(
        source="fallando_desde", allow_null=True, help_text="Desde cuándo fallan sus entregas."
    )
    creadoEn = serializers.DateTimeField(source="creado_en")


class SuscripcionConSecretoSerializer(SuscripcionSerializer):
    secreto = serializers.CharField(
        help_text="whsec_… : se muestra solo al crearla y al rotarlo; guárdelo."
    )


class EntregaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    eventoId = serializers.CharField(source="evento.public_id")
    tipo = serializers.CharField(source="evento.tipo")
    estado = serializers.ChoiceField(choices=Entrega.Estado.choices)
    intentos = serializers.IntegerField()
    ultimoStatus = serializers.IntegerField(source="ultimo_status", allow_null=True)
    ultimoError = serializers.CharField(source="ultimo_error", allow_null=True)
    duracionMs = serializers.IntegerField(source="duracion_ms", allow_null=True)
    proximoIntento = serializers.DateTimeField(source="proximo_intento", allow_null=True)
    creadoEn = serializers.DateTimeField(source="creado_en")


class PruebaSerializer(serializers.Serializer):
    """What the receiver answered to ``webhook.prueba``."""

    status = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    duracionMs = serializers.IntegerField()


class EntregasQuerySerializer(serializers.Serializer):
    estado = serializers.ChoiceField(choices=Entrega.Estado.choices, required=False)
