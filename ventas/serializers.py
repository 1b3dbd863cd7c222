from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from comercial.serializers import (
    DocumentoDetailMixin,
    DocumentoInputSerializer,
    DocumentoRowSerializer,
    ListRowMixin,
)

ITEM_EJEMPLO = {"descripcion": "Cemento gris 50 kg", "cantidad": 2.5, "precioUnitario": 32900}
PERSONA = {"id": 3, "nombre": "Ana"}
VENTA_EJEMPLO = {
    "id": 812,
    "numero": 57,
    "cliente": {"id": 17, "nombre": "José Álvarez"},
    "vendedor": PERSONA,
    "total": 82250.0,
    "notas": None,
    "creadoEn": "2026-12-03T15:44:21.123456Z",
    "canceladaEn": None,
    "canceladaPor": None,
    "motivoCancelacion": None,
    "cotizacionId": None,
    "items": [{"id": 1, **ITEM_EJEMPLO, "precioUnitario": 32900.0, "subtotal": 82250.0}],
    "eventos": [
        {"tipo": "CREADA", "usuario": PERSONA, "en": "2026-12-03T15:44:21.123456Z", "motivo": None}
    ],
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Venta a un cliente",
            value={"clienteId": 17, "notas": None, "items": [ITEM_EJEMPLO]},
            request_only=True,
        ),
        OpenApiExample(
            "Venta de mostrador (sin cliente)",
            value={
                "items": [{"descripcion": "Tornillos x 100", "cantidad": 1, "precioUnitario": 8500}]
            },
            request_only=True,
        ),
    ]
)
class VentaInputSerializer(DocumentoInputSerializer):
    """Body of POST /api/ventas."""


class VentaRowSerializer(DocumentoRowSerializer):
    cotizacionId = serializers.IntegerField(
        source="cotizacion_origen_id",
        allow_null=True,
        help_text="Cotización de la que viene, si alguna.",
    )


@extend_schema_serializer(
    examples=[OpenApiExample("Venta", value=VENTA_EJEMPLO, response_only=True)]
)
class VentaSerializer(VentaRowSerializer, DocumentoDetailMixin):
    """A Venta as its detail shows it."""


class VentaListSerializer(VentaRowSerializer, ListRowMixin):
    """A row of GET /api/ventas (built by the database; this documents its shape)."""
