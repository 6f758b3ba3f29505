"""Reading locust's CSV statistics, and comparing a request with the floors measured beside it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LoadResult:
    """One request driven for a while by locust: throughput and latency percentiles (ms)."""

    requests: int
    failures: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def answered(self) -> bool:
        return self.requests > 0 and self.failures == 0


def _number(row: dict[str, str], column: str) -> float:
    value = (row.get(column) or "").strip()
    return float(value) if value and value != "N/A" else 0.0


def read_locust_stats(path: Path, name: str) -> LoadResult:
    """The row named ``name`` of a locust ``<prefix>_stats.csv`` file."""
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == name:
                return LoadResult(
                    requests=int(_number(row, "Request Count")),
                    failures=int(_number(row, "Failure Count")),
                    requests_per_second=round(_number(row, "Requests/s"), 1),
                    p50_ms=_number(row, "50%"),
                    p95_ms=_number(row, "95%"),
                    p99_ms=_number(row, "99%"),
                )
    raise LookupError(f"{path.name} has no statistics for {name!r}: did no request run?")


def throughput_ratio(result: LoadResult, floor: LoadResult | None) -> float | None:
    """The request's requests per second as a fraction of the floor's (1.0: as fast as the floor)."""
    if floor is None or not floor.requests_per_second:
        return None
    return round(result.requests_per_second / floor.requests_per_second, 3)

