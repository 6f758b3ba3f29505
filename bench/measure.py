"""Run a command as a child and print, as JSON, its wall time, peak memory and first output line.

``python bench/measure.py COMMAND...``: a process of its own, so that ``RUSAGE_CHILDREN`` holds
only that command (the benchmark's own children, gunicorn and locust, are not its children)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def measure(command: list[str]) -> dict[str, object]:
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    output = finished.stdout.strip().splitlines()
    return {
        "seconds": round(seconds, 2), "peak_memory_mb": round(peak_kib / 1024, 1),
        "returncode": finished.returncode, "first_line": output[0] if output else "",
        "error": finished.stderr.strip()[-2000:] if finished.returncode else "",
    }


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1:])))
