"""Everything that writes schools data: imports of published files.

``start_import`` is the door for an uploaded file (the run happens in a Celery task);
``perform_import_run`` performs a recorded run (task and commands); ``import_file`` imports a
file and is what both use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.core.cache import cache
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
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
    """Performs a recorded import run, from its first row, if it is there to claim.

    Side effects, in order: runs that stopped reporting progress are marked interrupted; the run
    is claimed (see ``claim_import_run``) and marked running; after every batch the rows read and
    the time are recorded (the heartbeat); the run is marked succeeded (with its counts and
    rejected rows) or failed (with the reason). Returns None when the run was not there to claim.

    An attempt that is taken over is harmless: the file is imported in one transaction, so an
    attempt whose worker died kept nothing, and importing is an upsert by the file's keys, so an
    attempt that was only slow wrote the same rows; only the attempt that claimed the run last
    records its report.
    """
    interrupt_stalled_runs()
    if not claim_import_run(run):
        return None
    key = progress_cache_key(run.pk)
    with _heartbeat(run) as beat:

        def progress(rows_read: int) -> None:
            _publish(key, rows_read)
            beat(rows_read)

        try:
            if path_or_fileobj is None:
                with run.file.open("rb") as stored:
                    report = import_file(run.kind, stored, run=run, progress=progress)
            else:
                report = import_file(run.kind, path_or_fileobj, run=run, progress=progress)
        except Exception as error:
            logger.exception("Import run %s stopped unexpectedly", run.pk)
            reason = f"The import stopped unexpectedly ({type(error).__name__}); nothing was written."
            report = ImportReport(kind=run.kind, refused=reason)
    _finish(run, report)
    cache.delete(key)
    return report


def claim_import_run(run: ImportRun) -> bool:
    """Marks the run running for a new attempt, if it may start; False if it may not.

    A run may start when it is waiting; when it is running but stopped reporting progress for
    longer than ``IMPORT_STALE_MINUTES`` (its worker died: the task was delivered again); or when
    it was interrupted and no later import of the same kind has been uploaded since (a delivered
    again task must not put older data over newer). A finished run never runs again.
    """
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().filter(pk=run.pk).first()
        if locked is None or not _may_start(locked):
            return False
        locked.status = ImportStatus.RUNNING
        locked.started_at = locked.last_progress_at = timezone.now()
        locked.attempts += 1
        locked.save(update_fields=["status", "started_at", "last_progress_at", "attempts"])
    run.status, run.started_at, run.last_progress_at, run.attempts = (
        locked.status, locked.started_at, locked.last_progress_at, locked.attempts,
    )
    return True


def _may_start(run: ImportRun) -> bool:
    if run.status == ImportStatus.PENDING:
        return True
    if run.status == ImportStatus.RUNNING:
        return run.stopped_reporting
    if run.status == ImportStatus.INTERRUPTED:
        return not ImportRun.objects.filter(kind=run.kind, pk__gt=run.pk).exists()
    return False


INTERRUPTED_MESSAGE = (
    "The import stopped before it finished: its worker stopped reporting progress. Nothing of it "
    "was kept."
)


def interrupt_stalled_runs() -> int:
    """Marks running imports that stopped reporting progress as interrupted; returns how many.

    Each run is re-checked under its row lock, so a run that reported progress meanwhile is left
    running. An interrupted run can be run again (``run_import_again``).
    """
    interrupted = 0
    for run_id in ImportRun.objects.filter(status=ImportStatus.RUNNING).values_list("pk", flat=True):
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
            if run is None or not run.stopped_reporting:
                continue
            run.status = ImportStatus.INTERRUPTED
            run.message = INTERRUPTED_MESSAGE
            run.save(update_fields=["status", "message"])
        cache.delete(progress_cache_key(run_id))
        logger.warning("Import run %s stopped reporting progress: marked interrupted", run_id)
        interrupted += 1
    return interrupted


def run_import_again(run: ImportRun) -> ImportRun:
    """Queues an interrupted run again, from its first row, with the file it was given.

    Side effects, in order: the run is marked waiting to start (under its row lock); after
    commit, the ``schools.run_import`` task is queued for it. Refuses (ImportRefused) a run that
    is not interrupted, and one a later import of the same kind has superseded.
    """
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().filter(pk=run.pk).first()
        if locked is None or not locked.is_interrupted:
            raise ImportRefused("This import is not interrupted, so it cannot be run again.")
        if not locked.file:
            raise ImportRefused("This import was run from the command line: run the command again.")
        if ImportRun.objects.filter(kind=locked.kind, pk__gt=locked.pk).exists():
            raise ImportRefused(
                "A later file of this kind has been imported since: upload this file again if it should "
                "replace that one."
            )
        locked.status = ImportStatus.PENDING
        locked.message = ""
        locked.save(update_fields=["status", "message"])

        from .tasks import run_import as run_import_task

        transaction.on_commit(lambda: run_import_task.delay(import_run_id=locked.pk))
    return locked


def import_progress(run: ImportRun) -> int:
    """Rows read so far: live from the cache while the run is in progress."""
    if run.status == ImportStatus.RUNNING:
        live = cache.get(progress_cache_key(run.pk))
        if live is not None:
            return int(live)
    return run.rows_read


def _publish(key: str, rows_read: int) -> None:
    cache.set(key, rows_read, timeout=PROGRESS_TIMEOUT_SECONDS)


@contextmanager
def _heartbeat(run: ImportRun) -> Iterator[Callable[[int], None]]:
    """Records the rows read and the time on the run as the import goes.

    The import writes in one transaction, which other processes cannot see into, so the heartbeat
    goes over a connection of its own that commits each update. SQLite allows one writer at a time,
    so there (the single-process development default) the run reports progress only at its start
    and end.
    """
    if connection.vendor == "sqlite":
        yield lambda rows_read: None
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    table = own.ops.quote_name(ImportRun._meta.db_table)
    sql = (
        f"UPDATE {table} SET last_progress_at = %s, rows_read = %s, status = %s "  # noqa: S608 - names only
        "WHERE id = %s AND attempts = %s AND status IN (%s, %s)"
    )

    def beat(rows_read: int) -> None:
        # A run marked interrupted while it was only slow is running again once it reports.
        with own.cursor() as cursor:
            cursor.execute(sql, [
                timezone.now(), rows_read, ImportStatus.RUNNING, run.pk, run.attempts,
                ImportStatus.RUNNING, ImportStatus.INTERRUPTED,
            ])

    try:
        yield beat
    finally:
        own.close()


def _finish(run: ImportRun, report: ImportReport) -> None:
    run.status = ImportStatus.SUCCEEDED if report.succeeded else ImportStatus.FAILED
    run.finished_at = run.last_progress_at = timezone.now()
    run.rows_read = report.rows_read
    run.created, run.updated, run.unchanged, run.rejected = (
        report.created, report.updated, report.unchanged, report.rejected,
    )
    run.message = report.summary()
    run.errors = [error.as_dict() for error in report.errors]
    fields = [
        "status", "finished_at", "last_progress_at", "rows_read", "created", "updated", "unchanged",
        "rejected", "message", "errors",
    ]
    # Only the attempt that claimed the run last records its report.
    recorded = ImportRun.objects.filter(pk=run.pk, attempts=run.attempts).update(
        **{field: getattr(run, field) for field in fields}
    )
    if not recorded:
        logger.warning("Import run %s was taken over by a later attempt: its report is dropped", run.pk)
