"""Clearing old form tokens (scheduled by CELERY_BEAT_SCHEDULE in the settings)."""

from celery import shared_task

from . import services


@shared_task(name="submissions.clear_old_submissions", acks_late=True)
def clear_old_submissions() -> dict[str, int]:
    """Deletes form tokens claimed more than two days ago."""
    return {"deleted": services.clear_old_submissions()}
