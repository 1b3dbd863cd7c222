"""The query parameters of the lists, with the rules their filters apply.

django-filter reads an empty value (``?cliente=``) as "no filter", and so does an id made
only of whitespace; ``busqueda`` is trimmed text. The hook below writes that into the
parameters' schemas, so a generated client or a fuzzer knows exactly what each one takes.
"""

from django_filters import ChoiceFilter, DateFilter

from clientes.filters import ClienteFilter
from config.schema_hooks import ID_SCHEMA, operations
from config.schema_text import WHITESPACE, char_class, describe, text_pattern, text_sentences
from cotizaciones.filters import CotizacionFilter
from documentos.filters import IdFilter
from ventas.filters import VentaFilter

FILTERSETS = (VentaFilter, CotizacionFilter)
NO_FILTER = "Vacío: sin filtro"
BLANK = {"type": "string", "maxLength": 0}


def _busqueda(schema: dict) -> tuple[dict, list[str]]:
    max_length = ClienteFilter.base_filters["busqueda"].extra["max_length"]
    sentences = text_sentences(multiline=False, trim=True, optional=False, max_length=max_length)
    pattern = text_pattern(required=False, max_length=max_length)
    return {"type": "string", "pattern": pattern}, [*sentences, "Vacío o solo espacios: sin filtro"]


def _id(schema: dict) -> tuple[dict, list[str]]:
    blank = {"type": "string", "pattern": f"^{char_class(WHITESPACE)}*$"}
    return {"oneOf": [dict(ID_SCHEMA), blank]}, ["Vacío o solo espacios: sin filtro"]


def _date(schema: dict) -> tuple[dict, list[str]]:
    return {"oneOf": [schema, dict(BLANK)]}, [NO_FILTER]


def _choice(schema: dict) -> tuple[dict, list[str]]:
    return {**schema, "enum": ["", *schema["enum"]]}, [NO_FILTER]


def parameter_rules() -> dict:
    """Query parameter name -> function(its schema) -> (new schema, description sentences)."""
    rules = {"busqueda": _busqueda}
    for filterset in FILTERSETS:
        for name, field in filterset.base_filters.items():
            if isinstance(field, IdFilter):
                rules[name] = _id
            elif isinstance(field, DateFilter):
                rules[name] = _date
            elif isinstance(field, ChoiceFilter):
                rules[name] = _choice
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
