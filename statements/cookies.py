"""The cookies the service sets, described from the settings that make them, so the cookies page
cannot drift from what the service does. Every one is strictly necessary: nothing is set for
analytics, preferences or advertising (a test signs in, works and signs out, and finds no other)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def duration(seconds: int) -> str:
    """A cookie's lifetime in the largest whole unit: "52 weeks", "8 hours", "30 minutes"."""
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _messages_cookie() -> Cookie | None:
    storage = import_string(settings.MESSAGE_STORAGE)
    # The default FallbackStorage tries a cookie first, then the session.
    backends = (storage, *getattr(storage, "storage_classes", ()))
    if not any(issubclass(backend, CookieStorage) for backend in backends):
        return None
    return Cookie(
        name=CookieStorage.cookie_name,
        purpose="Carries a confirmation message, such as \u201cInvitation sent\u201d, to the next page "
        "you see.",
        lifetime="Until the message is shown, or you close your browser",
    )


def service_cookies() -> list[Cookie]:
    """Each cookie the service may set, in the order a person meets them."""
    cookies = [
        Cookie(
            name=settings.CSRF_COOKIE_NAME,
            purpose="Makes sure a form you send comes from this service, not from another website.",
            lifetime=duration(settings.CSRF_COOKIE_AGE),
        ),
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose="Keeps you signed in as you move between pages, and holds an emailed link\u2019s "
            "code while you use it (so the code does not stay in the page address).",
            lifetime=f"Until you sign out, after {duration(settings.SESSION_IDLE_MINUTES * 60)} without "
            f"activity, or {duration(settings.SESSION_COOKIE_AGE)} after you sign in",
        ),
    ]
    messages = _messages_cookie()
    if messages is not None:
        cookies.append(messages)
    return cookies
