"""Recording events and numbering them in commit order.

Why a position assigned after commit, not the insert id: PostgreSQL gives ids at insert, not at
commit, so a transaction that started first may commit a lower id after a reader has already
read a higher one, and a reader following ids would miss it. Taking a global lock when the event
is inserted would keep commit order but hold that lock for the rest of the domain transaction,
while it may still wait for row locks another event writer holds: a deadlock. So ``record``
inserts the event unnumbered inside the domain transaction (committed or rolled back with it),
and after commit ``publish_pending`` numbers every committed unnumbered event in a short
transaction of its own under one advisory lock that guards nothing else. Numbers are handed out
under that lock and become visible in the order handed out, so a reader that has seen position
``p`` has seen every position below it, and any event still unnumbered gets a position above
every one already visible. If the process dies between commit and numbering, the periodic task
``changefeed.publish_pending`` numbers the event a minute later at most.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from .choices import RESOURCE_OF_TYPE, EventType
from .models import Event
from .signals import events_published

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key for numbering events: any constant no other code uses.
PUBLISH_LOCK_KEY = 0x5E5_1EAD_FEED
PUBLISH_BATCH = 500


def record(event_type: str, resource: Model, data: Mapping[str, Any] | None = None) -> Event:
    """Record that ``event_type`` happened to ``resource``, inside the caller's transaction.

    Side effects, in order: the unnumbered Event; after commit, ``publish_pending`` (numbering it
    and telling ``events_published`` receivers)."""
    event_type = EventType(event_type)
    event = Event.objects.create(
        type=event_type,
        resource_kind=RESOURCE_OF_TYPE[event_type],
        resource_id=resource.pk,
        data=dict(data or {}),
    )
    transaction.on_commit(_publish_after_commit)
    return event


def _publish_after_commit() -> None:
    try:
        publish_pending()
    except Exception:  # the domain change has committed; the periodic task numbers it instead
        logger.exception("Publishing events after commit failed; the periodic task will retry.")


def publish_pending() -> list[int]:
    """Number committed unnumbered events in id order (batches of PUBLISH_BATCH), then send
    ``events_published``. Returns the ids numbered. Safe to run at any time, concurrently too."""
    published: list[int] = []
    while True:
        batch = _number_batch()
        published += batch
        if len(batch) < PUBLISH_BATCH:
            break
    if published:
        events_published.send(sender=Event, event_ids=published)
    return published


def _number_batch() -> list[int]:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_LOCK_KEY])
        pending = list(
            Event.objects.filter(position__isnull=True).order_by("id").values_list("id", flat=True)[
                :PUBLISH_BATCH
            ]
        )
        if not pending:
            return []
        top = Event.objects.aggregate(top=Max("position"))["top"] or 0
        now = timezone.now()
        events = [
            Event(pk=pk, position=top + offset, published_at=now) for offset, pk in enumerate(pending, 1)
        ]
        Event.objects.bulk_update(events, ["position", "published_at"])
    return pending
