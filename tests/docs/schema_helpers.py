"""Reading the OpenAPI document: its URL, ``$ref`` resolution, its operations and JSON bodies."""

SCHEMA_URL = "/api/schema/"
IGNORED_METHODS = {"options", "head", "trace"}


def resolve(schema: dict, node: dict) -> dict:
    """Follow local ``$ref``s (and a single-item ``allOf`` wrapper) to the schema object."""
    while True:
        if "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/"), ref
            node = schema
            for part in ref[2:].split("/"):
                node = node[part]
        elif len(node.get("allOf", [])) == 1:
            node = node["allOf"][0]
        else:
            return node


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}:
                yield method, path, operation


def json_body(schema: dict, response: dict) -> dict:
    content = response.get("content", {})
    assert "application/json" in content, f"no application/json body: {response}"
    return resolve(schema, content["application/json"]["schema"])
