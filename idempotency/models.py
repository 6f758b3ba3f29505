from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

# How long a key is remembered: a repeat after this runs again (and the row is cleared nightly).
KEY_LIFETIME = timedelta(hours=24)
KEY_MAX_LENGTH = 255


class IdempotentRequestQuerySet(models.QuerySet):
    def expired(self, now=None) -> IdempotentRequestQuerySet:
        return self.filter(created_at__lte=(now or timezone.now()) - KEY_LIFETIME)


class IdempotentRequest(models.Model):
    """One (caller, key): the request it first came with and, once answered, the response.

    The row is inserted before the request runs; the unique constraint makes a concurrent repeat
    fail to insert, so it is told the first is still in progress instead of running twice."""

    owner = models.CharField(
        max_length=100, help_text="Whose key: 'token:<id>' or 'user:<id>'; keys are per caller."
    )
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    body_digest = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(blank=True, default=b"")
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = IdempotentRequestQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="one_request_per_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.owner}, key {self.key[:20]})"

    @property
    def is_answered(self) -> bool:
        return self.response_status is not None

    @property
    def has_expired(self) -> bool:
        return self.created_at <= timezone.now() - KEY_LIFETIME
