"""The customer as the API shows it, declared once.

Each ``ClienteField`` names a field on the wire and the model column behind it, how an answer
shows it and, when clients may write it, how their value is validated. Everything that shows
or reads a customer derives from ``CLIENTE_FIELDS``: the serializers (and so the OpenAPI
schema), the list's stored rows (``clientes.stored_answer``), the historial and export rows,
the CSV export and import columns and the admin's form. Adding a field is its model column,
one line here and a migration that stores the new answer (``clientes.stored_answer``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db.models import Expression, F, QuerySet
from rest_framework import serializers

from clientes.search import SEPARATORS, has_code_characters
from config.api.expressions import IsoUtc, iso_utc
from config.api.schema.text import CONTROL, WHITESPACE, char_class
from config.api.serializers import (
    OptionalEmailField,
    OptionalTextField,
    StrictBooleanField,
    TextField,
)


def code_pattern() -> str:
    """Blank, or holding something besides spaces, dots and dashes (``has_code_characters``)."""
    separators = {cp for a, b in SEPARATORS for cp in range(ord(a), ord(b) + 1)}
    meaningful = char_class(CONTROL | WHITESPACE | separators, negate=True)
    return f"^(?:{char_class(WHITESPACE)}*|[\\s\\S]*{meaningful}[\\s\\S]*)$"


class CodeTextField(OptionalTextField):
    """An optional code such as a ``documento``: it must say something besides spaces, dots
    and dashes, which its uniqueness and search ignore."""

    default_error_messages = {
        **OptionalTextField.default_error_messages,
        "no_code": "Debe contener letras o números.",
    }

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        if value is not None and not has_code_characters(value):
            self.fail("no_code")
        return value

    @property
    def schema_patterns(self) -> list[str]:
        """Read by the schema's text fields (``config.api.schema.text``)."""
        return [code_pattern()]


@dataclass(frozen=True)
class ClienteField:
    """One field of a customer: its name on the wire and how answers and requests take it."""

    wire: str
    answer: Callable[..., serializers.Field]
    # How a client's value is validated; None: read-only.
    request: Callable[..., serializers.Field] | None = None
    # The model column behind it, when not named as on the wire.
    model_column: str | None = None
    # Rows read in bulk take the value as the database writes it (e.g. timestamps as text).
    database_text: Callable[[str], Expression] | None = None

    @property
    def column(self) -> str:
        return self.model_column or self.wire

    @property
    def writable(self) -> bool:
        return self.request is not None

    def _source(self) -> dict:
        return {} if self.column == self.wire else {"source": self.column}

    def bulk_expression(self) -> Expression:
        """The value as rows read in bulk take it: its database text, else its column."""
        return self.database_text(self.column) if self.database_text else F(self.column)

    def answer_field(self) -> serializers.Field:
        return self.answer(read_only=True, **self._source())

    def request_field(self) -> serializers.Field:
        return self.request(**self._source())


NULLABLE_TEXT = partial(serializers.CharField, allow_null=True)
NULLABLE_EMAIL = partial(serializers.EmailField, allow_null=True)
NULLABLE_TIME = partial(serializers.DateTimeField, allow_null=True)

CLIENTE_FIELDS = (
    ClienteField("id", serializers.IntegerField),
    ClienteField("nombre", serializers.CharField, partial(TextField, max_length=200)),
    ClienteField("documento", NULLABLE_TEXT, partial(CodeTextField, max_length=50)),
    ClienteField("email", NULLABLE_EMAIL, partial(OptionalEmailField, max_length=254)),
    ClienteField("telefono", NULLABLE_TEXT, partial(OptionalTextField, max_length=50)),
    ClienteField("direccion", NULLABLE_TEXT, partial(OptionalTextField, max_length=300)),
    ClienteField(
        "notas", NULLABLE_TEXT, partial(OptionalTextField, max_length=5000, multiline=True)
    ),
    ClienteField(
        "archivado", serializers.BooleanField, partial(StrictBooleanField, required=False)
    ),
    ClienteField(
        "creadoEn", serializers.DateTimeField, model_column="creado_en", database_text=IsoUtc
    ),
    ClienteField(
        "actualizadoEn",
        serializers.DateTimeField,
        model_column="actualizado_en",
        database_text=IsoUtc,
    ),
    ClienteField(
        "anonimizadoEn", NULLABLE_TIME, model_column="anonimizado_en", database_text=IsoUtc
    ),
)
WRITABLE_FIELDS = tuple(f for f in CLIENTE_FIELDS if f.writable)
WIRE_NAMES = tuple(f.wire for f in CLIENTE_FIELDS)
WRITABLE_WIRE_NAMES = tuple(f.wire for f in WRITABLE_FIELDS)
# What a person typed: the writable text fields (a file's columns, an erasure's targets).
TEXT_WIRE_NAMES = tuple(name for name in WRITABLE_WIRE_NAMES if name != "archivado")
COLUMN_OF = {f.wire: f.column for f in CLIENTE_FIELDS}
WIRE_OF_COLUMN = {f.column: f.wire for f in CLIENTE_FIELDS}


def answer_fields() -> dict[str, serializers.Field]:
    """A customer's fields in answers, in wire order."""
    return {f.wire: f.answer_field() for f in CLIENTE_FIELDS}


def request_fields() -> dict[str, serializers.Field]:
    """The fields a client may send, validated as the API validates them."""
    return {f.wire: f.request_field() for f in WRITABLE_FIELDS}


def as_api_rows(queryset: QuerySet) -> QuerySet:
    """``queryset`` as dicts keyed and ordered as the API answers a customer (fields read
    under another name or as database text come last: ``values()`` puts them there)."""
    same_name = [f for f in CLIENTE_FIELDS if f.database_text is None and f.wire == f.column]
    computed = {f.wire: f.bulk_expression() for f in CLIENTE_FIELDS if f not in same_name}
    return queryset.values(*(f.column for f in same_name), **computed)


def as_api_values(cliente) -> dict:
    """One customer's answer fields from the model instance, in wire order."""
    return {f.wire: getattr(cliente, f.column) for f in CLIENTE_FIELDS}


def as_api_answer(cliente) -> dict:
    """One customer as an answer writes it: ``as_api_values`` with its times as text (ISO
    8601 in UTC, ``Z``), exactly what ``ClienteSerializer`` writes, without building a
    serializer's fields for every answer (a create answers it and publishes it)."""
    return {f.wire: _as_text(getattr(cliente, f.column)) for f in CLIENTE_FIELDS}


def _as_text(value):
    return iso_utc(value) if isinstance(value, datetime) else value


def admin_form_fields() -> tuple[list[str], list[str]]:
    """The admin's form: (fields, read-only fields), the tenant first, the id left to Django."""
    shown = [f for f in CLIENTE_FIELDS if f.column != "id"]
    return ["tenant", *(f.column for f in shown)], [f.column for f in shown if not f.writable]
