"""The daily jobs over the benchmark's data, and the GIAS import into a scratch database."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
MEASURE = Path(__file__).resolve().parent / "measure.py"
# The daily jobs the README lists (each also scheduled by Celery beat), in the order of the day.
DAILY_JOBS = (
    "check_designations",
    "clear_old_submissions",
    "send_deployment_review_reminders",
    "flag_stalled_deployments",
    "close_ended_deployments",
    "send_review_reminders",
    "flag_undeployed_sles",
    "remind_unclaimed_days",
    "flag_overdue_claims",
)


@dataclass
class JobResult:
    name: str
    seconds: float
    queries: int
    error: str = ""


@dataclass
class ImportResult:
    name: str
    rows: int
    seconds: float
    peak_memory_mb: float
    summary: str
    error: str = ""


class QueryCounter:
    """Counts every query the default connection runs (unlike CaptureQueriesContext, which keeps
    at most 9,000 of them)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def counting_queries() -> Iterator[QueryCounter]:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def run_job(name: str) -> JobResult:
    output = io.StringIO()
    with counting_queries() as counter:
        started = time.perf_counter()
        try:
            call_command(name, stdout=output, stderr=output)
        except Exception as error:  # noqa: BLE001 - reported, and the run exits non-zero
            return JobResult(name, round(time.perf_counter() - started, 2), counter.count,
                             f"{type(error).__name__}: {error}")
        seconds = time.perf_counter() - started
    return JobResult(name, round(seconds, 2), counter.count)


def run_daily_jobs(names: tuple[str, ...] = DAILY_JOBS) -> list[JobResult]:
    return [run_job(name) for name in names]


def measure_import(name: str, extract: Path, rows: int, environment: dict[str, str]) -> ImportResult:
    """``manage.py import_gias`` in a child process of a child (so that its peak memory is its own)."""
    command = [sys.executable, str(MEASURE), sys.executable, "manage.py", "import_gias", str(extract)]
    finished = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command, cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=True,
    )
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    return ImportResult(
        name=name, rows=rows, seconds=figures["seconds"], peak_memory_mb=figures["peak_memory_mb"],
        summary=figures["first_line"].split(": ", 1)[-1], error=figures["error"],
    )
