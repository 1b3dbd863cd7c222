"""Both ways to authenticate (token header, session cookie) and which operations take which."""

from tests.docs.schema_helpers import operations

# -- authentication ------------------------------------------------------------------------


def test_both_auth_schemes_are_declared(schema):
    schemes = schema["components"]["securitySchemes"]

    token = [s for s in schemes.values() if s.get("in") == "header"]
    assert len(token) == 1
    assert token[0]["type"] == "apiKey"
    assert token[0]["name"] == "Authorization"
    assert "Token" in token[0].get("description", "")

    cookie = [s for s in schemes.values() if s.get("in") == "cookie"]
    assert len(cookie) == 1
    assert cookie[0]["type"] == "apiKey"
    from django.conf import settings

    assert cookie[0]["name"] == settings.SESSION_COOKIE_NAME


def test_data_endpoints_accept_both_schemes_and_login_none(schema):
    schemes = schema["components"]["securitySchemes"]
    header = next(name for name, s in schemes.items() if s.get("in") == "header")
    cookie = next(name for name, s in schemes.items() if s.get("in") == "cookie")

    for method, path, operation in operations(schema):
        security = operation.get("security", schema.get("security"))
        names = {name for requirement in security or [] for name in requirement}
        if path in {"/api/auth/login", "/api/auth/csrf"}:
            assert not names, f"{method.upper()} {path} needs no credentials"
        elif path == "/api/auth/logout":  # ends a session: the cookie, or nothing to end
            assert names == {cookie}, f"{method.upper()} {path}: {security}"
        else:
            assert {header, cookie} <= names, f"{method.upper()} {path}: {security}"
