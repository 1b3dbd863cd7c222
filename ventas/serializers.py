from rest_framework import serializers

from documentos.serializers import (
    DocumentoDetailMixin,
    DocumentoInputSerializer,
    DocumentoRowSerializer,
    ListRowMixin,
)


class VentaInputSerializer(DocumentoInputSerializer):
    """Body of POST /api/ventas."""


class VentaRowSerializer(DocumentoRowSerializer):
    cotizacionId = serializers.IntegerField(
        source="origen_id", allow_null=True, help_text="Cotización de la que viene, si alguna."
    )


class VentaSerializer(VentaRowSerializer, DocumentoDetailMixin):
    """A Venta as its detail shows it."""


class VentaListSerializer(VentaRowSerializer, ListRowMixin):
    """A row of GET /api/ventas (built by the database; this documents its shape)."""
