"""Running calls at the same moment, each in its own thread and database connection (the race
tests on PostgreSQL)."""

import threading
from collections.abc import Callable

from django.db import connection

from refusals import Refusal


def run_at_once(*calls: Callable[[], object]) -> list[str]:
    """Run each call in its own thread and connection, released together by a barrier; each outcome
    is "done" or the class name of the refusal it raised (any app's)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("done")
        except Refusal as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes
