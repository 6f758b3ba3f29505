"""A real Celery worker performs an import queued by start_import.

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

from config.celery import app as celery_app
from schools import tasks
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


@pytest.fixture
def worker(broker_url, tmp_path, monkeypatch):
    queue = f"test-import-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks, "run_import", _QueueOnly(tasks.run_import, queue))
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info",
                "--concurrency", "1", "--pool", "solo", "--pidfile", str(tmp_path / "worker.pid"),
                "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle",
            ],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        yield log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_until_finished(run: ImportRun, log_path: Path) -> ImportRun:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            return run
        time.sleep(0.5)
    pytest.fail(f"The import run was still {run.status} after {WAIT_SECONDS} s. Worker log:\n"
                + log_path.read_text(errors="replace")[-4000:])


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
