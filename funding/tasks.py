"""Background work for funding (scheduled by CELERY_BEAT_SCHEDULE in the settings)."""

from celery import shared_task
from django.utils import timezone

from .services import bursaries


@shared_task(name="funding.schedule_bursaries", acks_late=True)
def schedule_bursaries(*, year: int | None = None) -> dict[str, int]:
    """Schedules the financial year's NSS bursaries and NLG grants (the year containing today by
    default): one per designation, so a re-run or a run after a crash makes none twice."""
    if year is None:
        year = bursaries.financial_year_of(timezone.localdate())
    return bursaries.schedule_bursaries(year).counts()
