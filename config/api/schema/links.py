"""OpenAPI links: which later requests take the id a write answers.

A create (``POST /api/<recurso>``, 201) or a transition (``POST …/{id}/<acción>``) answers an
object with ``id``; every operation under ``/api/<recurso>/{id}`` takes it as its ``{id}``.
Objects nested in an answer (the ``venta`` and ``cotizacion`` of a conversion) link the same
way to their own resource. A new customer's id is also the ``clienteId`` of a new sale or
quotation. Generated clients and schemathesis' stateful phase follow these links.
"""

from config.api.schema.hooks import operations

SUCCESS = ("200", "201")


def _resolve(result: dict, schema: dict) -> dict:
    """Follow a local ``$ref`` (or a one-item ``allOf``) to the schema object."""
    while True:
        if "$ref" in schema:
            schema = result["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def _body_schema(result: dict, response: dict) -> dict:
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return _resolve(result, schema) if schema else {}


def _collections(result: dict) -> set[str]:
    """The paths that have an ``/{id}`` below them (``/api/clientes``, …)."""
    return {path.split("/{id}")[0] for path in result.get("paths", {}) if "/{id}" in path}


def _produced(result: dict, path: str, body: dict) -> list[tuple[str, str]]:
    """``(collection, runtime expression)`` of every id an answer of ``path`` carries."""
    collections = _collections(result)
    produced = []
    own = path.split("/{id}")[0]
    if "id" in body.get("properties", {}) and own in collections:
        produced.append((own, "$response.body#/id"))
    for name, prop in body.get("properties", {}).items():
        if prop.get("nullable") or not ("$ref" in prop or "allOf" in prop):
            continue
        if "id" not in _resolve(result, prop).get("properties", {}):
            continue
        for collection in collections:
            if collection.rsplit("/", 1)[1].startswith(name):
                produced.append((collection, f"$response.body#/{name}/id"))
    return produced


def _reference_field(collection: str) -> str:
    """``/api/clientes`` -> ``clienteId``: how a request body names a row of it."""
    return collection.rsplit("/", 1)[1].removesuffix("s") + "Id"


def _links_from(result: dict, path: str, status: str, body: dict) -> dict:
    links = {}
    for collection, expression in _produced(result, path, body):
        for target_path, _method, target in operations(result):
            if target_path.startswith(f"{collection}/{{id}}"):
                links[target["operationId"]] = {
                    "operationId": target["operationId"],
                    "parameters": {"path.id": expression},
                    "description": f"`id` del recurso de la respuesta {status}.",
                }
        if status != "201" or path != collection:
            continue
        field = _reference_field(collection)
        for target_path, method, target in operations(result):
            request = target.get("requestBody", {}).get("content", {}).get("application/json")
            if method != "post" or "{" in target_path or request is None:
                continue
            if field in _resolve(result, request["schema"]).get("properties", {}):
                links[target["operationId"]] = {
                    "operationId": target["operationId"],
                    "requestBody": {field: expression},
                    "description": f"`{field}` del recurso creado.",
                }
    return links


def add_links(result, generator, request, public):
    """Declare the links of every successful ``POST`` answer."""
    for path, method, operation in operations(result):
        if method != "post":
            continue
        for status, response in operation.get("responses", {}).items():
            if status in SUCCESS:
                links = _links_from(result, path, status, _body_schema(result, response))
                if links:
                    response["links"] = links
    return result
