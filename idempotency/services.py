from __future__ import annotations

from .models import IdempotentRequest


def clear_expired_keys() -> int:
    """Delete the keys older than their lifetime; returns how many."""
    deleted, _ = IdempotentRequest.objects.expired().delete()
    return deleted
