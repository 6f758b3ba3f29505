"""Import services: queueing an uploaded file, performing a recorded run, progress."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from schools import services
from schools.choices import ImportKind, ImportStatus
from schools.importers import ImportRefused
from schools.importers.gias import GiasImporter
from schools.models import ImportRun, School
from schools.services import (
    import_progress,
    perform_import_run,
    progress_cache_key,
    start_import,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_start_import_stores_the_file_and_runs_it_after_commit(national_admin, on_commit, eager_celery):
    with on_commit(execute=True) as callbacks:
        run = start_import(
            kind=ImportKind.GIAS, uploaded_file=upload(FIXTURES / "gias" / "edubase_sample_cp1252.csv"),
            user=national_admin,
        )
        assert run.status == ImportStatus.PENDING

    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.created, run.rejected) == (4, 4, 0)
    assert run.original_filename == "edubase_sample_cp1252.csv"
    assert run.file.name.startswith("imports/")
    assert run.started_by == national_admin
    assert School.history.filter(history_user=national_admin).count() == 4


def test_start_import_of_a_wrong_file_ends_refused_with_the_reason(
    national_admin, on_commit, eager_celery
):
    with on_commit(execute=True):
        run = start_import(
            kind=ImportKind.OFSTED, uploaded_file=upload(FIXTURES / "crafted" / "not_a_csv.png"),
            user=national_admin,
        )

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run.message == "File refused: The file is not a CSV text file (it starts with binary data)."


def test_start_import_refuses_an_unknown_kind(national_admin):
    with pytest.raises(ImportRefused, match="is not a kind of import"):
        start_import(
            kind="pupils", uploaded_file=upload(FIXTURES / "crafted" / "empty.csv"), user=national_admin
        )
    assert not ImportRun.objects.exists()


def test_a_run_records_counts_and_rejected_rows():
    run = ImportRun.objects.create(kind=ImportKind.GIAS)

    report = perform_import_run(run, FIXTURES / "crafted" / "gias_bad_rows.csv")

    run.refresh_from_db()
    assert report.rejected == run.rejected == 7
    assert (run.status, run.created, run.rows_read) == (ImportStatus.SUCCEEDED, 2, 9)
    assert run.errors[0] == {"row": 3, "reason": "URN is missing."}
    assert run.message == "9 rows read: 2 created, 0 updated, 0 unchanged, 7 rejected."
    assert run.started_at and run.finished_at


def test_stored_errors_are_capped_but_every_rejected_row_is_counted(tmp_path):
    rows = ["URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name),PhaseOfEducation (name)"]
    rows += [f"{n},926,Norfolk,School {n},Open,Kindergarten" for n in range(1, 1006)]
    many_bad = tmp_path / "many-bad.csv"
    many_bad.write_text("\n".join(rows))
    run = ImportRun.objects.create(kind=ImportKind.GIAS)

    perform_import_run(run, many_bad)

    run.refresh_from_db()
    assert run.rejected == 1005
    assert len(run.errors) == 1000


def test_a_run_that_crashes_is_failed_and_leaves_nothing_written(monkeypatch):
    def crash(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(GiasImporter, "finish", crash)
    run = ImportRun.objects.create(kind=ImportKind.GIAS)

    perform_import_run(run, FIXTURES / "gias" / "edubase_sample_2018_header.csv")

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "stopped unexpectedly (RuntimeError)" in run.message
    assert School.objects.count() == 0


def test_a_finished_run_is_not_performed_again():
    run = ImportRun.objects.create(kind=ImportKind.GIAS, status=ImportStatus.SUCCEEDED, created=4)

    assert perform_import_run(run, FIXTURES / "gias" / "edubase_sample_2018_header.csv") is None

    assert School.objects.count() == 0


def test_progress_is_published_after_every_batch_and_read_while_running(monkeypatch, tmp_path):
    monkeypatch.setattr("schools.importers.base.BATCH_SIZE", 1000)
    seen = []
    original_publish = services._publish

    def spy(key, rows_read):
        original_publish(key, rows_read)
        seen.append(import_progress(ImportRun.objects.get(pk=run.pk)))

    monkeypatch.setattr("schools.services._publish", spy)
    run = ImportRun.objects.create(kind=ImportKind.GIAS)

    perform_import_run(run, FIXTURES / "gias" / "childrens_centres_reduced_columns.csv")

    assert seen == [1000, 2000, 2992]
    run.refresh_from_db()
    assert import_progress(run) == 2992
    assert cache.get(progress_cache_key(run.pk)) is None


def test_progress_falls_back_to_the_recorded_rows_when_nothing_is_cached():
    run = ImportRun.objects.create(kind=ImportKind.GIAS, status=ImportStatus.RUNNING, rows_read=12)

    assert import_progress(run) == 12
    cache.set(progress_cache_key(run.pk), 500)
    assert import_progress(run) == 500
    cache.delete(progress_cache_key(run.pk))
