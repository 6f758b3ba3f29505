"""Background work for schools data."""

import logging

from celery import shared_task

from . import services
from .models import ImportRun

logger = logging.getLogger(__name__)


@shared_task(name="schools.run_import", acks_late=True)
def run_import(*, import_run_id: int) -> None:
    """Runs a queued import; a run that is gone or already finished is left alone."""
    run = ImportRun.objects.select_related("started_by").filter(pk=import_run_id).first()
    if run is None:
        logger.info("Import run %s no longer exists: nothing to do", import_run_id)
        return
    if services.perform_import_run(run) is None:
        logger.info("Import run %s was already %s: not run again", import_run_id, run.get_status_display())
