from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from clientes.search import has_code_characters
from config.serializers import InputSerializer, OptionalEmailField, OptionalTextField, TextField

MENSAJE_NOMBRE_OBLIGATORIO = "El nombre del cliente es obligatorio"


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Cliente nuevo",
            value={
                "nombre": "José Álvarez",
                "documento": "1.020.345.678",
                "email": "jose@example.com",
                "telefono": "300 123 4567",
                "direccion": None,
                "notas": "",
            },
            request_only=True,
        )
    ]
)
class ClienteInputSerializer(InputSerializer):
    """Body of POST and PUT/PATCH. Unknown fields (``id``, ``creadoEn``, tenants) are ignored."""

    nombre = TextField(max_length=200)
    documento = OptionalTextField(max_length=50)
    email = OptionalEmailField(max_length=254)
    telefono = OptionalTextField(max_length=50)
    direccion = OptionalTextField(max_length=300)
    notas = OptionalTextField(max_length=5000, multiline=True)

    error_summaries = {
        ("nombre", "required"): MENSAJE_NOMBRE_OBLIGATORIO,
        ("nombre", "blank"): MENSAJE_NOMBRE_OBLIGATORIO,
        ("nombre", "null"): MENSAJE_NOMBRE_OBLIGATORIO,
        "documento": "El documento no es válido",
        "email": "El email no es válido",
    }

    def validate_documento(self, value: str | None) -> str | None:
        if value is not None and not has_code_characters(value):
            raise serializers.ValidationError("Debe contener letras o números.")
        return value


# Declared field by field rather than as a ModelSerializer: every create, update and read
# instantiates it, and a ModelSerializer introspects the model each time to build fields that
# never change (about a third of a millisecond per answer; bench/README.md).
@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Cliente",
            value={
                "id": 17,
                "nombre": "José Álvarez",
                "documento": "1.020.345.678",
                "email": "jose@example.com",
                "telefono": "300 123 4567",
                "direccion": None,
                "notas": None,
                "creadoEn": "2026-11-24T15:44:21.123456Z",
            },
            response_only=True,
        )
    ]
)
class ClienteSerializer(serializers.Serializer):
    """A Cliente as the API shows it."""

    id = serializers.IntegerField(read_only=True)
    nombre = serializers.CharField(read_only=True)
    documento = serializers.CharField(read_only=True, allow_null=True)
    email = serializers.EmailField(read_only=True, allow_null=True)
    telefono = serializers.CharField(read_only=True, allow_null=True)
    direccion = serializers.CharField(read_only=True, allow_null=True)
    notas = serializers.CharField(read_only=True, allow_null=True)
    creadoEn = serializers.DateTimeField(source="creado_en", read_only=True)


class VentaResumenSerializer(serializers.Serializer):
    """A sale inside the historial (documents the shape; rows come from ``values()``)."""

    id = serializers.IntegerField()
    total = serializers.FloatField()
    notas = serializers.CharField(allow_null=True)
    creadoEn = serializers.DateTimeField()
    canceladaEn = serializers.DateTimeField(allow_null=True)


class CotizacionResumenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    total = serializers.FloatField()
    notas = serializers.CharField(allow_null=True)
    estado = serializers.CharField()
    validaHasta = serializers.DateTimeField(allow_null=True)
    creadoEn = serializers.DateTimeField()


class HistorialCountSerializer(serializers.Serializer):
    ventas = serializers.IntegerField()
    cotizaciones = serializers.IntegerField()


class HistorialResumenSerializer(serializers.Serializer):
    totalComprado = serializers.FloatField()
    ultimaCompra = serializers.DateTimeField(allow_null=True)


class HistorialSerializer(serializers.Serializer):
    """Schema of GET /api/clientes/{id}/historial (the body is built by the selector)."""

    id = serializers.IntegerField()
    nombre = serializers.CharField()
    documento = serializers.CharField(allow_null=True)
    email = serializers.EmailField(allow_null=True)
    telefono = serializers.CharField(allow_null=True)
    direccion = serializers.CharField(allow_null=True)
    notas = serializers.CharField(allow_null=True)
    creadoEn = serializers.DateTimeField()
    ventas = VentaResumenSerializer(many=True)
    cotizaciones = CotizacionResumenSerializer(many=True)
    resumen = HistorialResumenSerializer()

    def get_fields(self):
        fields = super().get_fields()
        fields["_count"] = HistorialCountSerializer()  # not a valid Python attribute name
        return fields
