"""``/healthz``: can this instance reach its database, cache and task broker? ``/livez``: is the
process answering at all?

For load balancers and uptime checks: no authentication, JSON, 200 when every dependency
answers and 503 otherwise. Failures are logged by exception class only and reported as
"error": exception messages can carry connection strings and passwords. ``/livez`` touches no
dependency, no session and no database: a liveness probe, and the benchmark's framework floor.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
EAGER = "eager"
BROKER_TIMEOUT_SECONDS = 2


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, OK, timeout=10)
    value = cache.get(key)
    cache.delete(key)
    return OK if value == OK else ERROR


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return EAGER
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def _run(name: str, check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - any failure of a dependency means "unhealthy"
        logger.warning("Health check %s failed: %s", name, type(error).__name__)
        return ERROR


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = all(result in {OK, EAGER} for result in results.values())
    results["status"] = OK if healthy else ERROR
    return JsonResponse(results, status=200 if healthy else 503)


@never_cache
@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    return HttpResponse(OK, content_type="text/plain; charset=utf-8")
