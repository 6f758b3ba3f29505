"""Where webhooks may be sent: https only (unless WEBHOOKS_ALLOW_HTTP), and never to a private,
loopback, link-local or otherwise reserved address (unless WEBHOOKS_ALLOW_PRIVATE_HOSTS, for tests
against a local receiver), so a subscription cannot make the service call into its own network."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


class UnsafeDestination(ValidationError):
    pass


def _allowed_schemes() -> set[str]:
    return {"https", "http"} if settings.WEBHOOKS_ALLOW_HTTP else {"https"}


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (an IP literal resolves to itself)."""
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeDestination(f"The host name {host} could not be found.") from error


def _checked_parts(url: str) -> tuple[str, int]:
    """The host and port of a URL of an allowed shape; refuses any other."""
    parts = urlsplit(url)
    if parts.scheme not in _allowed_schemes():
        raise UnsafeDestination("Enter an address that starts with https://")
    if not parts.hostname:
        raise UnsafeDestination("Enter a full address, like https://example.org/webhooks")
    if parts.username or parts.password:
        raise UnsafeDestination("Enter an address without a user name or password in it.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeDestination("Enter an address with a valid port.") from error
    return parts.hostname, port


def check_destination(url: str) -> list[str]:
    """Refuse a URL webhooks may not be sent to; otherwise return the addresses its host resolved
    to, all checked. Sending connects to one of these, never resolving the name again, so a name
    that points elsewhere a moment later (DNS rebinding) cannot redirect the request inward."""
    host, port = _checked_parts(url)
    if settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS:
        return resolve(host, port)
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise UnsafeDestination("Enter a public address: webhooks are not sent to local or private hosts.")
    addresses = resolve(host, port)
    if not all(is_public_address(address) for address in addresses):
        raise UnsafeDestination("Enter a public address: webhooks are not sent to local or private hosts.")
    return addresses


def validate_webhook_url(url: str) -> None:
    """A subscription's URL, checked when it is saved (and again, resolved afresh, at each send)."""
    if settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS:
        _checked_parts(url)  # a local receiver, perhaps not resolvable until it runs
    else:
        check_destination(url)
