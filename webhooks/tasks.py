"""Webhook work in the background (fan-out and first attempt on publish; retries every minute)."""

from celery import shared_task

from . import services


@shared_task(name="webhooks.fan_out", acks_late=True)
def fan_out(*, event_ids: list[int]) -> int:
    """Creates the deliveries of newly published events and makes each one's first attempt."""
    delivery_ids = services.create_deliveries(event_ids)
    for delivery_id in delivery_ids:
        deliver.delay(delivery_id=delivery_id)
    return len(delivery_ids)


@shared_task(name="webhooks.deliver", acks_late=True)
def deliver(*, delivery_id: int) -> str | None:
    """One attempt at one delivery, if it is still due (a gone or finished delivery is skipped)."""
    return services.attempt(delivery_id)


@shared_task(name="webhooks.send_due_deliveries", acks_late=True)
def send_due_deliveries() -> int:
    """Attempts every delivery whose next attempt is due (the retries, and any first attempt lost)."""
    attempted = 0
    for delivery_id in services.due_deliveries():
        if services.attempt(delivery_id) is not None:
            attempted += 1
    return attempted
