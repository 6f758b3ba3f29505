"""Locust drives one request, named in the environment by bench/load.py, as fast as it answers.

Run only by locust (``locust -f bench/locustfile.py``): BENCH_REQUEST_NAME, BENCH_REQUEST_PATH
and BENCH_REQUEST_HEADERS (JSON) say what to request; each simulated user requests it again as
soon as the answer arrives. Anything but a 200 counts as a failure (redirects are not followed,
so an expired session shows as a failure rather than as the sign-in page). When locust quits, the
final statistics are written to BENCH_STATS_CSV in its ``_stats.csv`` format: its own ``--csv``
files are written once a second while it runs, so they miss the last second or, for a short
run, every request."""

import csv
import json
import os

from locust import HttpUser, constant, events, task
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

NAME = os.environ["BENCH_REQUEST_NAME"]
PATH = os.environ["BENCH_REQUEST_PATH"]
HEADERS = json.loads(os.environ.get("BENCH_REQUEST_HEADERS", "{}"))
STATS_CSV = os.environ["BENCH_STATS_CSV"]
_run = {}


@events.init.add_listener
def _remember_environment(environment, **kwargs) -> None:
    _run["environment"] = environment


@events.quit.add_listener
def _write_final_stats(**kwargs) -> None:
    with open(STATS_CSV, "w", newline="", encoding="utf-8") as handle:
        StatsCSV(_run["environment"], PERCENTILES_TO_REPORT).requests_csv(csv.writer(handle))


class BenchUser(HttpUser):
    wait_time = constant(0)

    @task
    def request(self) -> None:
        # Cookies the responses set are dropped: every request carries only its own credentials.
        self.client.cookies.clear()
        with self.client.get(
            PATH, headers=HEADERS, name=NAME, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
