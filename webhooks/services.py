"""Subscriptions and deliveries: everything that writes.

A delivery is a row first and a request second: the fan-out creates one Delivery per matching
subscription and event, the task attempts it at once, and every later attempt is made by the
periodic task ``webhooks.send_due_deliveries`` when ``next_attempt_at`` comes, so retries survive
worker restarts and never depend on a message in the broker's queue."""

from __future__ import annotations

import datetime
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

import requests
import requests.adapters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks import Webhook

from accounts.principals import acting_person
from changefeed.models import Event

from .choices import TEST_EVENT_TYPE, DeliveryStatus
from .models import Delivery, Subscription
from .queries import events_visible_to, organisation_principal
from .validators import check_destination

logger = logging.getLogger(__name__)

API_VERSION = "v1"
# The wait before each retry after a failed attempt: eight attempts over about 28 hours.
RETRY_SCHEDULE = [
    datetime.timedelta(seconds=5),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
    datetime.timedelta(hours=10),
]
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
# How long one attempt holds a delivery, so a second worker does not send it at the same time.
ATTEMPT_LEASE = datetime.timedelta(minutes=2)
DUE_BATCH = 200


class WebhookError(Exception):
    """A refused change to a subscription (shown as a form error, or a 400 in the API)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


# --- subscriptions ----------------------------------------------------------------------------


def _validated(subscription: Subscription) -> Subscription:
    subscription.full_clean(exclude=["organisation", "created_by"])
    return subscription


def create_subscription(
    *, organisation, url: str, event_types: Iterable[str], description: str = "", actor=None
) -> Subscription:
    """A new, active subscription with a new secret. Raises ValidationError on bad data."""
    subscription = Subscription(
        organisation=organisation, url=url, event_types=list(event_types), description=description,
        created_by=acting_person(actor),
    )
    _validated(subscription).save()
    return subscription


def update_subscription(subscription: Subscription, **changes) -> Subscription:
    """Change the URL, event types or description; raises ValidationError on bad data."""
    for name in ("url", "event_types", "description"):
        if name in changes:
            setattr(subscription, name, changes[name])
    _validated(subscription).save()
    return subscription


def enable(subscription: Subscription) -> Subscription:
    """Turn a subscription back on: its failures are forgotten and pending deliveries resume."""
    subscription.is_active, subscription.disabled_at, subscription.disabled_reason = True, None, ""
    subscription.consecutive_failures = 0
    subscription.save(update_fields=["is_active", "disabled_at", "disabled_reason", "consecutive_failures",
                                     "updated_at"])
    return subscription


def disable(subscription: Subscription, *, reason: str = "Turned off by an administrator.") -> Subscription:
    subscription.is_active, subscription.disabled_at = False, timezone.now()
    subscription.disabled_reason = reason
    subscription.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    return subscription


def delete_subscription(subscription: Subscription) -> None:
    subscription.delete()


def rotate_secret(subscription: Subscription) -> Subscription:
    from .models import new_secret

    subscription.secret = new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription


# --- payloads ---------------------------------------------------------------------------------


def event_data(event: Event) -> dict:
    """What the feed and a webhook say of an event (versioned with the API)."""
    return {
        "api_version": API_VERSION,
        "id": event.position,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "resource": {"kind": event.resource_kind, "id": event.resource_id},
        "details": event.data,
    }


def message_for(delivery: Delivery, now: datetime.datetime) -> dict:
    if delivery.event_id:
        event = delivery.event
        return {"type": event.type, "timestamp": event.occurred_at, "data": event_data(event)}
    return {
        "type": TEST_EVENT_TYPE,
        "timestamp": delivery.created_at,
        "data": {"api_version": API_VERSION, "subscription_id": delivery.subscription_id,
                 "message": "A test event, sent from the service."},
    }


def signed_request(delivery: Delivery, now: datetime.datetime) -> tuple[str, dict[str, str]]:
    """The body and headers of one attempt, signed per the Standard Webhooks specification."""
    body = json.dumps(message_for(delivery, now), cls=DjangoJSONEncoder, separators=(",", ":"))
    timestamp = now.astimezone(datetime.UTC)
    signature = Webhook(delivery.subscription.secret).sign(delivery.message_id, timestamp, body)
    return body, {
        "content-type": "application/json",
        "user-agent": f"syslead-webhooks/{API_VERSION}",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature,
    }


# --- deliveries -------------------------------------------------------------------------------


def create_deliveries(event_ids: Iterable[int]) -> list[int]:
    """One pending Delivery per published event and active subscription that wants its type and
    whose organisation may see its resource (asked once per organisation). Idempotent."""
    events = list(Event.objects.filter(pk__in=list(event_ids), position__isnull=False))
    if not events:
        return []
    types = {event.type for event in events}
    subscriptions = [
        s for s in Subscription.objects.filter(is_active=True).select_related("organisation")
        if types & set(s.event_types)
    ]
    by_organisation: dict[int, list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        by_organisation[subscription.organisation_id].append(subscription)
    deliveries = []
    for subs in by_organisation.values():
        principal = organisation_principal(subs[0].organisation)
        visible = set(
            events_visible_to(principal).filter(pk__in=[e.pk for e in events]).values_list("pk", flat=True)
        )
        for event in events:
            if event.pk not in visible:
                continue
            deliveries += [
                Delivery(subscription=s, event=event, event_type=event.type)
                for s in subs
                if s.wants(event.type)
            ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return list(
        Delivery.objects.filter(
            event_id__in=[e.pk for e in events], status=DeliveryStatus.PENDING, attempts=0
        )
        .values_list("pk", flat=True)
    )


def create_test_delivery(subscription: Subscription) -> Delivery:
    return Delivery.objects.create(subscription=subscription, event_type=TEST_EVENT_TYPE)


def due_deliveries(now: datetime.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, subscription__is_active=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    """Take the delivery for one attempt (a conditional update: only one worker wins)."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, subscription__is_active=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + ATTEMPT_LEASE)
    )


class _PinnedAddress(requests.adapters.HTTPAdapter):
    """Connects to an address already checked while speaking TLS to the host name: SNI and the
    certificate check use the name, so pinning the address weakens nothing."""

    def __init__(self, hostname: str) -> None:
        self._hostname = hostname
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs.update(server_hostname=self._hostname, assert_hostname=self._hostname)
        super().init_poolmanager(*args, **kwargs)


def _pinned(url: str, address: str) -> str:
    """``url`` with its host replaced by ``address`` (bracketed if IPv6)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def _post(url: str, body: str, headers: dict[str, str]) -> tuple[int | None, str]:
    """(status code, error) of one POST to an address checked just now; redirects are not
    followed, so a 3xx is a failure."""
    try:
        address = check_destination(url)[0]
    except ValidationError as refusal:
        return None, refusal.messages[0]
    parts = urlsplit(url)
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: it would resolve the name again
        session.mount(f"{parts.scheme}://", _PinnedAddress(parts.hostname))
        try:
            response = session.post(
                _pinned(url, address), data=body.encode(), headers={**headers, "Host": parts.netloc},
                timeout=settings.WEBHOOKS_TIMEOUT_SECONDS, allow_redirects=False,
            )
        except requests.Timeout:
            return None, f"No answer within {settings.WEBHOOKS_TIMEOUT_SECONDS:g} seconds."
        except requests.RequestException as error:
            return None, f"Could not connect: {type(error).__name__}."
        response.close()
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"The receiver answered {response.status_code}."


def attempt(delivery_id: int, *, now: datetime.datetime | None = None) -> str | None:
    """Make one attempt at a delivery if it is due and nobody else is making it. Returns its status
    afterwards, or None when it was not attempted (not due, taken, or its subscription is off).

    Side effects, in order: the POST; the delivery's outcome (delivered, or the next attempt
    scheduled by RETRY_SCHEDULE, or failed after MAX_ATTEMPTS); for an event's delivery that failed
    for good, the subscription's failure count, and past WEBHOOKS_DISABLE_AFTER_FAILURES the
    subscription turned off and, after commit, its organisation's administrators emailed."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("subscription", "event").get(pk=delivery_id)
    body, headers = signed_request(delivery, now)
    status_code, error = _post(delivery.subscription.url, body, headers)
    return _record_outcome(delivery, status_code, error, timezone.now())


def _record_outcome(delivery: Delivery, status_code: int | None, error: str, at: datetime.datetime) -> str:
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error, delivery.last_attempt_at = status_code, error[:300], at
    subscription = delivery.subscription
    with transaction.atomic():
        if not error:
            delivery.status, delivery.delivered_at = DeliveryStatus.SUCCEEDED, at
            delivery.next_attempt_at = None
            if delivery.event_id:
                Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        elif delivery.event_id is None or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            if delivery.event_id:
                _count_failure(subscription)
        else:
            delivery.next_attempt_at = at + RETRY_SCHEDULE[delivery.attempts - 1]
        delivery.save(update_fields=[
            "attempts", "last_status_code", "last_error", "last_attempt_at", "status", "delivered_at",
            "next_attempt_at",
        ])
    return delivery.status


def _count_failure(subscription: Subscription) -> None:
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    locked.consecutive_failures += 1
    locked.save(update_fields=["consecutive_failures"])
    if locked.is_active and locked.consecutive_failures >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES:
        disable(
            locked,
            reason=f"{locked.consecutive_failures} deliveries in a row failed every attempt "
            f"({MAX_ATTEMPTS} attempts over about a day each).",
        )
        from . import emails

        transaction.on_commit(lambda: emails.subscription_disabled(locked))


def deliveries_for(subscription: Subscription):
    return subscription.deliveries.select_related("event").order_by("-created_at", "-pk")


