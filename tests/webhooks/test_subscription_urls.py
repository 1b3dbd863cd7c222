"""The URL a subscription names: https, of a public address, whose name resolves; any other is
400 on ``url`` saying why, unless the rules are lifted (``local_urls``), as in development."""

import pytest

from tests.webhooks.helpers import BODY, DIRECCION
from webhooks.models import Suscripcion

pytestmark = pytest.mark.django_db

HTTPS = "La URL debe empezar por https://"
NO_RESUELVE = "No se encuentra el servidor de la URL"


@pytest.mark.parametrize(
    ("url", "mensaje"),
    [
        pytest.param("http://93.184.216.34/hook", HTTPS, id="not-https:http"),
        pytest.param("ftp://93.184.216.34/hook", HTTPS, id="not-https:ftp"),
        pytest.param("93.184.216.34/hook", HTTPS, id="not-https:no-scheme"),
        pytest.param("https://", HTTPS, id="not-https:no-host"),
        pytest.param("https://127.0.0.1/x", DIRECCION, id="local:loopback"),
        pytest.param("https://10.0.0.1/x", DIRECCION, id="private:10"),
        pytest.param("https://192.168.1.10/x", DIRECCION, id="private:192.168"),
        pytest.param("https://172.16.0.1/x", DIRECCION, id="private:172.16"),
        pytest.param("https://169.254.169.254/x", DIRECCION, id="link-local:cloud-metadata"),
        pytest.param("https://[::1]/x", DIRECCION, id="local:ipv6-loopback"),
        pytest.param("https://[::ffff:127.0.0.1]/x", DIRECCION, id="local:ipv4-mapped-loopback"),
        pytest.param("https://[fd00::1]/x", DIRECCION, id="private:ipv6-unique-local"),
        pytest.param("https://224.0.0.1/x", DIRECCION, id="multicast"),
        pytest.param("https://0.0.0.0/x", DIRECCION, id="reserved:unspecified"),
        pytest.param("https://100.64.0.1/x", DIRECCION, id="reserved:shared-address-space"),
        pytest.param("https://localhost/x", DIRECCION, id="local:localhost"),
        # 127.0.0.1 written as one number
        pytest.param("https://2130706433/x", DIRECCION, id="local:loopback-as-a-number"),
        pytest.param("https://no-existe.invalid/x", NO_RESUELVE, id="name-does-not-resolve"),
    ],
)
def test_a_refused_url_is_400_on_url_saying_why(admin_api, tenant, url, mensaje):
    response = admin_api.post("/api/webhooks", {**BODY, "url": url}, format="json")

    assert response.status_code == 400
    assert response.json()["detalles"] == {"url": [mensaje]}
    assert not Suscripcion.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    "url",
    ["https://93.184.216.34:99999/x", "https://93.184.216.34:abc/x", "https://[::1/x"],
    ids=["port-out-of-range", "port-not-a-number", "unclosed-ipv6"],
)
def test_a_malformed_url_is_400(admin_api, tenant, url):
    response = admin_api.post("/api/webhooks", {**BODY, "url": url}, format="json")

    assert response.status_code == 400
    assert not Suscripcion.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://93.184.216.34/hook",
        "https://93.184.216.34:8443/a?b=c",
        "https://[2606:4700::1111]/x",
    ],
)
def test_a_public_address_is_accepted(admin_api, url):
    response = admin_api.post("/api/webhooks", {**BODY, "url": url}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["url"] == url


def test_with_local_urls_allowed_a_local_http_url_is_accepted(admin_api, receiver, local_urls):
    response = admin_api.post("/api/webhooks", {**BODY, "url": receiver.url}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["url"] == receiver.url
