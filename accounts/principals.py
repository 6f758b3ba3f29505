"""Who is acting: a signed-in person, a partner system's token (an ApiClient), or the service itself."""

from __future__ import annotations


def is_api_client(principal) -> bool:
    return getattr(principal, "is_api_client", False)


def acting_person(actor):
    """The person behind an action, to record as its author; None for a partner system's token or
    for the service itself (a daily job)."""
    if getattr(actor, "is_authenticated", False) and not is_api_client(actor):
        return actor
    return None
