"""Facts of the API contract that several test modules check, written down once."""

CLIENTE_FIELDS = (
    "id",
    "nombre",
    "documento",
    "email",
    "telefono",
    "direccion",
    "notas",
    "creadoEn",
)
"""The contract's field list of a Cliente, in the contract's order.

Written out here on purpose rather than taken from the app (serializer, model or
``EXPORT_COLUMNS``): the tests compare what the app does against this list, so deriving it
from the app would make them agree with any change.
"""
