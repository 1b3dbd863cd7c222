"""Strict JSON number fields for money and quantities.

Bodies of the sales routes are parsed with ``DecimalJSONParser`` (numbers become ``Decimal``
without passing through float); these fields then take JSON numbers only (a string, a boolean
or anything else is a type error) and check bounds and decimals exactly.
"""

from decimal import Decimal

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers


class ExactDecimalField(serializers.Field):
    """A JSON number ``minimum <= value < below`` (``value > 0`` when ``positive``) with at
    most ``decimals`` decimals; trailing zeros do not count (``1.500`` has one)."""

    default_error_messages = {
        "invalid": "Debe ser un número.",
        "required": "Este campo es obligatorio.",
        "null": "Este campo no puede ser nulo.",
        "positive": "Debe ser mayor que cero.",
        "negative": "No puede ser negativo.",
        "too_large": "Debe ser menor que {below}.",
        "decimals": "No puede tener más de {decimals} decimales.",
    }

    def __init__(self, *, decimals: int, below: int, positive: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.decimals = decimals
        self.below = below
        self.positive = positive
        self.quantum = Decimal(1).scaleb(-decimals)

    def to_internal_value(self, data) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, int | Decimal):
            self.fail("invalid")
        value = Decimal(data)
        if not value.is_finite():
            self.fail("invalid")
        if self.positive and value <= 0:
            self.fail("positive")
        if value < 0:
            self.fail("negative")
        if value >= self.below:  # checked before quantize(): no huge exponents past here
            self.fail("too_large", below=f"{self.below:,}".replace(",", "."))
        if value.quantize(self.quantum) != value:
            self.fail("decimals", decimals=self.decimals)
        # copy_abs(): -0.0 is zero, and a stored zero has no sign to show.
        return value.quantize(self.quantum) if value else value.copy_abs().quantize(self.quantum)

    def to_representation(self, value):
        return value


class ExactDecimalFieldSchema(OpenApiSerializerFieldExtension):
    """The field's bounds in the OpenAPI schema, so generated clients and fuzzers send what
    the API accepts."""

    target_class = ExactDecimalField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = {
            "type": "number",
            "minimum": 0,
            "maximum": field.below,
            "exclusiveMaximum": True,
            "description": f"Número JSON con a lo sumo {field.decimals} decimales.",
        }
        if field.positive:
            schema["exclusiveMinimum"] = True
        return schema
