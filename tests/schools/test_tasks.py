"""The import task, on the eager path (the embedded default)."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from config.celery import app as celery_app
from schools.choices import ImportKind, ImportStatus
from schools.models import ImportRun, School
from schools.tasks import run_import

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def stored_run(filename: str, **fields) -> ImportRun:
    run = ImportRun(kind=ImportKind.GIAS, original_filename=filename, **fields)
    run.file.save(filename, ContentFile((FIXTURES / "gias" / filename).read_bytes()), save=False)
    run.save()
    return run


def test_the_task_finishes_the_run_with_its_report():
    run = stored_run("edubase_sample_2018_header.csv")

    run_import.delay(import_run_id=run.pk)

    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.created, run.updated, run.unchanged, run.rejected) == (4, 4, 0, 0, 0)
    assert run.message == "4 rows read: 4 created, 0 updated, 0 unchanged, 0 rejected."
    assert School.objects.count() == 4


def test_the_task_tolerates_a_run_that_is_gone():
    run = stored_run("edubase_sample_2018_header.csv")
    run_id = run.pk
    run.delete()

    run_import.delay(import_run_id=run_id)

    assert School.objects.count() == 0


def test_the_task_does_not_run_a_finished_run_again():
    run = stored_run("edubase_sample_2018_header.csv")
    run_import.delay(import_run_id=run.pk)
    School.objects.all().delete()

    run_import.delay(import_run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 4)
    assert School.objects.count() == 0


def test_the_task_leaves_a_run_another_worker_is_performing_alone():
    run = stored_run("edubase_sample_2018_header.csv", status=ImportStatus.RUNNING, started_at=timezone.now())

    run_import.delay(import_run_id=run.pk)

    run.refresh_from_db()
    assert run.status == ImportStatus.RUNNING
    assert School.objects.count() == 0


def test_the_task_takes_over_a_run_whose_worker_died(settings):
    abandoned_at = timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    run = stored_run("edubase_sample_2018_header.csv", status=ImportStatus.RUNNING, started_at=abandoned_at)

    run_import.delay(import_run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 4)


def test_the_task_is_registered_under_its_explicit_name():
    assert run_import.name == "schools.run_import"
    assert celery_app.tasks["schools.run_import"].acks_late is True
