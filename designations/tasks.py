"""Daily background work for designations (scheduled by CELERY_BEAT_SCHEDULE in the settings)."""

import datetime

from celery import shared_task

from . import jobs


def _day(today: str | None) -> datetime.date | None:
    # Task arguments travel as JSON, so a day is an ISO date string.
    return datetime.date.fromisoformat(today) if today else None


@shared_task(name="designations.check_designations", acks_late=True)
def check_designations(*, today: str | None = None) -> dict[str, int]:
    """Opens de-designation cases the facts call for; safe to run again. Returns counts."""
    return jobs.check_designations(_day(today))


@shared_task(name="designations.send_review_reminders", acks_late=True)
def send_review_reminders(*, today: str | None = None) -> dict[str, int]:
    """Emails designating bodies about reviews due soon or overdue, once each. Returns counts."""
    return jobs.send_review_reminders(_day(today))
