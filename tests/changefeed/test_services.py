"""Events are recorded inside the domain transaction, numbered in commit order after it commits,
and a reader following the cursor misses none (a parallel test on PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, transaction

from changefeed import services
from changefeed.choices import EventType, ResourceKind
from changefeed.models import Event
from changefeed.signals import events_published
from tests.factories import SchoolFactory
from tests.factories.brokerage import SupportRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_request(db):
    return SupportRequestFactory(school=SchoolFactory())


def test_an_event_is_numbered_only_after_its_transaction_commits(
    support_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = services.record(EventType.SUPPORT_REQUEST_CREATED, support_request, {"status": "open"})
        assert Event.objects.get(pk=event.pk).position is None
    event.refresh_from_db()
    assert event.position is not None
    assert (event.resource_kind, event.resource_id) == (ResourceKind.SUPPORT_REQUEST, support_request.pk)
    assert event.data == {"status": "open"}


def test_a_rolled_back_event_is_never_published(support_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.record(EventType.SUPPORT_REQUEST_CREATED, support_request)
                raise RuntimeError("the domain change fails")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Event.objects.exists()


def test_events_are_numbered_one_after_another_in_the_order_written(support_request):
    first = services.record(EventType.SUPPORT_REQUEST_CREATED, support_request)
    second = services.record(EventType.SUPPORT_REQUEST_STATE_CHANGED, support_request)
    published = services.publish_pending()
    assert published == [first.pk, second.pk]
    positions = list(Event.objects.order_by("id").values_list("position", flat=True))
    assert positions[1] == positions[0] + 1
    assert services.publish_pending() == []  # idempotent: nothing left to number


def test_receivers_hear_of_published_events_once(support_request):
    heard = []

    def receiver(sender, *, event_ids, **kwargs):
        heard.append(list(event_ids))

    events_published.connect(receiver, dispatch_uid="test-receiver")
    try:
        event = services.record(EventType.SUPPORT_REQUEST_CREATED, support_request)
        services.publish_pending()
        services.publish_pending()
    finally:
        events_published.disconnect(dispatch_uid="test-receiver")
    assert heard == [[event.pk]]


def test_an_unknown_event_type_is_refused(support_request):
    with pytest.raises(ValueError):
        services.record("deployment.exploded", support_request)


def test_the_periodic_task_numbers_events_whose_after_commit_step_never_ran(support_request):
    from changefeed.tasks import publish_pending

    services.record(EventType.SUPPORT_REQUEST_CREATED, support_request)  # the test never commits
    assert publish_pending.apply().get() == 1
    assert not Event.objects.filter(position__isnull=True).exists()


# --- commit order under concurrent writes (PostgreSQL) ------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reader_following_the_cursor_sees_every_event_once_under_concurrent_writes():
    """Two writers with overlapping transactions: the first inserts (lower id) and commits last.
    A reader polling all along, following the cursor, must see every event exactly once."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL on PostgreSQL (the postgres pass)"
    request = SupportRequestFactory(school=SchoolFactory())
    rounds, done = 15, threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def writer(first: bool) -> None:
        try:
            for _ in range(rounds):
                with transaction.atomic():
                    services.record(EventType.SUPPORT_REQUEST_STATE_CHANGED, request)
                    # The first writer holds its lower id uncommitted while the second commits.
                    time.sleep(0.02 if first else 0.005)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    def reader() -> None:
        since = 0
        try:
            while True:
                finished = done.is_set()
                rows = list(
                    Event.objects.filter(position__gt=since)
                    .order_by("position")
                    .values_list("position", "pk")
                )
                for position, pk in rows:
                    seen.append(pk)
                    since = position
                if finished and not rows:
                    return
                time.sleep(0.003)
        finally:
            connection.close()

    writers = [threading.Thread(target=writer, args=(first,)) for first in (True, False)]
    reading = threading.Thread(target=reader)
    reading.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=60)
    services.publish_pending()  # anything whose after-commit step raced the end of the test
    done.set()
    reading.join(timeout=60)
    assert not errors
    written = list(Event.objects.values_list("pk", flat=True))
    assert len(written) == 2 * rounds
    assert sorted(seen) == sorted(written)
    assert len(seen) == len(set(seen))
