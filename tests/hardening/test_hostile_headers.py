"""What the headers say about a body (Content-Type, charset, Content-Length) and its size limit."""

import pytest

from tests.hardening.hostile import MAX_BODY, URL, assert_error, nothing_written, raw, write_targets


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
