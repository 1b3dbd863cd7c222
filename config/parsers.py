from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError, UnsupportedMediaType


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, for UTF-8 only, where absurdly deep nesting is a 400 rather than a
    RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        charset = parse_header_parameters(media_type or "")[1].get("charset", "utf-8")
        if charset.lower() not in {"utf-8", "utf8"}:
            raise UnsupportedMediaType(media_type)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON demasiado anidado") from None
