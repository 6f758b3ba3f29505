import logging

logger = logging.getLogger(__name__)


def deliver_published_events(sender, *, event_ids: list[int], **kwargs) -> None:
    """Hands newly published events to the fan-out task; never raises (the events are published,
    and the periodic task sends any delivery left due)."""
    from .tasks import fan_out

    try:
        fan_out.delay(event_ids=list(event_ids))
    except Exception:
        logger.exception("Queueing webhook deliveries for %d events failed.", len(event_ids))
