"""Everything that writes schools data: imports of published files.

``start_import`` is the door for an uploaded file (the run happens in a Celery task);
``perform_import_run`` performs a recorded run (task and commands); ``import_file`` imports a
file and is what both use.
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .choices import ImportKind, ImportStatus
from .importers import IMPORTERS, ImportRefused, ImportReport
from .importers.base import CsvSource, ProgressCallback
from .models import ImportRun
from .signals import schools_imported

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT_SECONDS = 60 * 60 * 6


def progress_cache_key(run_id: int) -> str:
    return f"import-run-{run_id}-progress"


def start_import(*, kind: str, uploaded_file: File, user: Any) -> ImportRun:
    """Records an import of an uploaded file and queues it.

    Side effects, in order: the file is saved to default storage; an ImportRun is created
    (pending); after commit, the ``schools.run_import`` task is queued for it.
    """
    if kind not in ImportKind.values:
        choices = ", ".join(ImportKind.values)
        raise ImportRefused(f"“{kind}” is not a kind of import: choose one of {choices}.")
    original_filename = Path(uploaded_file.name or "upload.csv").name
    run = ImportRun(kind=kind, original_filename=original_filename[:255], started_by=user)
    run.file.save(original_filename, uploaded_file, save=False)
    run.save()

    from .tasks import run_import as run_import_task

    transaction.on_commit(lambda: run_import_task.delay(import_run_id=run.pk))
    return run


def import_file(
    kind: str,
    path_or_fileobj: str | Path | IO[bytes],
    *,
    run: ImportRun | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Imports one file in one transaction; a refused file leaves the database as it was.

    Returns the report (its ``refused`` says why a file was refused whole).
    """
    if kind not in IMPORTERS:
        return ImportReport(kind=kind, refused=f"“{kind}” is not a kind of import.")
    importer_class = IMPORTERS[kind]
    importer = importer_class(
        user=run.started_by if run else None,
        change_reason=f"Import #{run.pk}" if run else f"Import of {importer_class.description}",
        progress=progress,
    )
    try:
        with transaction.atomic():
            report = importer.run(CsvSource(path_or_fileobj))
    except ImportRefused as refusal:
        return ImportReport(kind=kind, refused=str(refusal))
    # Bulk writes send no model signals: tell listeners (e.g. eligibility) which schools changed.
    schools_imported.send(sender=importer_class, kind=kind, urns=importer.accepted_urns)
    return report


def perform_import_run(
    run: ImportRun, path_or_fileobj: str | Path | IO[bytes] | None = None
) -> ImportReport | None:
    """Performs a recorded import run, at most once.

    Side effects, in order: the run is claimed (pending, or running but abandoned by a worker
    that died) and marked running; rows read are published to the cache after every batch;
    the run is marked succeeded (with its counts and rejected rows) or failed (with the reason).
    Returns None when the run was not there to claim (finished, or another worker has it).
    """
    if not _claim(run):
        return None
    key = progress_cache_key(run.pk)
    try:
        if path_or_fileobj is None:
            with run.file.open("rb") as stored:
                report = import_file(run.kind, stored, run=run, progress=lambda n: _publish(key, n))
        else:
            report = import_file(run.kind, path_or_fileobj, run=run, progress=lambda n: _publish(key, n))
    except Exception as error:
        logger.exception("Import run %s stopped unexpectedly", run.pk)
        reason = f"The import stopped unexpectedly ({type(error).__name__}); nothing was written."
        report = ImportReport(kind=run.kind, refused=reason)
    _finish(run, report)
    cache.delete(key)
    return report


def import_progress(run: ImportRun) -> int:
    """Rows read so far: live from the cache while the run is in progress."""
    if run.status == ImportStatus.RUNNING:
        live = cache.get(progress_cache_key(run.pk))
        if live is not None:
            return int(live)
    return run.rows_read


def _publish(key: str, rows_read: int) -> None:
    cache.set(key, rows_read, timeout=PROGRESS_TIMEOUT_SECONDS)


def _claim(run: ImportRun) -> bool:
    now = timezone.now()
    # A run left "running" longer than a task may last belongs to a worker that died: the
    # import was one transaction, so nothing of it was kept and it is safe to run again.
    abandoned_before = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimed = ImportRun.objects.filter(
        Q(status=ImportStatus.PENDING) | Q(status=ImportStatus.RUNNING, started_at__lt=abandoned_before),
        pk=run.pk,
    ).update(status=ImportStatus.RUNNING, started_at=now)
    if claimed:
        run.status, run.started_at = ImportStatus.RUNNING, now
    return bool(claimed)


def _finish(run: ImportRun, report: ImportReport) -> None:
    run.status = ImportStatus.SUCCEEDED if report.succeeded else ImportStatus.FAILED
    run.finished_at = timezone.now()
    run.rows_read = report.rows_read
    run.created, run.updated, run.unchanged, run.rejected = (
        report.created, report.updated, report.unchanged, report.rejected,
    )
    run.message = report.summary()
    run.errors = [error.as_dict() for error in report.errors]
    run.save(update_fields=[
        "status", "finished_at", "rows_read", "created", "updated", "unchanged", "rejected", "message",
        "errors",
    ])
