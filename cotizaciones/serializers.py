import re
from datetime import date, datetime, time

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from comercial.serializers import (
    DocumentoDetailMixin,
    DocumentoInputSerializer,
    DocumentoRowSerializer,
    ListRowMixin,
)
from config.api.serializers import StrictIntegerField
from core.errors import DomainError
from cotizaciones.models import Cotizacion
from cotizaciones.services import MAX_DIAS_VALIDEZ, valid_until
from ventas.serializers import ITEM_EJEMPLO, VentaSerializer


class ValidityField(serializers.DateTimeField):
    """An ISO 8601 date-time, or a date alone (``2026-12-31``): valid through the end of that
    day (23:59:59.999999) in the tenant's time zone, the day the shop means."""

    DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

    def to_internal_value(self, value):
        if isinstance(value, str) and self.DAY.fullmatch(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                self.fail("invalid", format="YYYY-MM-DD o YYYY-MM-DDThh:mm[:ss][±hh:mm|Z]")
            tenant_tz = self.context["request"].user.tenant.tz
            return datetime.combine(day, time.max, tzinfo=tenant_tz)
        return super().to_internal_value(value)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Cotización válida 15 días",
            value={
                "clienteId": 17,
                "notas": "Entrega en obra",
                "diasValidez": 15,
                "items": [ITEM_EJEMPLO],
            },
            request_only=True,
        ),
        OpenApiExample(
            "Cotización válida hasta una fecha",
            value={"clienteId": 17, "validaHasta": "2026-12-31T23:00:00Z", "items": [ITEM_EJEMPLO]},
            request_only=True,
        ),
        OpenApiExample(
            "Cotización válida hasta el final de un día de la empresa",
            value={"clienteId": 17, "validaHasta": "2026-12-31", "items": [ITEM_EJEMPLO]},
            request_only=True,
        ),
    ]
)
class CotizacionInputSerializer(DocumentoInputSerializer):
    """Body of POST /api/cotizaciones: a sale's body plus ``diasValidez`` or ``validaHasta``
    (neither: 7 days)."""

    diasValidez = StrictIntegerField(
        source="dias_validez", required=False, min_value=1, max_value=MAX_DIAS_VALIDEZ
    )
    validaHasta = ValidityField(
        source="valida_hasta",
        required=False,
        help_text=(
            "Posterior a ahora y a lo sumo 365 días después (ISO 8601). Una fecha sola "
            "(`2026-12-31`) vale hasta el final de ese día en la zona horaria de la empresa."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        try:
            valid_until(
                now=timezone.now(),
                dias_validez=attrs.get("dias_validez"),
                valida_hasta=attrs.get("valida_hasta"),
            )
        except DomainError as exc:
            raise serializers.ValidationError({"validaHasta": [exc.message]}) from exc
        return attrs


class CotizacionRowSerializer(DocumentoRowSerializer):
    estado = serializers.ChoiceField(choices=Cotizacion.Estado.choices)
    vencida = serializers.BooleanField(help_text="PENDIENTE y validaHasta no es posterior a ahora.")
    validaHasta = serializers.DateTimeField(source="valida_hasta")
    convertidaEn = serializers.DateTimeField(source="convertida_en", allow_null=True)
    ventaId = serializers.IntegerField(source="venta_id", allow_null=True)


class CotizacionSerializer(CotizacionRowSerializer, DocumentoDetailMixin):
    """A Cotizacion as its detail shows it."""


class CotizacionListSerializer(CotizacionRowSerializer, ListRowMixin):
    """A row of GET /api/cotizaciones (built by the database; this documents its shape)."""


class ConversionSerializer(serializers.Serializer):
    """The answer of POST /api/cotizaciones/{id}/convertir."""

    venta = VentaSerializer()
    cotizacion = CotizacionSerializer()
