"""Locust drives one request, named in the environment by bench/load.py, as fast as it answers.

Run only by locust (``locust -f bench/locustfile.py``): BENCH_REQUEST_NAME, BENCH_REQUEST_PATH
and BENCH_REQUEST_HEADERS (JSON) say what to request; each simulated user requests it again as
soon as the answer arrives. Anything but a 200 counts as a failure (redirects are not followed,
so an expired session shows as a failure rather than as the sign-in page)."""

import json
import os

from locust import HttpUser, constant, task

NAME = os.environ["BENCH_REQUEST_NAME"]
PATH = os.environ["BENCH_REQUEST_PATH"]
HEADERS = json.loads(os.environ.get("BENCH_REQUEST_HEADERS", "{}"))


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
