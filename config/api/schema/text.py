"""The text-input rules of ``config.api.serializers`` written as JSON Schema patterns.

A text field trims its value (Python's ``str.strip()``), refuses control characters in what
is left (tabs and line breaks allowed in multi-line fields), refuses a blank value where one is
required and stores ``""`` (or only whitespace) as null where the field is optional. The
patterns below accept exactly the strings the fields accept, so a client generator or a
fuzzer never sends a schema-valid value the API rejects. Validation itself stays in the
fields; these classes only describe it.

The regular expressions use ``\\uXXXX`` escapes and plain character classes only, so they mean
the same in ECMA 262 (OpenAPI), Python and Rust.
"""

import re
import unicodedata

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

from config.api.serializers import EmptyAsNullMixin, NoControlCharacters

# Every character ``str.strip()`` removes (none lies past U+3000).
WHITESPACE = frozenset(cp for cp in range(0x3001) if chr(cp).isspace())
# Unicode category Cc, what ``NoControlCharacters`` refuses (all of it lies below U+00A0).
CONTROL = frozenset(cp for cp in range(0xA0) if unicodedata.category(chr(cp)) == "Cc")
MULTILINE_ALLOWED = frozenset(map(ord, NoControlCharacters(multiline=True).allowed))

TEXT_DESCRIPTION = "Se recortan los espacios; no admite caracteres de control"
MULTILINE_DESCRIPTION = "Se recortan los espacios; admite tabuladores y saltos de línea"
OPTIONAL_DESCRIPTION = '`""`, solo espacios o `null`: sin valor'


def char_class(codepoints, *, negate: bool = False) -> str:
    """A regex character class of ``codepoints`` (its complement when ``negate``)."""
    ranges: list[list[int]] = []
    for cp in sorted(codepoints):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)
    return f"[{'^' if negate else ''}{body}]"


def text_pattern(
    *,
    multiline: bool = False,
    required: bool = True,
    trim: bool = True,
    max_length: int | None = None,
) -> str:
    """The pattern of a text field's accepted values.

    ``required``: a blank value is refused (else it means null); ``trim``: surrounding
    whitespace is removed before the checks, so ``max_length`` counts what is left (and a
    blank value of any length is null).
    """
    forbidden = CONTROL - MULTILINE_ALLOWED if multiline else CONTROL
    allowed = char_class(forbidden, negate=True)
    if not trim:
        return f"^{allowed}*$"
    space = char_class(WHITESPACE)
    edge = char_class(forbidden | WHITESPACE, negate=True)  # first and last kept characters
    middle = f"{allowed}*" if max_length is None else f"{allowed}{{0,{max_length - 2}}}"
    core = edge if max_length == 1 else f"{edge}(?:{middle}{edge})?"
    return f"^{space}*{core if required else f'(?:{core})?'}{space}*$"


# Patterns that carry the field's length limit themselves (counted after trimming): the raw
# ``maxLength`` drf-spectacular adds next to them is removed by ``finish_text_fields``.
_LENGTH_IN_PATTERN: set[str] = set()


def describe(schema: dict, *sentences: str) -> dict:
    """``schema`` with ``sentences`` appended to its description."""
    current = schema.get("description") or ""
    added = " ".join(s.rstrip(".") + "." for s in sentences if s)
    separator = "\n\n" if "\n" in current else " "
    text = f"{current.rstrip()}{separator}{added}" if current else added
    return {**schema, "description": text}


def _is_multiline(field) -> bool:
    return any(
        isinstance(v, NoControlCharacters) and v.allowed == NoControlCharacters(True).allowed
        for v in field.validators
    )


def text_sentences(*, multiline: bool, trim: bool, optional: bool, max_length) -> list[str]:
    """The Spanish sentences that tell a text field's rules."""
    if not trim:
        return ["No admite caracteres de control"]
    sentences = [MULTILINE_DESCRIPTION if multiline else TEXT_DESCRIPTION]
    if max_length is not None:
        sentences.append(f"A lo sumo {max_length} caracteres tras recortar los espacios")
    if optional:
        sentences.append(OPTIONAL_DESCRIPTION)
    return sentences


class TextFieldSchema(OpenApiSerializerFieldExtension):
    """``TextField`` and ``OptionalTextField``: the pattern of what they accept (request
    bodies only; answers carry the stored, already clean value)."""

    target_class = "config.api.serializers.TextField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        """drf-spectacular's own mapping plus the pattern and a Spanish description."""
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if direction != "request":
            return schema
        rules = {
            "multiline": _is_multiline(field),
            "trim": field.trim_whitespace,
            "optional": isinstance(field, EmptyAsNullMixin),
            "max_length": field.max_length,
        }
        pattern = text_pattern(
            multiline=rules["multiline"],
            required=not rules["optional"],
            trim=rules["trim"],
            max_length=field.max_length,
        )
        if rules["trim"] and field.max_length is not None:
            _LENGTH_IN_PATTERN.add(pattern)
        schema = {**schema, "pattern": pattern}
        # A field with rules of its own besides the text's (e.g. a customer's documento)
        # says them as ``schema_patterns``.
        if extra := getattr(field, "schema_patterns", None):
            schema["allOf"] = [{"pattern": p} for p in extra]
        return describe(schema, *text_sentences(**rules))


class OptionalEmailFieldSchema(OpenApiSerializerFieldExtension):
    """``OptionalEmailField``: an address (trimmed) or blank, which means null."""

    target_class = "config.api.serializers.OptionalEmailField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        """An email address, or only whitespace (stored as null) in requests."""
        field = self.target
        address = {"type": "string", "format": "email"}
        if field.max_length is not None:
            address["maxLength"] = field.max_length
        if direction != "request":
            return address
        blank = {"type": "string", "pattern": f"^{char_class(WHITESPACE)}*$"}
        return describe({"oneOf": [address, blank]}, OPTIONAL_DESCRIPTION)


BLANK_ALTERNATIVE = {"type": "string", "maxLength": 0}


def _merge_blank_alternative(schema: dict) -> None:
    """drf-spectacular wraps a blank-allowing string with a pattern as ``oneOf: [it, ""]``;
    when the pattern itself accepts ``""`` both branches match ``""`` and ``oneOf`` would
    refuse it, so the wrapper goes."""
    branches = schema.get("oneOf")
    if not branches or len(branches) != 2 or branches[1] != BLANK_ALTERNATIVE:
        return
    pattern = branches[0].get("pattern")
    if pattern is not None and re.fullmatch(pattern, ""):
        del schema["oneOf"]
        schema.update(branches[0])


def finish_text_fields(result, generator, request, public):
    """Postprocessing hook: undo drf-spectacular's ``oneOf`` wrapper where the pattern
    accepts ``""`` already, and drop the raw ``maxLength`` a pattern counts itself."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for prop in component.get("properties", {}).values():
            _merge_blank_alternative(prop)
            if prop.get("pattern") in _LENGTH_IN_PATTERN:
                prop.pop("maxLength", None)
    return result
