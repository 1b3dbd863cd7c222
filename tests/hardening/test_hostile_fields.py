"""Field values the API refuses (types, blanks, control characters, lengths) or ignores."""

import pytest

from clientes.models import Cliente
from tests.contract import CLIENTE_FIELDS
from tests.hardening.hostile import LIMITS, TEXT_FIELDS, URL, assert_error, nothing_written, raw

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


# --- unknown fields and fields that name a tenant or an id ---------------------------------
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
