import base64
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from changefeed.choices import EventType
from changefeed.models import Event

from .choices import DeliveryStatus
from .validators import validate_webhook_url


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Subscription(models.Model):
    """An organisation's URL that receives the events of the types it chose, of the resources the
    organisation may see, signed with the subscription's secret."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=500, validators=[validate_webhook_url])
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(default=list)
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "url", "pk"]
        indexes = [models.Index(fields=["organisation", "is_active"], name="webhook_sub_org_active")]

    def __str__(self) -> str:
        return f"{self.url} for {self.organisation}"

    def clean(self) -> None:
        super().clean()
        types = self.event_types
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            raise ValidationError({"event_types": "Choose at least one type of event."})
        unknown = sorted(set(types) - set(EventType.values))
        if unknown:
            raise ValidationError({"event_types": f"Unknown event types: {', '.join(unknown)}."})
        self.event_types = sorted(set(types))

    def wants(self, event_type: str) -> bool:
        return event_type in self.event_types


class Delivery(models.Model):
    """One message to one subscription (an event, or a test), with its attempts so far."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event_type = models.CharField(max_length=50)
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="webhook_delivery_once_per_event",
                condition=models.Q(event__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="webhook_delivery_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.subscription_id} ({self.status})"

    @property
    def message_id(self) -> str:
        """The webhook-id: the same on every attempt, so receivers can drop repeats."""
        return f"evt_{self.event.position}" if self.event_id else f"msg_test_{self.pk}"
