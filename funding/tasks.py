"""Background work for funding (scheduled by CELERY_BEAT_SCHEDULE in the settings): the daily
claims jobs and the yearly bursaries."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import jobs
from .services import bursaries


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


@shared_task(name="funding.schedule_bursaries", acks_late=True)
def schedule_bursaries(*, year: int | None = None) -> dict[str, int]:
    """Schedules the financial year's NSS bursaries and NLG grants (the year containing today by
    default): one per designation, so a re-run or a run after a crash makes none twice."""
    if year is None:
        year = bursaries.financial_year_of(timezone.localdate())
    return bursaries.schedule_bursaries(year).counts()
