import codecs
import json
from decimal import Decimal

from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.utils.json import strict_constant


def whole_number(text: str) -> int | Decimal:
    """A JSON integer as an ``int``; past Python's limit of digits for ``int()`` (4,300), as a
    ``Decimal``: the number is valid JSON, and the field it is in says it is too large."""
    try:
        return int(text)
    except ValueError:
        return Decimal(text)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, for UTF-8 only, where absurdly deep nesting is a 400 rather than a
    RecursionError. ``NaN`` and ``Infinity`` are not JSON and are refused."""

    parse_float = float

    def parse(self, stream, media_type=None, parser_context=None):
        charset = parse_header_parameters(media_type or "")[1].get("charset", "utf-8")
        if charset.lower() not in {"utf-8", "utf8"}:
            raise UnsupportedMediaType(media_type)
        try:
            return json.load(
                codecs.getreader("utf-8")(stream),
                parse_float=self.parse_float,
                parse_int=whole_number,
                parse_constant=strict_constant,
            )
        except RecursionError:
            raise ParseError("JSON demasiado anidado") from None
        except ValueError as exc:  # also UnicodeDecodeError
            raise ParseError(f"JSON parse error - {exc}") from None


class DecimalJSONParser(JSONParser):
    """Numbers with a fraction or an exponent become ``Decimal``, exactly as written: money
    never passes through a float on its way to the database (``0.1 × 0.3`` is ``0.03``)."""

    parse_float = Decimal
