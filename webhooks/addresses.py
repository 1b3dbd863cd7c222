"""Where a webhook may be sent: ``https`` to a public address. Loopback, private, link-local,
multicast and reserved addresses are refused when a subscription is saved and again at every
delivery, on the very address the connection then uses (a name that resolves elsewhere later
cannot lead a delivery into the shop's own network). ``WEBHOOKS_ALLOW_HTTP`` and
``WEBHOOKS_ALLOW_PRIVATE`` lift the rules for development and tests."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from core.errors import DomainError

MENSAJE_HTTPS = "La URL debe empezar por https://"
MENSAJE_DIRECCION = "La URL apunta a una dirección no permitida (local, privada o reservada)"
MENSAJE_NO_RESUELVE = "No se encuentra el servidor de la URL"
MENSAJE_MAL_FORMADA = "La URL no es válida"


def checked_url(url: str) -> str:
    """``url`` when a subscription may use it (``DomainError`` otherwise)."""
    public_addresses(url)
    return url


def public_addresses(url: str) -> tuple[str, int, list[str]]:
    """``(host, port, addresses)`` the URL resolves to, every one allowed; ``DomainError``
    when the scheme, the name or any address is not."""
    try:
        parts = urlsplit(url)
        port = parts.port  # a port out of range or not a number is a ValueError
    except ValueError as exc:
        raise DomainError(MENSAJE_MAL_FORMADA) from exc
    allowed = {"https", "http"} if settings.WEBHOOKS_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed or not parts.hostname:
        raise DomainError(MENSAJE_HTTPS)
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DomainError(MENSAJE_NO_RESUELVE) from exc
    addresses = sorted({info[4][0] for info in infos})
    if not settings.WEBHOOKS_ALLOW_PRIVATE and not all(map(is_public, addresses)):
        raise DomainError(MENSAJE_DIRECCION)
    return parts.hostname, port, addresses


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
