from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from clientes.models import ClienteEvento
from clientes.representation import answer_fields, request_fields
from config.api.serializers import (
    FieldsBuiltOnceMixin,
    IdReferenceField,
    InputSerializer,
    ReferenceSerializer,
)

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
    """Body of POST and PUT/PATCH: the writable ``CLIENTE_FIELDS``. Unknown fields (``id``,
    ``creadoEn``, tenants) are ignored."""

    error_summaries = {
        ("nombre", "required"): MENSAJE_NOMBRE_OBLIGATORIO,
        ("nombre", "blank"): MENSAJE_NOMBRE_OBLIGATORIO,
        ("nombre", "null"): MENSAJE_NOMBRE_OBLIGATORIO,
        "documento": "El documento no es válido",
        "email": "El email no es válido",
    }

    def build_fields(self):
        return request_fields()


# Built from CLIENTE_FIELDS rather than as a ModelSerializer: every create, update and read
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
class ClienteSerializer(FieldsBuiltOnceMixin, serializers.Serializer):
    """A Cliente as the API shows it: every ``CLIENTE_FIELDS`` entry."""

    def build_fields(self):
        return answer_fields()


class _DocumentoResumenSerializer(serializers.Serializer):
    """What the historial shows of any document (documents the shape; rows come from
    ``values()``)."""

    id = serializers.IntegerField()
    numero = serializers.IntegerField(help_text="Número de la venta o cotización en la empresa.")
    total = serializers.FloatField()
    notas = serializers.CharField(allow_null=True)
    creadoEn = serializers.DateTimeField()


class VentaResumenSerializer(_DocumentoResumenSerializer):
    """A sale inside the historial."""

    canceladaEn = serializers.DateTimeField(allow_null=True)


class CotizacionResumenSerializer(_DocumentoResumenSerializer):
    """A pending quotation inside the historial."""

    estado = serializers.CharField()
    validaHasta = serializers.DateTimeField(allow_null=True)


class HistorialCountSerializer(serializers.Serializer):
    ventas = serializers.IntegerField()
    cotizaciones = serializers.IntegerField()


class HistorialResumenSerializer(serializers.Serializer):
    totalComprado = serializers.FloatField()
    ultimaCompra = serializers.DateTimeField(allow_null=True)


class HistorialSerializer(serializers.Serializer):
    """Schema of GET /api/clientes/{id}/historial (the body is built by the selector): the
    customer's fields, then its history."""

    ventas = VentaResumenSerializer(many=True)
    cotizaciones = CotizacionResumenSerializer(many=True)
    resumen = HistorialResumenSerializer()

    def get_fields(self):
        history = super().get_fields()
        resumen = history.pop("resumen")
        # The contract's order; ``_count`` is not a valid Python attribute name.
        return {
            **answer_fields(),
            **history,
            "_count": HistorialCountSerializer(),
            "resumen": resumen,
        }


class ClienteEventoSerializer(serializers.Serializer):
    """A change in a customer's history (GET /api/clientes/{id}/eventos)."""

    tipo = serializers.ChoiceField(choices=ClienteEvento.Tipo.choices)
    usuario = ReferenceSerializer(allow_null=True)
    en = serializers.DateTimeField()
    cambios = serializers.DictField(
        allow_null=True,
        help_text="Campo -> [antes, después] de lo que cambió; null si no hay nada que decir.",
    )


class FusionInputSerializer(InputSerializer):
    """Body of POST /api/clientes/{id}/fusionar: the duplicate the customer absorbs."""

    duplicadoId = IdReferenceField(help_text="El cliente duplicado, que deja de existir.")


class MovedSerializer(serializers.Serializer):
    """A 308 for the id of a customer merged into another (``Location``: the same path)."""

    error = serializers.CharField()
    fusionadoCon = serializers.IntegerField(help_text="El cliente que responde por este id.")


class DatosPersonalesSerializer(serializers.Serializer):
    """Schema of GET /api/clientes/{id}/datos-personales (streamed by
    ``clientes.personal_data``)."""

    generadoEn = serializers.DateTimeField()
    cliente = ClienteSerializer()
    eventos = ClienteEventoSerializer(many=True)
    ventas = serializers.ListField(
        child=serializers.DictField(),
        help_text="Cada venta que nombra al cliente, la más antigua primero, como la muestra "
        "GET /api/ventas/{id} (con ítems y eventos).",
    )
    cotizaciones = serializers.ListField(
        child=serializers.DictField(),
        help_text="Cada cotización que nombra al cliente, la más antigua primero, como la "
        "muestra GET /api/cotizaciones/{id} (con ítems y eventos).",
    )


class ImportInputSerializer(InputSerializer):
    """Body of POST /api/clientes/importar (``multipart/form-data``)."""

    # An empty file is the import's to refuse (no header line), like any other bad file.
    archivo = serializers.FileField(
        allow_empty_file=True,
        help_text="CSV en UTF-8 con las columnas de export_clientes («nombre» obligatoria).",
    )
    simular = serializers.BooleanField(
        default=False, help_text="true: valida y cuenta lo que haría, sin guardar nada."
    )

    error_summaries = {"archivo": "Falta el archivo CSV (campo «archivo»)"}


class ImportErrorSerializer(serializers.Serializer):
    fila = serializers.IntegerField(
        allow_null=True, help_text="Línea del archivo (la cabecera es la 1)."
    )
    campo = serializers.CharField(allow_null=True, help_text="Columna; null: la fila entera.")
    mensaje = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    """The answer of POST /api/clientes/importar."""

    creados = serializers.IntegerField()
    actualizados = serializers.IntegerField()
    sinCambios = serializers.IntegerField()
    simulado = serializers.BooleanField(help_text="true: no se guardó nada (simular=true).")
    errores = ImportErrorSerializer(many=True)


class ImportRejectedSerializer(serializers.Serializer):
    """A refused import: why, and nothing was written. A request that is itself invalid (no
    ``archivo``) has ``detalles``; a file that was read has the counts and every problem."""

    error = serializers.CharField()
    detalles = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Campo -> mensajes, cuando la solicitud misma es inválida (falta «archivo»).",
    )
    creados = serializers.IntegerField(required=False, help_text="0: no se guardó nada.")
    actualizados = serializers.IntegerField(required=False, help_text="0: no se guardó nada.")
    errores = ImportErrorSerializer(many=True, required=False)
