"""Background work for schools data.

Tasks are acknowledged when they finish (``CELERY_TASK_ACKS_LATE``), so one whose worker died is
delivered again; each is safe to run twice.
"""

import logging

from celery import shared_task

from . import services
from .choices import ImportStatus
from .models import ImportRun, stale_interval

logger = logging.getLogger(__name__)


@shared_task(name="schools.run_import", bind=True, acks_late=True, max_retries=None)
def run_import(self, *, import_run_id: int) -> None:
    """Runs a queued import; a run that is gone or already finished is left alone.

    A run delivered again after its worker died is still "running" until it has been silent for
    ``IMPORT_STALE_MINUTES``: the task waits that long and tries again, then takes the run over and
    imports its file from the first row (the dead attempt kept nothing).
    """
    run = ImportRun.objects.select_related("started_by").filter(pk=import_run_id).first()
    if run is None:
        logger.info("Import run %s no longer exists: nothing to do", import_run_id)
        return
    if services.perform_import_run(run) is not None:
        return
    run.refresh_from_db()
    if run.status == ImportStatus.RUNNING and not self.request.is_eager:
        # Another worker is performing it, or was until it died: look again once it would be stale.
        # Not when eager: there is no other worker to wait for.
        logger.info("Import run %s is running elsewhere: looking again later", import_run_id)
        raise self.retry(countdown=stale_interval().total_seconds() + 5)
    logger.info("Import run %s was %s: not run again", import_run_id, run.get_status_display())


@shared_task(name="schools.interrupt_stalled_imports", acks_late=True)
def interrupt_stalled_imports() -> int:
    """Marks running imports that stopped reporting progress as interrupted (every few minutes)."""
    return services.interrupt_stalled_runs()
