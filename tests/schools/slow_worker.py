"""The project's Celery app for the worker-loss test (``celery -A tests.schools.slow_worker worker``).

Imports are slowed down (small batches, a pause before each) so that the test can kill the worker
mid-run, and lost messages come back after ``TEST_VISIBILITY_TIMEOUT`` seconds, looked for every
second, instead of after the production timeout.
"""

import os
import time

import django

from config.celery import app

django.setup()

from schools.importers import base  # noqa: E402 - needs the apps loaded

PAUSE_SECONDS = float(os.environ.get("TEST_IMPORT_PAUSE_SECONDS", "0.2"))
base.BATCH_SIZE = int(os.environ.get("TEST_IMPORT_BATCH_SIZE", "100"))
_flush = base.Importer._flush


def _slow_flush(self, batch):
    time.sleep(PAUSE_SECONDS)
    _flush(self, batch)


base.Importer._flush = _slow_flush
app.conf.broker_transport_options = {
    "visibility_timeout": int(os.environ.get("TEST_VISIBILITY_TIMEOUT", "3")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

__all__ = ["app"]
