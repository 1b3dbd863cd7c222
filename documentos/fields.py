"""Strict JSON number fields for money and quantities.

Bodies of the sales routes are parsed with ``DecimalJSONParser`` (numbers become ``Decimal``
without passing through float); these fields then take JSON numbers only (a string, a boolean
or anything else is a type error) and check bounds and decimals exactly.
"""

from decimal import Decimal

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from config.api.ids import MAX_BIGINT


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


class StrictIntegerField(serializers.IntegerField):
    """A JSON whole number (``7``, ``7.0``); ``"7"``, ``7.5`` and ``true`` are type errors."""

    default_error_messages = {
        **serializers.IntegerField.default_error_messages,
        "invalid": "Debe ser un número entero.",
        "required": "Este campo es obligatorio.",
        "null": "Este campo no puede ser nulo.",
        "max_value": "Debe ser menor o igual a {max_value}.",
        "min_value": "Debe ser mayor o igual a {min_value}.",
    }

    def to_internal_value(self, data) -> int:
        if isinstance(data, Decimal):  # JSON does not tell 7 from 7.0 or 7E0
            data = self._whole(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)

    def _whole(self, value: Decimal) -> int:
        if not value.is_finite() or value != value.to_integral_value():
            self.fail("invalid")
        if abs(value) > MAX_BIGINT:  # before int(): 1E+999999 would be a million digits
            self.fail("max_value" if value > 0 else "min_value", **self._bounds())
        return int(value)

    def _bounds(self) -> dict:
        return {
            "max_value": self.max_value or MAX_BIGINT,
            "min_value": self.min_value or -MAX_BIGINT,
        }


class IdReferenceField(StrictIntegerField):
    """The id of another object: a positive bigint (a larger one can exist nowhere)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_BIGINT)
        super().__init__(**kwargs)


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
