"""How django-axes identifies the account being tried, so lockouts match sign-in."""

from django.http import HttpRequest

from .client_ip import UNKNOWN, client_ip


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """Sign-in lower-cases emails, so 'Ada@x' and 'ada@x' are one account to lock out."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return raw.strip().lower()


def lockout_client_ip(request: HttpRequest) -> str | None:
    """The client address for django-axes, which stores it as an IP address: none when unknown (a
    sign-in made in code, such as a test's force_login, has no connection)."""
    address = client_ip(request)
    return None if address == UNKNOWN else address
