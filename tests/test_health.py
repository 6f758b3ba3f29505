import socket

import pytest
from django.db import OperationalError
from django.urls import reverse

from config import health

pytestmark = pytest.mark.django_db

URL = reverse("healthz")


def test_embedded_default_is_healthy_without_signing_in(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "eager", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_head_request_from_a_load_balancer_is_answered(client):
    assert client.head(URL).status_code == 200


def test_database_failure_is_503_without_the_error_text(client, monkeypatch):
    def failing_database() -> str:
        raise OperationalError('could not connect to "postgres://app:s3cret@db/app"')

    monkeypatch.setitem(health.CHECKS, "database", failing_database)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"
    assert b"s3cret" not in response.content


def test_cache_that_loses_what_was_written_is_an_error(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def _unused_local_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_broker_is_503_and_the_url_is_not_leaked(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://worker:s3cret@127.0.0.1:{_unused_local_port()}/0"

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert b"s3cret" not in response.content
    assert b"127.0.0.1" not in response.content


def test_reachable_broker_is_ok(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.redis
def test_a_reachable_redis_broker_is_reported_ok(client, settings):
    assert settings.CELERY_BROKER_URL, "CELERY_BROKER_URL must point at Redis for this test"
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
