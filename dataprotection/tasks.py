"""Background work for people's data: large copies, and the daily retention run."""

import logging

from celery import shared_task

from . import services
from .retention import apply_retention

logger = logging.getLogger(__name__)


@shared_task(name="dataprotection.build_export", acks_late=True)
def build_export(*, data_request_id: int) -> None:
    """Builds a copy that was too large to build while its requester waited; a request that is gone
    or already built is left alone, so a redelivery does nothing."""
    services.build_prepared_export(data_request_id)


@shared_task(name="dataprotection.apply_retention", acks_late=True)
def apply_retention_daily() -> dict:
    """Removes what is past its retention period (daily); a re-run finds nothing more to do."""
    run = apply_retention(dry_run=False)
    logger.info("Retention run %s: %s", run.pk, {k: v["count"] for k, v in run.report.items()})
    return run.report
