"""Daily background work for claims (scheduled by CELERY_BEAT_SCHEDULE in the settings)."""

import datetime

from celery import shared_task

from . import jobs


def _day(today: str | None) -> datetime.date | None:
    # Task arguments travel as JSON, so a day is an ISO date string.
    return datetime.date.fromisoformat(today) if today else None


@shared_task(name="funding.remind_unclaimed_days", acks_late=True)
def remind_unclaimed_days(*, today: str | None = None) -> dict[str, int]:
    """Tells claiming schools of days still unclaimed 60 days after the month they were worked in."""
    return jobs.remind_unclaimed_days(_day(today))


@shared_task(name="funding.flag_overdue_claims", acks_late=True)
def flag_overdue_claims(*, today: str | None = None) -> dict[str, int]:
    """Tells commissioners of claims not decided for 30 days, once per claim and submission."""
    return jobs.flag_overdue_claims(_day(today))
