"""The change feed (`/api/v1/events/`) and an organisation's webhook subscriptions
(`/api/v1/webhooks/`), with their delivery logs and test events."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.principals import is_api_client
from apiformat.filters import reject_repeated_parameters
from apiformat.responses import LOCATION_HEADER, error_responses

from .. import services
from ..models import Subscription
from ..queries import events_visible_to
from ..rules import administered_organisations
from ..tasks import deliver
from .serializers import (
    DeliverySerializer,
    EventPageSerializer,
    SubscriptionSerializer,
    SubscriptionWithSecretSerializer,
)

FEED_LIMIT, FEED_MAX_LIMIT = 100, 500


def _whole_number(request: Request, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < minimum:
        raise ValidationError({name: [f"Give a whole number of at least {minimum}."]})
    value = int(raw)
    # Refused rather than served at the maximum: the schema declares the maximum.
    if maximum is not None and value > maximum:
        raise ValidationError({name: [f"Give a whole number from {minimum} to {maximum}."]})
    return value


class EventFeedView(APIView):
    """Every creation and change of the resources the caller may see, in commit order."""

    @extend_schema(
        tags=["events"],
        summary="The change feed: every event of the resources the caller may see, in commit order",
        description=(
            "Events (deployments created and changing state, agreement versions agreed, reviews "
            "recorded, time logged, support requests, designations and claims created and changing "
            "state) in the order their changes committed. Start with `since=0`, then pass each "
            "answer's `next_since`: a client that does so misses nothing and sees nothing twice. "
            "`has_more` says more are waiting now."
        ),
        parameters=[
            OpenApiParameter(
                "since", {"type": "integer", "minimum": 0},
                description="The last event id seen (`next_since` of the previous answer); 0 to start.",
            ),
            OpenApiParameter(
                "limit", {"type": "integer", "minimum": 1, "maximum": FEED_MAX_LIMIT},
                description=f"Events per answer: {FEED_LIMIT} unless given; above {FEED_MAX_LIMIT} is served "
                f"as {FEED_MAX_LIMIT}.",
            ),
        ],
        responses={200: EventPageSerializer, **error_responses(400, 401, 403, 429)},
    )
    def get(self, request: Request) -> Response:
        reject_repeated_parameters(request, {"since", "limit"})
        unknown = set(request.query_params) - {"since", "limit"}
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in sorted(unknown)})
        since = _whole_number(request, "since", 0, 0)
        limit = _whole_number(request, "limit", FEED_LIMIT, 1, FEED_MAX_LIMIT)
        rows = list(events_visible_to(request.user).filter(position__gt=since)[: limit + 1])
        events = rows[:limit]
        return Response({
            "events": [services.event_data(event) for event in events],
            "next_since": events[-1].position if events else since,
            "has_more": len(rows) > limit,
        })


@extend_schema_view(
    list=extend_schema(
        tags=["webhooks"], summary="The organisation's webhook subscriptions",
        responses={200: SubscriptionSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    ),
    retrieve=extend_schema(
        tags=["webhooks"], summary="One subscription, with its signing secret",
        responses={200: SubscriptionWithSecretSerializer, **error_responses(401, 403, 404, 429)},
    ),
    create=extend_schema(
        tags=["webhooks"], summary="Subscribe a URL to types of event",
        description="The answer holds the secret to verify signatures with (also shown on retrieve).",
        parameters=[LOCATION_HEADER],
        responses={
            201: SubscriptionWithSecretSerializer,
            400: OpenApiResponse(description="Invalid URL (https and a public host only) or event types."),
            **error_responses(401, 403, 429),
        },
    ),
    update=extend_schema(
        tags=["webhooks"], summary="Change a subscription (`is_active` true turns it back on)",
        responses={200: SubscriptionSerializer, **error_responses(400, 401, 403, 404, 429)},
    ),
    partial_update=extend_schema(
        tags=["webhooks"], summary="Change part of a subscription (`is_active` true turns it back on)",
        responses={200: SubscriptionSerializer, **error_responses(400, 401, 403, 404, 429)},
    ),
    destroy=extend_schema(
        tags=["webhooks"], summary="Delete a subscription and its delivery log",
        responses={204: None, **error_responses(401, 403, 404, 429)},
    ),
)
class SubscriptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    """A token manages its organisation's subscriptions; a person, those of the organisations they
    administer (national administrators: every one)."""

    filter_backends: list = []

    def get_success_headers(self, data) -> dict[str, str]:
        # The subscription's own address: DRF's default would give its ``url``, the receiver's.
        location = reverse("webhooks-api:subscription-detail", args=[data["id"]], request=self.request)
        return {"Location": location}

    def get_queryset(self) -> QuerySet[Subscription]:
        user = self.request.user
        subscriptions = Subscription.objects.select_related("organisation").order_by("created_at", "pk")
        if getattr(user, "is_national_administrator", False):
            return subscriptions
        return subscriptions.filter(organisation__in=[o.pk for o in administered_organisations(user)])

    def get_serializer_class(self):
        if self.action in {"retrieve", "create"}:
            return SubscriptionWithSecretSerializer
        return SubscriptionSerializer

    def perform_create(self, serializer) -> None:
        user = self.request.user
        if not is_api_client(user):
            raise PermissionDenied(
                "Subscriptions are created with the organisation's API token, "
                "or on the service's webhooks page."
            )
        data = serializer.validated_data
        serializer.instance = _checked(
            lambda: services.create_subscription(
                organisation=user.organisation, url=data["url"], event_types=data["event_types"],
                description=data.get("description", ""), actor=user,
            )
        )

    def perform_update(self, serializer) -> None:
        subscription, data = serializer.instance, dict(serializer.validated_data)
        active = data.pop("is_active", None)
        _checked(lambda: services.update_subscription(subscription, **data))
        if active is True and not subscription.is_active:
            services.enable(subscription)
        elif active is False and subscription.is_active:
            services.disable(subscription)

    def perform_destroy(self, instance: Subscription) -> None:
        services.delete_subscription(instance)

    @extend_schema(
        tags=["webhooks"], summary="A subscription's deliveries, newest first",
        responses={200: DeliverySerializer(many=True), **error_responses(401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        page = self.paginate_queryset(services.deliveries_for(self.get_object()))
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(
        tags=["webhooks"], summary="Send a test event to the subscription's URL",
        description="Sent at once, one attempt, not retried; the answer is the delivery as it then is.",
        request=None,
        responses={202: DeliverySerializer, **error_responses(401, 403, 404, 429)},
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        delivery = services.create_test_delivery(self.get_object())
        deliver.delay(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


def _checked(change):
    try:
        return change()
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from error
