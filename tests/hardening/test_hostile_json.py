"""Bodies that are not a JSON object: malformed, deeply nested, huge numbers, bytes not UTF-8."""

import pytest

from clientes.models import Cliente
from tests.hardening.hostile import MAX_BODY, URL, assert_error, nothing_written, raw, write_targets


def assert_every_write_is_400(client, cliente, body: bytes) -> None:
    """Create, and both spellings of update, answer ``body`` with a 400 and write nothing."""
    for method, path in write_targets(cliente):
        with nothing_written():
            assert_error(raw(client, method, path, body), 400)


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
    assert_every_write_is_400(client, cliente, body)


NOT_AN_OBJECT = [b"[]", b'[{"nombre": "x"}]', b'"x"', b"1", b"1.5", b"null", b"true", b"false"]


@pytest.mark.parametrize("body", NOT_AN_OBJECT, ids=repr)
def test_body_that_is_not_an_object_is_400(client, cliente, body):
    assert_every_write_is_400(client, cliente, body)


def test_empty_body_is_400_on_create(client):
    with nothing_written():
        assert_error(raw(client, "post", URL, b""), 400, "nombre")


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
    assert_every_write_is_400(client, cliente, body)


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


@pytest.mark.parametrize("digits", [b"1" * 5000, b"-" + b"9" * 5000])
def test_a_5000_digit_number_is_valid_json_refused_by_its_field(client, digits):
    body = b'{"nombre": ' + digits + b"}"
    with nothing_written():
        response = raw(client, "post", URL, body)

    assert_error(response, 400)
    assert list(response.json()["detalles"]) == ["nombre"]


def test_a_5000_digit_cliente_id_is_too_large_not_broken_json(client):
    body = b'{"clienteId": ' + b"7" * 5000 + b', "items": []}'
    response = raw(client, "post", "/api/ventas", body)

    assert_error(response, 400)
    assert response.json()["detalles"]["clienteId"] == [
        "Debe ser menor o igual a 9223372036854775807."
    ]


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
    assert_every_write_is_400(client, cliente, body)


def test_the_customer_survives_every_hostile_update(client, cliente):
    """After a storm of hostile updates the row is exactly as it was."""
    before = Cliente.objects.unscoped().filter(pk=cliente.pk).values().get()
    path = f"{URL}/{cliente.pk}"
    for body in [*MALFORMED, *NOT_AN_OBJECT, *INVALID_UTF8, b'{"nombre": "a\\ud800"}']:
        assert raw(client, "put", path, body).status_code == 400
    assert Cliente.objects.unscoped().filter(pk=cliente.pk).values().get() == before
