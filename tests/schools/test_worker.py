"""A real Celery worker performs an import queued by start_import, and one killed mid-import loses
nothing: the run is shown interrupted and the task is delivered again to the next worker.

Runs in the PostgreSQL and Redis pass of CI only: the worker is a separate process, so it needs a
database server it can share with this test and a real broker.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from config.celery import app as celery_app
from schools import services, tasks
from schools.choices import ImportKind, ImportStatus
from schools.models import ImportRun, School
from schools.services import start_import

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WAIT_SECONDS = 60


def worker_database_url() -> str:
    database = settings.DATABASES["default"]
    assert database["ENGINE"].endswith("postgresql"), "the worker test needs DATABASE_URL to be PostgreSQL"
    assert database["NAME"] == connection.settings_dict["NAME"], "expected the test database"
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{quote(database['NAME'], safe='')}"


class _QueueOnly:
    """The task, sent to this test's own queue so no other worker takes it."""

    def __init__(self, task, queue: str):
        self.task = task
        self.queue = queue

    def delay(self, **kwargs):
        return self.task.apply_async(kwargs=kwargs, queue=self.queue)


@pytest.fixture
def broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        pytest.fail("CELERY_BROKER_URL is not set: the worker test needs a Redis broker, e.g. redis://127.0.0.1:6379/5")
    return url


def start_worker(queue: str, log_path: Path, *, app: str = "config", **environment: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **environment,
    }
    with open(log_path, "wb") as log:
        return subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [
                sys.executable, "-m", "celery", "-A", app, "worker", "-l", "info",
                "--concurrency", "1", "--pool", "solo",
                "-Q", queue, "-n", f"{queue}-{log_path.stem}@%h", "--without-gossip", "--without-mingle",
            ],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def queue(monkeypatch) -> str:
    """A queue of this test's own, which the tasks queued by start_import are sent to."""
    name = f"test-import-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks, "run_import", _QueueOnly(tasks.run_import, name))
    return name


@pytest.fixture
def worker(broker_url, queue, tmp_path):
    log_path = tmp_path / "worker.log"
    process = start_worker(queue, log_path, CELERY_BROKER_URL=broker_url)
    try:
        yield log_path
    finally:
        stop(process)


def wait_for(run: ImportRun, condition, what: str, *log_paths: Path) -> ImportRun:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if condition(run):
            return run
        time.sleep(0.2)
    logs = "\n".join(f"{path.name}:\n" + path.read_text(errors="replace")[-3000:] for path in log_paths)
    pytest.fail(f"The import run was not {what} after {WAIT_SECONDS} s (it is {run.status}). Logs:\n{logs}")


def wait_until_finished(run: ImportRun, *log_paths: Path) -> ImportRun:
    return wait_for(run, lambda run: run.is_finished, "finished", *log_paths)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_performs_an_uploaded_import(worker, national_admin):
    sample = FIXTURES / "gias" / "edubase_sample_cp1252.csv"
    upload = SimpleUploadedFile(sample.name, sample.read_bytes(), content_type="text/csv")

    run = start_import(kind=ImportKind.GIAS, uploaded_file=upload, user=national_admin)

    run = wait_until_finished(run, worker)
    assert run.status == ImportStatus.SUCCEEDED, run.message
    assert (run.rows_read, run.created, run.updated, run.unchanged, run.rejected) == (4, 4, 0, 0, 0)
    assert School.objects.get(urn=126416).name == "St Thomas à Becket Church of England Aided Primary School"


STALE_SECONDS = 3
ROWS = 400


def first_rows_of_a_published_file(rows: int) -> bytes:
    """The header and the first rows of GIAS's children's centres sample (one line per row)."""
    published = (FIXTURES / "gias" / "childrens_centres_reduced_columns.csv").read_bytes()
    return b"".join(published.splitlines(keepends=True)[: rows + 1])


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_is_killed_is_shown_interrupted_and_finished_by_the_next_worker(
    broker_url, queue, tmp_path, settings, client, national_admin
):
    settings.IMPORT_STALE_MINUTES = STALE_SECONDS / 60
    slow = {
        "CELERY_BROKER_URL": broker_url,
        "IMPORT_STALE_MINUTES": str(STALE_SECONDS / 60),
        "TEST_VISIBILITY_TIMEOUT": "3",
        "TEST_IMPORT_BATCH_SIZE": "25",
        "TEST_IMPORT_PAUSE_SECONDS": "0.25",
    }
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_worker(queue, first_log, app="tests.schools.slow_worker", **slow)
    try:
        upload = SimpleUploadedFile("centres.csv", first_rows_of_a_published_file(ROWS), "text/csv")
        run = start_import(kind=ImportKind.GIAS, uploaded_file=upload, user=national_admin)

        # The worker reports progress as it goes (its heartbeat), then dies without a word.
        run = wait_for(run, lambda run: run.rows_read >= 75, "reporting progress", first_log)
        assert run.status == ImportStatus.RUNNING
        assert run.last_progress_at > run.started_at
        first.kill()
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            stop(first)
    assert School.objects.count() == 0, "the import is one transaction: a dead worker keeps nothing"

    # Silent for longer than the stale interval, it is shown interrupted, then marked so.
    run = wait_for(run, lambda run: run.is_interrupted, "shown interrupted", first_log)
    client.force_login(national_admin)
    page = client.get(reverse("schools:import-detail", kwargs={"pk": run.pk})).content.decode()
    assert "Interrupted" in page
    assert "Run this import again" in page
    assert services.interrupt_stalled_runs() == 1

    # The next worker is given the lost task again and imports the whole file, once.
    second = start_worker(queue, second_log, app="tests.schools.slow_worker", **slow)
    try:
        run = wait_until_finished(run, first_log, second_log)
    finally:
        stop(second)
    assert run.status == ImportStatus.SUCCEEDED, run.message
    assert run.attempts == 2
    assert (run.rows_read, run.created, run.updated, run.rejected) == (ROWS, ROWS, 0, 0)
    assert School.objects.count() == ROWS
