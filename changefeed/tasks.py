from celery import shared_task

from . import services


@shared_task(name="changefeed.publish_pending", acks_late=True)
def publish_pending() -> int:
    """Numbers events whose after-commit step never ran (the process stopped in between)."""
    return len(services.publish_pending())
