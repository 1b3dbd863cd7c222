"""The query parameters of the lists, with the rules their filters apply.

django-filter reads an empty value (``?cliente=``) as "no filter", and so does an id made
only of whitespace; ``busqueda`` is trimmed text. The hook below writes that into the
parameters' schemas, so a generated client or a fuzzer knows exactly what each one takes.
"""

from django_filters import CharFilter, ChoiceFilter, DateFilter, FilterSet

from config.api.filters import IdFilter
from config.api.schema.hooks import ID_SCHEMA, operations
from config.api.schema.text import WHITESPACE, char_class, describe, text_pattern, text_sentences

NO_FILTER = "Vacío: sin filtro"
BLANK = {"type": "string", "maxLength": 0}


def _text(max_length: int | None):
    """The rule of a text filter: trimmed like a text field, blank meaning no filter."""

    def rule(schema: dict) -> tuple[dict, list[str]]:
        sentences = text_sentences(
            multiline=False, trim=True, optional=False, max_length=max_length
        )
        pattern = text_pattern(required=False, max_length=max_length)
        return {"type": "string", "pattern": pattern}, [
            *sentences,
            "Vacío o solo espacios: sin filtro",
        ]

    return rule


def _id(schema: dict) -> tuple[dict, list[str]]:
    blank = {"type": "string", "pattern": f"^{char_class(WHITESPACE)}*$"}
    return {"oneOf": [dict(ID_SCHEMA), blank]}, ["Vacío o solo espacios: sin filtro"]


def _date(schema: dict) -> tuple[dict, list[str]]:
    return {"oneOf": [schema, dict(BLANK)]}, [NO_FILTER]


def _choice(schema: dict) -> tuple[dict, list[str]]:
    return {**schema, "enum": ["", *schema["enum"]]}, [NO_FILTER]


def _filtersets(base: type[FilterSet] = FilterSet):
    """Every FilterSet the apps declare (their views have imported them by now)."""
    for filterset in base.__subclasses__():
        yield filterset
        yield from _filtersets(filterset)


def _rule_of(field):
    if isinstance(field, IdFilter):
        return _id
    if isinstance(field, DateFilter):
        return _date
    if isinstance(field, ChoiceFilter):
        return _choice
    if isinstance(field, CharFilter):
        return _text(field.extra.get("max_length"))
    return None


def parameter_rules() -> dict:
    """Query parameter name -> function(its schema) -> (new schema, description sentences)."""
    rules = {}
    for filterset in _filtersets():
        for name, field in filterset.base_filters.items():
            if rule := _rule_of(field):
                rules[name] = rule
    return rules


def refine_query_parameters(result, generator, request, public):
    """Postprocessing hook: the query parameters' schemas say what their filters accept."""
    rules = parameter_rules()
    for _path, _method, operation in operations(result):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and parameter["name"] in rules:
                schema, sentences = rules[parameter["name"]](parameter["schema"])
                parameter["schema"] = schema
                parameter.update(describe(parameter, *sentences))
    return result
