"""Hostile input catalogue: every malformed request gets a clear 4xx JSON answer and writes nothing.

Each case goes through ``APIClient(raise_request_exception=False)``, so a crash shows up as a 500
answer (and fails ``status < 500``) rather than as an exception in the test.
"""

import json
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from clientes.models import Cliente
from tests.contract import CLIENTE_FIELDS
from tests.factories import make_cliente, make_token
from tests.hardening.conftest import data_snapshot

URL = "/api/clientes"
LIMITS = {
    "nombre": 200,
    "documento": 50,
    "email": 254,
    "telefono": 50,
    "direccion": 300,
    "notas": 5000,
}
TEXT_FIELDS = tuple(LIMITS)
MAX_BODY = 1024 * 1024
BIGINT = 2**63 - 1


@pytest.fixture
def client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user)}")
    return client


@pytest.fixture
def cliente(tenant):
    return make_cliente(
        tenant,
        nombre="Cliente Original",
        documento="ORIG-1",
        email="orig@example.com",
        telefono="300 000 0000",
        direccion="Calle 1",
        notas="notas",
    )


@contextmanager
def nothing_written():
    before = data_snapshot()
    yield
    assert data_snapshot() == before, "the request wrote to the database"


def assert_error(response, status: int, field: str | None = None) -> dict:
    """A JSON error answer with ``status``, a Spanish ``error``, ``detalles`` only on 400."""
    assert response.status_code < 500, (response.status_code, response.content[:300])
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].split(";")[0] == "application/json", response["Content-Type"]
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    assert isinstance(body.get("error"), str) and body["error"], body
    assert "Traceback" not in body["error"]
    if status == 400 and "detalles" in body:
        assert isinstance(body["detalles"], dict), body
        assert all(
            isinstance(msgs, list) and all(isinstance(m, str) for m in msgs)
            for msgs in body["detalles"].values()
        ), body
    if status != 400:
        assert "detalles" not in body, body
    if field is not None:
        assert field in body.get("detalles", {}), body
    return body


def raw(client, method: str, path: str, body: bytes, content_type="application/json", **extra):
    return getattr(client, method)(path, data=body, content_type=content_type, **extra)


def write_targets(cliente):
    """(method, path) of every write: create, and both spellings of update."""
    return [("post", URL), ("put", f"{URL}/{cliente.pk}"), ("patch", f"{URL}/{cliente.pk}")]


# --- malformed JSON and bodies that are not an object --------------------------------------
MALFORMED = [
    b"{",
    b'{"nombre": }',
    b"{'nombre': 'x'}",
    b'{"nombre": "x",}',
    b'{"nombre": "x"} trailing',
    b'{"nombre" "x"}',
    b'{"nombre": "x"',
    b'{"nombre": NaN}',
    b'{"nombre": Infinity}',
    b'{"nombre": -Infinity}',
    b'{"nombre": undefined}',
    b'{"nombre": "a\x01b"}',  # a raw control character inside a JSON string
    b'{"nombre": "\\x41"}',  # an escape JSON does not have
    b"\x00",
]


@pytest.mark.parametrize("body", MALFORMED, ids=repr)
def test_malformed_json_is_400(client, cliente, body):
    for method, path in write_targets(cliente):
        with nothing_written():
            assert_error(raw(client, method, path, body), 400)


NOT_AN_OBJECT = [b"[]", b'[{"nombre": "x"}]', b'"x"', b"1", b"1.5", b"null", b"true", b"false"]


@pytest.mark.parametrize("body", NOT_AN_OBJECT, ids=repr)
def test_body_that_is_not_an_object_is_400(client, cliente, body):
    for method, path in write_targets(cliente):
        with nothing_written():
            assert_error(raw(client, method, path, body), 400)


def test_empty_body_is_400_on_create(client):
    with nothing_written():
        assert_error(raw(client, "post", URL, b""), 400, "nombre")


# --- wrong types for every field -----------------------------------------------------------
WRONG_TYPES = [123, 0, 1.5, True, False, [], ["texto"], {}, {"a": "b"}]


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_wrong_type_is_400_on_create(client, field, value):
    body = {"nombre": "Válido", field: value}
    with nothing_written():
        assert_error(client.post(URL, body, format="json"), 400, field)


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_wrong_type_is_400_on_update(client, cliente, method, field, value):
    with nothing_written():
        response = getattr(client, method)(f"{URL}/{cliente.pk}", {field: value}, format="json")
        assert_error(response, 400, field)


@pytest.mark.parametrize("value", [None, "", "   ", "\t\n"], ids=repr)
def test_blank_or_null_nombre_is_400(client, cliente, value):
    with nothing_written():
        assert_error(client.post(URL, {"nombre": value}, format="json"), 400, "nombre")
        response = client.put(f"{URL}/{cliente.pk}", {"nombre": value}, format="json")
        assert_error(response, 400, "nombre")


@pytest.mark.parametrize("value", ["no-es-email", "a@", "@b.co", "a b@c.co", "a@b", "á@b.co"])
def test_invalid_email_is_400(client, value):
    with nothing_written():
        assert_error(client.post(URL, {"nombre": "x", "email": value}, format="json"), 400, "email")


# --- NUL bytes and lone surrogates ----------------------------------------------------------
@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("text", ["a\x00b", "\x00", "a\x1bb", "a\x7fb"], ids=repr)
def test_control_characters_in_strings_are_400(client, cliente, field, text):
    body = {"nombre": "Válido", field: text}
    with nothing_written():
        assert_error(client.post(URL, body, format="json"), 400, field)
        assert_error(client.patch(f"{URL}/{cliente.pk}", {field: text}, format="json"), 400, field)


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize(
    "escaped", ["a\\ud800", "\\udfff", "a\\ud800\\u0041", "\\udc00\\ud800"], ids=repr
)
def test_lone_surrogates_in_strings_are_400(client, cliente, field, escaped):
    body = f'{{"nombre": "Válido", "{field}": "{escaped}"}}'.encode()
    with nothing_written():
        assert_error(raw(client, "post", URL, body), 400)
        patch = f'{{"{field}": "{escaped}"}}'.encode()
        assert_error(raw(client, "patch", f"{URL}/{cliente.pk}", patch), 400)


def test_lone_surrogate_error_is_in_spanish(client):
    """The contract: every ``error`` is a human-readable Spanish message (no DRF English)."""
    body = assert_error(raw(client, "post", URL, b'{"nombre": "a\\ud800"}'), 400, "nombre")
    messages = [body["error"], *body["detalles"]["nombre"]]
    assert not any("not allowed" in m or "Surrogate" in m for m in messages), messages


def test_a_valid_surrogate_pair_is_fine(client):
    """Control: an escaped astral character (a proper pair) is text like any other."""
    response = raw(client, "post", URL, b'{"nombre": "Caf\\u00e9 \\ud83d\\ude00"}')
    assert response.status_code == 201, response.content
    assert response.json()["nombre"] == "Café \U0001f600"


@pytest.mark.parametrize("encoded", ["%00", "a%00b", "%1B", "%7F"])
def test_control_characters_in_busqueda_are_400(client, encoded):
    assert_error(client.get(f"{URL}?busqueda={encoded}"), 400, "busqueda")


@pytest.mark.parametrize("encoded", ["%ED%A0%80", "a%ED%B0%80", "%FF", "%C0%AF", "%C3%28"])
def test_invalid_utf8_and_surrogates_in_busqueda_never_fail(client, cliente, encoded):
    """Bytes that are not UTF-8 (incl. an encoded surrogate) never match a real customer.

    Django decodes them to U+FFFD before the view sees them; the answer is a 400 or an empty
    list, never a 500 nor every customer.
    """
    response = client.get(f"{URL}?busqueda={encoded}")
    assert response.status_code < 500, response.content
    if response.status_code == 200:
        assert response.json() == []
    else:
        assert_error(response, 400)


def test_busqueda_longer_than_its_limit_is_400(client):
    assert_error(client.get(f"{URL}?busqueda={'a' * 201}"), 400, "busqueda")


@pytest.mark.parametrize("term", ["%", "_", "\\", "%_%", "'; DROP TABLE clientes_cliente; --"])
def test_wildcards_and_sql_in_busqueda_are_plain_text(client, tenant, term):
    make_cliente(tenant, nombre="Sin comodines")
    hit = make_cliente(tenant, nombre=f"Con {term} literal")
    response = client.get(URL, {"busqueda": term})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [hit.pk]


# --- strings past every length limit --------------------------------------------------------
def _too_long(field: str, length: int) -> str:
    if field == "email":
        domain = ".".join(["d" * 60, "e" * 60, "f" * 60, "com"])
        local = "a" * (length - len(domain) - 1)
        return f"{local}@{domain}"
    return "á" * length  # characters, not bytes, are counted


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_strings_past_the_limit_are_400(client, cliente, field):
    value = _too_long(field, LIMITS[field] + 1)
    assert len(value) == LIMITS[field] + 1
    with nothing_written():
        assert_error(client.post(URL, {"nombre": "x", field: value}, format="json"), 400, field)
        response = client.patch(f"{URL}/{cliente.pk}", {field: value}, format="json")
        assert_error(response, 400, field)


@pytest.mark.parametrize("field", [f for f in TEXT_FIELDS if f != "email"])
def test_strings_at_the_limit_are_stored(client, field):
    """Control: exactly at the limit (in characters, accented ones too) is accepted whole."""
    value = "á" * LIMITS[field]
    response = client.post(URL, {"nombre": "x", field: value}, format="json")
    assert response.status_code == 201, response.content[:300]
    assert response.json()[field] == value


# --- bodies past the size limit -------------------------------------------------------------
@pytest.mark.parametrize("size", [MAX_BODY + 1, 4 * MAX_BODY])
def test_body_past_the_size_limit_is_413(client, cliente, size):
    prefix, suffix = b'{"nombre": "x", "notas": "', b'"}'
    body = prefix + b"a" * (size - len(prefix) - len(suffix)) + suffix
    assert len(body) == size
    for method, path in write_targets(cliente):
        with nothing_written():
            assert_error(raw(client, method, path, body), 413)


def test_body_of_exactly_the_limit_is_not_413(client):
    prefix, suffix = b'{"nombre": "x", "sobrante": "', b'"}'
    body = prefix + b"a" * (MAX_BODY - len(prefix) - len(suffix)) + suffix
    assert raw(client, "post", URL, body).status_code == 201


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", ""])
def test_nonsense_content_length_is_refused(client, length):
    with nothing_written():
        response = raw(client, "post", URL, b'{"nombre": "x"}', CONTENT_LENGTH=length)
        assert response.status_code < 500, response.content
        assert response.status_code in {400, 411, 413}, response.status_code
        assert_error(response, response.status_code)


# --- ids in the URL -------------------------------------------------------------------------
BAD_IDS = [
    str(BIGINT + 1),
    str(2**64),
    "9" * 100,
    "-1",
    "-9223372036854775808",
    "0",
    "00",
    "1e3",
    "1.0",
    "0x10",
    "abc",
    "%20",
    "%00",
    quote("١٢"),  # Arabic-Indic digits: str.isdigit() says yes, but they are no id
    quote("²"),
]


@pytest.mark.parametrize("raw_id", BAD_IDS)
@pytest.mark.parametrize("suffix", ["", "/historial"])
@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_out_of_range_and_non_numeric_ids_are_404(client, cliente, raw_id, suffix, method):
    if suffix and method != "get":
        return
    with nothing_written():
        if method == "get":
            response = client.get(f"{URL}/{raw_id}{suffix}")
        else:
            response = getattr(client, method)(f"{URL}/{raw_id}", {"nombre": "x"}, format="json")
        assert_error(response, 404)


def test_the_largest_bigint_is_a_plain_404(client):
    assert_error(client.get(f"{URL}/{BIGINT}"), 404)
    assert_error(client.get(f"{URL}/{BIGINT}/historial"), 404)


# --- limite and cursor ----------------------------------------------------------------------
NOT_WHOLE_NUMBERS = ["abc", "", " ", "1.5", "1e3", "-1", "0", "+5", " 5", "5 ", "0x10", "%00", "½"]


@pytest.mark.parametrize("param", ["limite", "cursor"])
@pytest.mark.parametrize("value", NOT_WHOLE_NUMBERS, ids=repr)
def test_limite_and_cursor_that_are_not_whole_numbers_are_400(client, param, value):
    assert_error(client.get(f"{URL}?{param}={quote(value, safe='%')}"), 400, param)


@pytest.mark.parametrize("value", [str(BIGINT + 1), "9" * 400])
def test_cursor_past_bigint_is_400(client, value):
    assert_error(client.get(URL, {"cursor": value}), 400, "cursor")


@pytest.mark.parametrize("value", ["501", str(BIGINT), str(BIGINT + 1), "9" * 400])
def test_limite_above_500_is_capped_not_refused(client, tenant, value):
    """The contract: "Above 500: 500" (for any whole number, however large)."""
    make_cliente(tenant)
    response = client.get(URL, {"limite": value})
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()) == 1


# --- media types ----------------------------------------------------------------------------
def test_form_encoded_body_is_415(client, cliente):
    for method, path in write_targets(cliente):
        with nothing_written():
            response = raw(
                client, method, path, b"nombre=x", content_type="application/x-www-form-urlencoded"
            )
            assert_error(response, 415)


def test_multipart_body_is_415(client, cliente):
    for method, path in write_targets(cliente):
        with nothing_written():
            response = getattr(client, method)(path, {"nombre": "x"}, format="multipart")
            assert_error(response, 415)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "text/html", "application/octet-stream"]
)
def test_other_media_types_are_415(client, content_type):
    with nothing_written():
        assert_error(raw(client, "post", URL, b'{"nombre": "x"}', content_type), 415)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"nombre=x&documento=1", "application/json"),
        (b"--boundary\r\nContent-Disposition: form-data; name=nombre\r\n\r\nx", "application/json"),
        (b"<cliente><nombre>x</nombre></cliente>", "application/json"),
        ('{"nombre": "Jos\u00e9"}'.encode("utf-16"), "application/json"),
    ],
    ids=["form", "multipart", "xml", "utf-16 body"],
)
def test_content_type_that_lies_is_400(client, cliente, body, content_type):
    for method, path in write_targets(cliente):
        with nothing_written():
            assert_error(raw(client, method, path, body, content_type), 400)


@pytest.mark.parametrize("charset", ["utf-16", "latin-1"])
def test_a_charset_other_than_utf8_is_415(client, cliente, charset):
    body = '{"nombre": "Jos\u00e9"}'.encode(charset)
    for method, path in write_targets(cliente):
        with nothing_written():
            assert_error(
                raw(client, method, path, body, f"application/json; charset={charset}"), 415
            )


def test_unknown_and_forbidden_fields_are_ignored(client, tenant, other_tenant):
    body = {
        "nombre": "Con extras",
        "desconocido": {"anidado": [1, 2, 3]},
        "id": 987654321,
        "tenant": other_tenant.pk,
        "tenant_id": other_tenant.pk,
        "empresa": other_tenant.pk,
        "creadoEn": "2000-01-01T00:00:00Z",
        "creado_en": "2000-01-01T00:00:00Z",
        "documentoCanonico": "HACKED",
        "textoBusqueda": "x",
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == set(CLIENTE_FIELDS)
    assert data["id"] != 987654321 and not data["creadoEn"].startswith("2000")
    created = Cliente.objects.unscoped().get(pk=data["id"])
    assert created.tenant_id == tenant.pk
    assert not Cliente.objects.unscoped().filter(tenant=other_tenant).exists()


def test_unknown_fields_on_update_change_nothing_else(client, cliente, other_tenant):
    body = {"notas": "nuevas", "id": cliente.pk + 1, "tenant": other_tenant.pk, "otro": True}
    response = client.patch(f"{URL}/{cliente.pk}", body, format="json")
    assert response.status_code == 200, response.content
    cliente.refresh_from_db()
    assert (cliente.notas, cliente.tenant_id, cliente.nombre) == (
        "nuevas",
        cliente.tenant.pk,
        "Cliente Original",
    )


# --- deep nesting, huge numbers, bytes that are not UTF-8 ---------------------------------
@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("shape", ["lists", "objects", "in a field"])
def test_deeply_nested_json_is_400(client, cliente, depth, shape):
    if shape == "lists":
        body = b"[" * depth + b"]" * depth
    elif shape == "objects":
        body = b'{"a":' * depth + b"1" + b"}" * depth
    else:
        body = b'{"nombre": ' + b"[" * depth + b"]" * depth + b"}"
    assert len(body) < MAX_BODY
    for method, path in write_targets(cliente):
        with nothing_written():
            assert_error(raw(client, method, path, body), 400)


@pytest.mark.parametrize(
    "number",
    [b"1e400", b"-1e400", b"1" * 5000, b"-" + b"9" * 5000, b"1." + b"0" * 5000, b"1e-400"],
    ids=["1e400", "-1e400", "5000 digits", "-5000 digits", "long fraction", "1e-400"],
)
@pytest.mark.parametrize("field", ["nombre", "documento", "extra"])
def test_huge_numbers_are_refused_or_ignored(client, number, field):
    body = b'{"nombre": "x", "' + field.encode() + b'": ' + number + b"}"
    if field == "nombre":
        body = b'{"nombre": ' + number + b"}"
    if field == "extra":
        response = raw(client, "post", URL, body)
        if response.status_code == 201:
            return  # an unknown field is ignored, whatever number it holds
        assert_error(response, 400)
        return
    with nothing_written():
        assert_error(raw(client, "post", URL, body), 400)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_on_login_is_400(anon, depth):
    """The login endpoint parses JSON too, without authentication: the cheapest target."""
    anon.raise_request_exception = False
    body = b'{"email": ' + b"[" * depth + b"]" * depth + b', "password": "x"}'
    assert_error(raw(anon, "post", "/api/auth/login", body), 400)


INVALID_UTF8 = [
    b'{"nombre": "\xff"}',
    b'{"nombre": "\xc3\x28"}',
    b'{"nombre": "\xc0\xaf"}',  # overlong "/"
    b'{"nombre": "\xed\xa0\x80"}',  # a surrogate encoded in UTF-8
    b'{"nombre": "\xf4\x90\x80\x80"}',  # past U+10FFFF
    b'{"nombre": "x\x80"}',
    b"\xfe\xff\x00{",
]


@pytest.mark.parametrize("body", INVALID_UTF8, ids=repr)
def test_invalid_utf8_body_is_400(client, cliente, body):
    for method, path in write_targets(cliente):
        with nothing_written():
            assert_error(raw(client, method, path, body), 400)


def test_the_customer_survives_every_hostile_update(client, cliente):
    """After a storm of hostile updates the row is exactly as it was."""
    before = Cliente.objects.unscoped().filter(pk=cliente.pk).values().get()
    path = f"{URL}/{cliente.pk}"
    for body in [*MALFORMED, *NOT_AN_OBJECT, *INVALID_UTF8, b'{"nombre": "a\\ud800"}']:
        assert raw(client, "put", path, body).status_code == 400
    assert Cliente.objects.unscoped().filter(pk=cliente.pk).values().get() == before
