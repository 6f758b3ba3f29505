"""How django-axes identifies the account being tried, so lockouts match sign-in."""

from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """Sign-in lower-cases emails, so 'Ada@x' and 'ada@x' are one account to lock out."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return raw.strip().lower()
