from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .choices import EventType, ResourceKind


class Event(models.Model):
    """Something that happened to a resource partners can see: a creation, a change of state or
    another significant change. The payload holds ids, states, dates and amounts of days, never
    personal data.

    ``position`` is the feed's cursor. It is empty until the transaction that recorded the event
    has committed and ``services.publish_pending`` numbers it (see there why)."""

    id = models.BigAutoField(primary_key=True)
    position = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    type = models.CharField(max_length=50, choices=EventType.choices)
    resource_kind = models.CharField(max_length=30, choices=ResourceKind.choices)
    resource_id = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["resource_kind", "resource_id"], name="changefeed_event_resource"),
            models.Index(
                fields=["id"], name="changefeed_event_unpublished", condition=models.Q(position__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.resource_kind} {self.resource_id} (#{self.position or '-'})"
