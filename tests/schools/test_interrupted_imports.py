"""An import whose worker stopped is shown interrupted, can be run again, and is taken over cleanly
when its task is delivered again (the eager path; the real worker is killed in test_worker.py)."""

import datetime
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from config.settings import CELERY_BEAT_SCHEDULE
from schools import services
from schools.choices import ImportKind, ImportStatus
from schools.models import ImportRun, School
from schools.tasks import interrupt_stalled_imports, run_import

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = "edubase_sample_2018_header.csv"  # 4 schools


@pytest.fixture(autouse=True)
def _stale_after_ten_minutes(settings, eager_celery):
    settings.IMPORT_STALE_MINUTES = 10


def minutes_ago(minutes: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


def stored_run(**fields) -> ImportRun:
    run = ImportRun(kind=ImportKind.GIAS, original_filename=SAMPLE, **fields)
    run.file.save(SAMPLE, ContentFile((FIXTURES / "gias" / SAMPLE).read_bytes()), save=False)
    run.save()
    return run


def running(silent_for_minutes: float, **fields) -> ImportRun:
    at = minutes_ago(silent_for_minutes)
    return stored_run(status=ImportStatus.RUNNING, started_at=at, last_progress_at=at, attempts=1, **fields)


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_run_silent_for_longer_than_the_stale_interval_counts_as_interrupted():
    assert running(silent_for_minutes=11).is_interrupted
    assert not running(silent_for_minutes=9).is_interrupted


def test_the_heartbeat_not_the_start_decides_whether_a_run_is_stale():
    run = running(silent_for_minutes=2)
    ImportRun.objects.filter(pk=run.pk).update(started_at=minutes_ago(50))
    run.refresh_from_db()

    assert not run.is_interrupted


def test_the_page_and_its_progress_show_a_silent_run_interrupted_with_a_way_to_run_it_again(
    client, national_admin
):
    run = running(silent_for_minutes=11)
    signed_in(client, national_admin)

    page = client.get(reverse("schools:import-detail", kwargs={"pk": run.pk})).content.decode()
    progress = client.get(reverse("schools:import-progress", kwargs={"pk": run.pk})).json()
    listing = client.get(reverse("schools:import-list")).content.decode()

    assert "Interrupted" in page
    assert "Run this import again" in page
    assert "import-progress.js" not in page
    assert (progress["status"], progress["status_label"], progress["is_interrupted"]) == (
        "interrupted", "Interrupted", True,
    )
    assert "govuk-tag--orange" in listing


def test_the_periodic_task_marks_only_silent_runs_interrupted():
    silent = running(silent_for_minutes=11)
    alive = running(silent_for_minutes=1)

    assert interrupt_stalled_imports.apply().get() == 1

    silent.refresh_from_db()
    alive.refresh_from_db()
    assert silent.status == ImportStatus.INTERRUPTED
    assert "stopped before it finished" in silent.message
    assert alive.status == ImportStatus.RUNNING


def test_the_periodic_task_is_scheduled_every_few_minutes():
    entry = CELERY_BEAT_SCHEDULE["schools-interrupt-stalled-imports"]

    assert entry["task"] == "schools.interrupt_stalled_imports"
    assert entry["schedule"].minute == set(range(0, 60, 5))


def test_the_next_run_marks_silent_runs_interrupted(national_admin):
    silent = running(silent_for_minutes=11)
    services.perform_import_run(stored_run())

    silent.refresh_from_db()
    assert silent.status == ImportStatus.INTERRUPTED


def test_a_task_delivered_again_takes_over_a_silent_run_and_imports_every_row_once():
    run = running(silent_for_minutes=11, rows_read=2)

    run_import.delay(import_run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.attempts, run.rows_read, run.created) == (ImportStatus.SUCCEEDED, 2, 4, 4)
    assert School.objects.count() == 4


def test_a_task_delivered_again_restarts_an_interrupted_run():
    run = running(silent_for_minutes=11)
    services.interrupt_stalled_runs()

    run_import.delay(import_run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 4)
    assert run.message.startswith("4 rows read")


def test_a_task_delivered_again_leaves_an_interrupted_run_alone_once_a_later_file_was_uploaded():
    run = running(silent_for_minutes=11)
    services.interrupt_stalled_runs()
    ImportRun.objects.create(kind=ImportKind.GIAS, status=ImportStatus.SUCCEEDED)

    run_import.delay(import_run_id=run.pk)

    run.refresh_from_db()
    assert run.status == ImportStatus.INTERRUPTED
    assert School.objects.count() == 0


def test_a_task_delivered_while_its_run_still_reports_progress_looks_again_later():
    run = running(silent_for_minutes=1)

    # Called directly, as a worker would with a real broker (not eagerly).
    with pytest.raises(Retry):
        run_import(import_run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.attempts) == (ImportStatus.RUNNING, 1)
    assert School.objects.count() == 0


def test_a_finished_run_is_never_run_again_when_its_task_is_delivered_again():
    run = stored_run()
    run_import.delay(import_run_id=run.pk)
    School.objects.all().delete()

    run_import(import_run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.attempts) == (ImportStatus.SUCCEEDED, 1)
    assert School.objects.count() == 0


def test_an_interrupted_run_can_be_run_again_from_its_page(
    client, national_admin, django_capture_on_commit_callbacks
):
    run = running(silent_for_minutes=11)
    signed_in(client, national_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:import-run-again", kwargs={"pk": run.pk}), follow=True)

    run.refresh_from_db()
    assert (run.status, run.attempts, run.created) == (ImportStatus.SUCCEEDED, 2, 4)
    assert "The import will run again from its first row." in response.content.decode()


def test_a_run_still_reporting_progress_cannot_be_run_again(client, national_admin):
    run = running(silent_for_minutes=1)
    signed_in(client, national_admin)

    response = client.post(reverse("schools:import-run-again", kwargs={"pk": run.pk}), follow=True)

    run.refresh_from_db()
    assert (run.status, run.attempts) == (ImportStatus.RUNNING, 1)
    assert "This import is not interrupted, so it cannot be run again." in response.content.decode()


def test_an_interrupted_run_a_later_file_superseded_is_not_run_again(client, national_admin):
    run = running(silent_for_minutes=11)
    ImportRun.objects.create(kind=ImportKind.GIAS, status=ImportStatus.SUCCEEDED)
    signed_in(client, national_admin)

    response = client.post(reverse("schools:import-run-again", kwargs={"pk": run.pk}), follow=True)

    run.refresh_from_db()
    assert run.status == ImportStatus.RUNNING
    assert "A later file of this kind has been imported since" in response.content.decode()


def test_only_people_who_import_may_run_an_import_again(client, la_officer):
    run = running(silent_for_minutes=11)

    response = signed_in(client, la_officer).post(reverse("schools:import-run-again", kwargs={"pk": run.pk}))

    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == ImportStatus.RUNNING


def test_an_attempt_that_was_taken_over_does_not_record_its_report():
    run = stored_run()
    assert services.claim_import_run(run)
    ImportRun.objects.filter(pk=run.pk).update(attempts=run.attempts + 1)

    services._finish(run, services.ImportReport(kind=run.kind, refused="Late attempt."))

    run.refresh_from_db()
    assert (run.status, run.message) == (ImportStatus.RUNNING, "")
