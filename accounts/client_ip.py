"""The address a request came from, read the same way by the sign-in lockout and every throttle."""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def client_ip(request: HttpRequest) -> str:
    """With TRUSTED_PROXY_COUNT proxies in front, each appends the address it saw to
    X-Forwarded-For, so the client is the entry that many places from the right; anything further
    left was written by the client and is not believed. With no proxy configured the header is
    ignored (anyone could send it) and the connection's address counts."""
    remote = request.META.get("REMOTE_ADDR", "") or UNKNOWN
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Not through every trusted proxy: only the connection's address is known to be real.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
