"""Every operation documents the error statuses the contract names, each with its error body."""

import pytest

from tests.docs.schema_helpers import json_body, operations

# (method, path) -> the error statuses the contract says that operation can answer.
# 429 is possible everywhere: every view is throttled (request rate, login attempts).
EXPECTED_ERRORS = {
    ("get", "/api/clientes"): {400, 401, 403, 429},
    ("post", "/api/clientes"): {400, 401, 403, 409, 413, 415, 429},
    ("get", "/api/clientes/{id}"): {401, 403, 404, 429},
    ("put", "/api/clientes/{id}"): {400, 401, 403, 404, 409, 413, 415, 429},
    ("patch", "/api/clientes/{id}"): {400, 401, 403, 404, 409, 413, 415, 429},
    ("get", "/api/clientes/{id}/historial"): {401, 403, 404, 429},
    ("post", "/api/auth/login"): {400, 401, 415, 429},
    ("post", "/api/auth/logout"): {403, 429},
    ("get", "/api/auth/me"): {401, 429},
    ("get", "/api/auth/csrf"): {429},
}


# -- errors: every documented error has the contract's body -------------------------------


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED_ERRORS))
def test_operation_documents_its_error_statuses(schema, method, path):
    responses = schema["paths"][path][method]["responses"]

    documented = {int(status) for status in responses if status[0] in "45"}
    missing = EXPECTED_ERRORS[(method, path)] - documented
    assert not missing, f"{method.upper()} {path} does not document {sorted(missing)}"


def test_every_documented_error_has_the_error_body(schema):
    checked = 0
    for method, path, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status[0] not in "45":
                continue
            body = json_body(schema, response)
            where = f"{method.upper()} {path} {status}"
            assert body.get("type") == "object", where
            assert body["properties"]["error"]["type"] == "string", where
            assert "error" in body.get("required", []), where
            assert response.get("description"), where
            if status == "400":
                detalles = body["properties"].get("detalles")
                assert detalles is not None, f"{where}: 400 must describe `detalles`"
                assert detalles["type"] == "object", where
                assert detalles["additionalProperties"]["type"] == "array", where
            else:
                assert "detalles" not in body.get("required", []), where
            checked += 1
    assert checked >= 30
