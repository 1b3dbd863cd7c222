"""Strict JSON fields and the base input serializer shared by the apps.

DRF's ``CharField`` turns ``123`` or ``true`` into strings; here a text field takes strings only,
trims them, refuses control characters, and optional fields store ``""`` and ``null`` as null.
"""

import copy
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.deconstruct import deconstructible
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from config.api.exceptions import GENERAL_FIELD, ApiValidationError
from config.api.ids import MAX_BIGINT

TEXT_ERROR_MESSAGES = {
    "required": "Este campo es obligatorio.",
    "null": "Este campo no puede ser nulo.",
    "blank": "Este campo no puede estar en blanco.",
    "invalid": "Debe ser un texto.",
    "max_length": "No puede tener más de {max_length} caracteres.",
}


@deconstructible
class NoControlCharacters:
    """Refuses control characters; ``multiline`` allows tabs and line breaks."""

    def __init__(self, multiline: bool = False):
        self.allowed = {"\t", "\n", "\r"} if multiline else set()

    def __call__(self, value: str) -> None:
        if any(unicodedata.category(ch) == "Cc" and ch not in self.allowed for ch in value):
            raise DjangoValidationError("Contiene caracteres de control no permitidos.")

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters) and other.allowed == self.allowed


class SpanishSurrogateValidator(ProhibitSurrogateCharactersValidator):
    message = "No se admiten caracteres sustitutos (surrogates) sueltos: U+{code_point:X}."


class StrictStringMixin:
    """Only JSON strings are text; numbers, booleans, lists and objects are a type error."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            SpanishSurrogateValidator()
            if isinstance(v, ProhibitSurrogateCharactersValidator)
            else v
            for v in self.validators
        ]

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class EmptyAsNullMixin:
    """``""`` (after trimming) and ``null`` both mean "no value"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and not data.strip():
            return None
        return super().run_validation(data)


class TextField(StrictStringMixin, serializers.CharField):
    """A required, trimmed, single-line string."""

    default_error_messages = TEXT_ERROR_MESSAGES

    def __init__(self, *, multiline: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(NoControlCharacters(multiline=multiline))


class OptionalTextField(EmptyAsNullMixin, TextField):
    """A trimmed string where ``""`` and ``null`` store null."""


class OptionalEmailField(EmptyAsNullMixin, StrictStringMixin, serializers.EmailField):
    """A trimmed email address where ``""`` and ``null`` store null."""

    default_error_messages = {
        **TEXT_ERROR_MESSAGES,
        "invalid": "Introduzca una dirección de correo electrónico válida.",
    }


class ReferenceSerializer(serializers.Serializer):
    """A customer or a user as other answers name them: ``{"id", "nombre"}``."""

    id = serializers.IntegerField()
    nombre = serializers.CharField()


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


class StrictBooleanField(serializers.BooleanField):
    """Only JSON ``true`` and ``false``: ``"true"``, ``1`` and the like are a type error."""

    default_error_messages = {
        "invalid": "Debe ser true o false.",
        "null": "Este campo no puede ser nulo.",
        "required": "Este campo es obligatorio.",
    }

    def to_internal_value(self, data) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


# Fields that hold other fields.
_HOLDING_FIELDS = (
    serializers.BaseSerializer,
    serializers.ListField,
    serializers.DictField,
    ManyRelatedField,
)


def _fresh(field: serializers.Field) -> serializers.Field:
    """A new field like ``field``, not bound to any serializer yet."""
    # A field that holds other fields (a serializer, a ListField's child) binds them to
    # itself when built: DRF's deep copy builds it again. Any other field keeps nothing of a
    # request (__init__ sets all its state and validation reads it), so a shallow copy will
    # do; bind() then sets its name and parent on the copy alone.
    if isinstance(field, _HOLDING_FIELDS):
        return copy.deepcopy(field)
    return copy.copy(field)


class FieldsBuiltOnceMixin:
    """A serializer whose fields are built once per class; each instance binds copies.

    DRF builds a serializer's fields again for every instance (its deep copy of the declared
    fields runs each field's ``__init__`` again): for a customer's create that was about half
    of what validating its body cost (bench/README.md, the twelfth step). The fields must be
    the same for every instance, which is what a declared field is; a serializer whose fields
    depend on its context or instance must not use this.

    The copies share what their field's ``__init__`` built (validators, error messages, a
    lazy message's text once formatted): change a field of one instance by assigning to it,
    never in place (``field.validators.append`` would reach every instance).
    """

    def get_fields(self) -> dict[str, serializers.Field]:
        built = type(self).__dict__.get("_fields_built_once")
        if built is None:  # two threads may both build them: either result is the same
            built = self.build_fields()
            type(self)._fields_built_once = built
        return {name: _fresh(field) for name, field in built.items()}

    def build_fields(self) -> dict[str, serializers.Field]:
        """The fields, unbound; built once per class (DRF's ``get_fields`` by default), so
        never from ``self.context`` or ``self.instance``: those of the first instance would
        stay."""
        return super().get_fields()


class InputSerializer(FieldsBuiltOnceMixin, serializers.Serializer):
    """Validates a request body; its errors carry a one-sentence summary for ``error``.

    ``error_summaries`` maps ``(field, error code)`` or ``field`` to that sentence.
    """

    error_summaries: dict = {}

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        if not isinstance(self.initial_data, dict):
            raise ApiValidationError(
                {GENERAL_FIELD: ["Envíe un objeto JSON con los campos."]},
                summary="El cuerpo de la solicitud debe ser un objeto JSON",
            )
        valid = super().is_valid(raise_exception=False)
        if not valid and raise_exception:
            raise ApiValidationError(self.errors, summary=self._summary())
        return valid

    def _summary(self) -> str | None:
        if not isinstance(self._errors, dict):
            return None
        for field, errors in self._errors.items():
            code = getattr(errors[0], "code", None) if isinstance(errors, list) and errors else None
            return self.error_summaries.get((field, code)) or self.error_summaries.get(field)
        return None
