"""The app under gunicorn, production-like, and locust driving one request at a time against it."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.database import child_environment
from bench.stats import LoadResult, read_locust_stats

BASE_DIR = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
WORKERS = 2
STARTUP_SECONDS = 60
WARM_UP_REQUESTS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(database_url: str) -> dict[str, str]:
    """Production settings over plain http on the loopback: no HTTPS redirect or HSTS, persistent
    connections, no practical API rate limit, the static files' plain storage (nothing is
    collected; pages only name the files).
    DJANGO_SECRET_KEY comes from this process's environment: the sessions it writes must read back."""
    environment = child_environment(database_url)
    environment.update(
        DJANGO_ENV="production",
        DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_HSTS_SECONDS="0",
        DATABASE_CONN_MAX_AGE="60",
        # One token drives every API request, thousands a minute: the run measures speed, so the
        # token's rate limit (1,000 an hour by default) must not answer for the app.
        API_THROTTLE_RATE="100000000/hour",
    )
    if os.environ.get("BENCH_REDIS_URL"):
        environment["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return environment


@contextlib.contextmanager
def gunicorn(database_url: str, log_dir: Path) -> Iterator[str]:
    """Serve the app on a free loopback port with 2 sync workers; yields its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (log_dir / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "python:config.gunicorn",
         "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
         "--access-logfile", "/dev/null", "--error-logfile", "-"],
        cwd=BASE_DIR, env=server_environment(database_url), stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(base_url, process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_up(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with code {process.returncode}: see gunicorn.log")
        with contextlib.suppress(OSError):
            if fetch_status(f"{base_url}/livez", {}) == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch_status(url: str, headers: dict[str, str]) -> int:
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=120) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def warm_up(url: str, headers: dict[str, str]) -> int:
    """A few requests, so that both workers have loaded what the page needs; the last status."""
    status = 0
    for _ in range(WARM_UP_REQUESTS):
        status = fetch_status(url, headers)
        if status != 200:
            break
    return status


def locust_command(base_url: str, users: int, seconds: float) -> list[str]:
    python = os.environ.get("BENCH_LOCUST_PYTHON", sys.executable)
    return [
        python, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base_url,
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{max(1, round(seconds))}s",
        "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]


def drive(base_url: str, name: str, path: str, headers: dict[str, str], *, users: int, seconds: float,
          work_dir: Path) -> LoadResult:
    """Run locust headless against one request for ``seconds`` with ``users`` concurrent clients."""
    slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
    stats_csv = work_dir / f"{slug}_stats.csv"
    environment = {
        **os.environ, "BENCH_REQUEST_NAME": name, "BENCH_REQUEST_PATH": path,
        "BENCH_REQUEST_HEADERS": json.dumps(headers), "BENCH_STATS_CSV": str(stats_csv),
    }
    with (work_dir / f"{slug}.locust.log").open("w") as log:
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            locust_command(base_url, users, seconds), cwd=BASE_DIR, env=environment,
            stdout=log, stderr=subprocess.STDOUT, check=True, timeout=seconds + 120,
        )
    return read_locust_stats(stats_csv, name)
