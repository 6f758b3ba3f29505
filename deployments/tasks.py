"""Daily background work for deployments (scheduled by CELERY_BEAT_SCHEDULE in the settings)."""

import datetime

from celery import shared_task

from . import jobs


def _day(today: str | None) -> datetime.date | None:
    # Task arguments travel as JSON, so a day is an ISO date string.
    return datetime.date.fromisoformat(today) if today else None


@shared_task(name="deployments.send_deployment_review_reminders", acks_late=True)
def send_deployment_review_reminders(*, today: str | None = None) -> dict[str, int]:
    """Emails brokers about progress reviews due in 14 days, due today or overdue, once each."""
    return jobs.send_deployment_review_reminders(_day(today))


@shared_task(name="deployments.flag_stalled_deployments", acks_late=True)
def flag_stalled_deployments(*, today: str | None = None) -> dict[str, int]:
    """Tells brokers and commissioners about active deployments with no time logged for 4 school weeks."""
    return jobs.flag_stalled_deployments(_day(today))


@shared_task(name="deployments.close_ended_deployments", acks_late=True)
def close_ended_deployments(*, today: str | None = None) -> dict[str, int]:
    """Starts agreed deployments on their start date; closes those past their end date."""
    return jobs.close_ended_deployments(_day(today))


@shared_task(name="deployments.flag_undeployed_sles", acks_late=True)
def flag_undeployed_sles(*, today: str | None = None) -> dict[str, int]:
    """Tells teaching schools about SLEs not deployed within three months of designation, once."""
    return jobs.flag_undeployed_sles(_day(today))
