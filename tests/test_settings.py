"""Production settings refuse to start without their secrets and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup()"


def _run(args: list[str], **environment: str) -> subprocess.CompletedProcess:
    """Run Python in the project with only the given environment, as a fresh server would."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **environment}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, *args], cwd=PROJECT_DIR, env=clean, capture_output=True, text=True, timeout=120,
    )


def _production(**overrides: str) -> dict[str, str]:
    return {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "syslead.example.org",
        **overrides,
    }


def test_production_refuses_to_start_without_a_secret_key():
    environment = _production()
    del environment["DJANGO_SECRET_KEY"]

    result = _run(["-c", SETUP], **environment)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    environment = _production()
    del environment["DJANGO_ALLOWED_HOSTS"]

    result = _run(["-c", SETUP], **environment)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_an_unknown_environment_name_is_refused():
    result = _run(["-c", SETUP], DJANGO_ENV="staging")

    assert result.returncode != 0
    assert "DJANGO_ENV must be 'development' or 'production'" in result.stderr


def test_production_passes_the_deployment_checks():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **_production())

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_starts_with_nothing_set():
    result = _run(["-c", SETUP + "; from django.conf import settings; print(settings.DEBUG)"])

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_s3_storage_keeps_uploads_in_a_private_bucket():
    show = (
        SETUP + "; from django.core.files.storage import default_storage as s; "
        "s._setup(); "
        "print(type(s._wrapped).__name__, s.bucket_name, s.default_acl, s.querystring_auth, s.endpoint_url)"
    )
    result = _run(
        ["-c", show], FILE_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="syslead-evidence",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "syslead-evidence", "private", "True", "http://127.0.0.1:9000"]


def test_s3_storage_needs_a_bucket():
    result = _run(["-c", SETUP], FILE_STORAGE="s3")

    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_file_storage_is_refused():
    result = _run(["-c", SETUP], FILE_STORAGE="ftp")

    assert result.returncode != 0
    assert "FILE_STORAGE must be 'filesystem' or 's3'" in result.stderr


def test_tasks_are_acknowledged_late_and_redelivered_after_the_longest_task():
    show = (
        SETUP + "; from config.celery import app; c = app.conf; "
        "print(c.task_acks_late, c.task_reject_on_worker_lost, c.worker_prefetch_multiplier, "
        "c.task_time_limit, c.broker_transport_options['visibility_timeout'])"
    )
    result = _run(["-c", show], CELERY_TASK_TIME_LIMIT="1800")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "1", "1800", "2100"]


def test_a_visibility_timeout_shorter_than_the_longest_task_is_refused():
    result = _run(["-c", SETUP], CELERY_TASK_TIME_LIMIT="3600", CELERY_VISIBILITY_TIMEOUT="600")

    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT" in result.stderr


def test_an_import_stale_interval_must_be_positive():
    result = _run(["-c", SETUP], IMPORT_STALE_MINUTES="0")

    assert result.returncode != 0
    assert "IMPORT_STALE_MINUTES must be a number of minutes greater than 0" in result.stderr


def _proxy_ssl_header(**environment: str) -> str:
    result = _run(
        ["-c", SETUP + "; from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"],
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_x_forwarded_proto_is_not_trusted_without_a_proxy():
    assert _proxy_ssl_header(**_production()) == "None"


def test_x_forwarded_proto_is_trusted_behind_a_configured_proxy():
    header = _proxy_ssl_header(**_production(TRUSTED_PROXY_COUNT="1"))

    assert header == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_negative_proxy_count_is_refused():
    result = _run(["-c", SETUP], **_production(TRUSTED_PROXY_COUNT="-1"))

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_docker_compose_publishes_gunicorn_only_on_the_loopback_for_the_proxy():
    compose = (PROJECT_DIR / "docker-compose.yml").read_text()

    lines = [line.strip() for line in compose.splitlines()]
    published = [line for line in lines if line.startswith('- "') and ":8000" in line]
    assert published == ['- "127.0.0.1:8000:8000"']
    assert "TRUSTED_PROXY_COUNT: ${TRUSTED_PROXY_COUNT:-1}" in compose


def test_an_idle_limit_outside_one_minute_to_eight_hours_is_refused():
    result = _run(["-c", SETUP], **_production(SESSION_IDLE_MINUTES="0"))

    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES" in result.stderr
