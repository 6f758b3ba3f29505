"""The benchmark's report: the machine it ran on, and results.json and results.md from one run."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.jobs import ImportResult, JobResult
from bench.stats import LoadResult, throughput_ratio

QUERY_TARGET = 12


@dataclass
class RequestResult:
    name: str
    path: str
    principal: str
    load: LoadResult
    queries: int | None
    target_p95_ms: int | None
    vs_trivial_floor: float | None = None
    vs_signed_in_floor: float | None = None

    @property
    def p95_met(self) -> bool | None:
        return None if self.target_p95_ms is None else self.load.p95_ms < self.target_p95_ms

    @property
    def queries_met(self) -> bool | None:
        return None if self.target_p95_ms is None or self.queries is None else self.queries <= QUERY_TARGET


@dataclass
class Report:
    machine: dict[str, str]
    run: dict[str, object]
    requests: list[RequestResult] = field(default_factory=list)
    imports: list[ImportResult] = field(default_factory=list)
    jobs: list[JobResult] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        failed = [f"{r.name}: {r.load.failures} of {r.load.requests} failed"
                  for r in self.requests if not r.load.answered]
        failed += [f"import {i.name}: {i.error}" for i in self.imports if i.error]
        failed += [f"job {j.name}: {j.error}" for j in self.jobs if j.error]
        return failed


def compare_with_floors(results: list[RequestResult], trivial: str, signed_in: str) -> None:
    """Fill in each result's throughput as a fraction of the two floors' measured in the same run."""
    by_name = {result.name: result.load for result in results}
    for result in results:
        result.vs_trivial_floor = throughput_ratio(result.load, by_name.get(trivial))
        result.vs_signed_in_floor = throughput_ratio(result.load, by_name.get(signed_in))


def _first_line_with(path: Path, prefix: str) -> str:
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def describe_machine(postgres_version: str) -> dict[str, str]:
    memory_kib = _first_line_with(Path("/proc/meminfo"), "MemTotal").split(" ")[0]
    return {
        "cpu": _first_line_with(Path("/proc/cpuinfo"), "model name") or platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
        "ram_gb": f"{int(memory_kib) / 1024 / 1024:.1f}" if memory_kib.isdigit() else "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "postgresql": postgres_version,
        # Other work on the machine slows every figure: the 1-minute load average as the run began.
        "load_average": f"{os.getloadavg()[0]:.1f}",
    }


def _as_dict(result: RequestResult) -> dict[str, object]:
    return {**asdict(result), "p95_met": result.p95_met, "queries_met": result.queries_met}


def write_json(report: Report, path: Path) -> None:
    body = {
        "machine": report.machine, "run": report.run,
        "requests": [_as_dict(result) for result in report.requests],
        "imports": [asdict(result) for result in report.imports],
        "jobs": [asdict(result) for result in report.jobs],
    }
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"
    return str(value)


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def render_markdown(report: Report) -> str:
    run, machine = report.run, report.machine
    lines = [
        "# Load benchmark results",
        "",
        f"Run {run['date']} by `make bench` (bench/run.py): {run['data']}, scale {run['scale']}, seed "
        f"{run['seed']}; gunicorn with {run['workers']} sync workers, {run['users']} concurrent locust "
        f"clients, {run['duration_s']} s per request.",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM, {machine['os']}; "
        f"PostgreSQL {machine['postgresql']}; Python {machine['python']}; load average "
        f"{machine.get('load_average', 'unknown')} as the run began. Locust runs on the same cores as "
        "gunicorn and PostgreSQL.",
        "",
        *([f"**{run['note']}**", ""] if run.get("note") else []),
        "## Requests",
        "",
        "Requests/s and the percentiles (ms) are locust's; queries are one request's, counted in-process "
        "as the same principal. \"× floor\" is the request's requests/s as a fraction of the floor's in "
        f"this run. Targets: p95 as issue 12 sets it, at most {QUERY_TARGET} queries.",
        "",
        _row(["request", "as", "req/s", "p50", "p95", "p99", "queries", "× trivial floor",
              "× signed-in floor", "p95 target", "p95 met", "queries met"]),
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in report.requests:
        lines.append(_row([
            r.name, r.principal.replace("_", " "), r.load.requests_per_second, r.load.p50_ms, r.load.p95_ms,
            r.load.p99_ms, r.queries, r.vs_trivial_floor, r.vs_signed_in_floor, r.target_p95_ms, r.p95_met,
            r.queries_met,
        ]))
    if report.imports:
        lines += ["", "## GIAS import", "", "`manage.py import_gias` of an extract written from the data, "
                  "into an empty scratch database, then again into the same one.", "",
                  _row(["run", "rows", "seconds", "peak memory (MB)", "summary"]),
                  "| --- | ---: | ---: | ---: | --- |"]
        lines += [_row([i.name, i.rows, i.seconds, i.peak_memory_mb, i.summary or i.error])
                  for i in report.imports]
    if report.jobs:
        lines += ["", "## Daily jobs", "", "Each command once, in-process, over the data above.", "",
                  _row(["job", "seconds", "queries", "error"]), "| --- | ---: | ---: | --- |"]
        lines += [_row([j.name, j.seconds, j.queries, j.error or None]) for j in report.jobs]
    return "\n".join(lines) + "\n"


def write_markdown(report: Report, path: Path) -> None:
    path.write_text(render_markdown(report), encoding="utf-8")
