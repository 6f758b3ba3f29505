from __future__ import annotations

from rest_framework import serializers

from changefeed.choices import EventType

from ..models import Delivery, Subscription


class EventResourceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()


class EventSerializer(serializers.Serializer):
    """An event as the feed and webhooks describe it (``services.event_data``)."""

    api_version = serializers.CharField()
    id = serializers.IntegerField(help_text="The event's position in the feed: pass it as `since`.")
    type = serializers.ChoiceField(choices=EventType.choices)
    occurred_at = serializers.DateTimeField()
    resource = EventResourceSerializer()
    details = serializers.DictField(help_text="Ids, states, dates and days; never personal data.")


class EventPageSerializer(serializers.Serializer):
    events = EventSerializer(many=True)
    next_since = serializers.IntegerField(help_text="Pass as `since` to ask for the events after these.")
    has_more = serializers.BooleanField(help_text="More events are waiting: ask again at once.")


class SubscriptionSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(
        # min_length as well, so the schema says so (minItems): allow_empty alone is not shown.
        child=serializers.ChoiceField(choices=EventType.choices), allow_empty=False, min_length=1,
        help_text="The types of event to send.",
    )
    organisation = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The organisation whose events are sent (the token's)."
    )

    class Meta:
        model = Subscription
        fields = [
            "id", "organisation", "url", "description", "event_types", "is_active", "disabled_at",
            "disabled_reason", "created_at", "updated_at",
        ]
        read_only_fields = ["disabled_at", "disabled_reason", "created_at", "updated_at"]
        # The URL's rules (https, public host) are the model's, checked by the service's full_clean.
        extra_kwargs = {"url": {"validators": []}}


class SubscriptionWithSecretSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Verify each delivery's webhook-signature with it (Standard Webhooks)."
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.SerializerMethodField(help_text="The event's feed position; null for a test.")

    class Meta:
        model = Delivery
        fields = [
            "id", "event_id", "event_type", "status", "attempts", "last_status_code", "last_error",
            "last_attempt_at", "next_attempt_at", "delivered_at", "created_at",
        ]
        read_only_fields = fields

    def get_event_id(self, delivery: Delivery) -> int | None:
        return delivery.event.position if delivery.event_id else None
