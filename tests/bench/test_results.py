"""results.json and results.md from one run: every request with its ratios and targets."""

import json

from bench.jobs import ImportResult, JobResult
from bench.results import Report, RequestResult, compare_with_floors, render_markdown, write_json
from bench.stats import LoadResult

MACHINE = {"cpu": "Example CPU", "cores": "2", "ram_gb": "8.0", "os": "Linux 6", "python": "3.11.9",
           "postgresql": "15.20", "load_average": "0.4"}
RUN = {"date": "2026-12-01 22:00 UTC", "data": "the national generator's data", "scale": 1.0, "seed": 1,
       "users": 4, "workers": 2, "duration_s": 20.0, "smoke": False}


def _report():
    results = [
        RequestResult("trivial", "/livez", "anonymous", LoadResult(4000, 0, 800.0, 4, 6, 8), 0, None),
        RequestResult("signed in", "/signed-in/", "national_admin", LoadResult(2000, 0, 400.0, 9, 12, 15), 4,
                      None),
        RequestResult("school list", "/schools/", "national_admin", LoadResult(500, 0, 100.0, 35, 120, 160),
                      9, 150),
        RequestResult("dashboard", "/support/dashboard/", "la_officer",
                      LoadResult(100, 0, 20.0, 180, 300, 400), 14, 250),
    ]
    compare_with_floors(results, "trivial", "signed in")
    imports = [ImportResult("first run", 50_000, 21.5, 103.2, "50000 created, 0 updated")]
    jobs = [JobResult("check_designations", 3.25, 41), JobResult("flag_overdue_claims", 0.5, 3, "Boom")]
    return Report(MACHINE, RUN, results, imports, jobs)


def test_ratios_and_targets_are_worked_out_per_request():
    report = _report()
    school_list, dashboard = report.requests[2], report.requests[3]

    assert (school_list.vs_trivial_floor, school_list.vs_signed_in_floor) == (0.125, 0.25)
    assert (school_list.p95_met, school_list.queries_met) == (True, True)
    assert (dashboard.p95_met, dashboard.queries_met) == (False, False)
    assert report.requests[0].p95_met is None


def test_the_json_holds_the_machine_the_run_and_every_figure(tmp_path):
    path = tmp_path / "results.json"
    write_json(_report(), path)

    body = json.loads(path.read_text())
    assert body["machine"]["postgresql"] == "15.20"
    assert body["run"]["scale"] == 1.0
    school_list = body["requests"][2]
    assert school_list["load"]["p95_ms"] == 120
    assert school_list["queries"] == 9
    assert school_list["vs_signed_in_floor"] == 0.25
    assert school_list["p95_met"] is True
    assert body["imports"][0]["peak_memory_mb"] == 103.2
    assert body["jobs"][1]["error"] == "Boom"


def test_the_markdown_describes_the_machine_and_has_a_row_per_request():
    text = render_markdown(_report())

    assert "Example CPU, 2 cores, 8.0 GB RAM" in text
    assert "PostgreSQL 15.20" in text
    assert "load average 0.4" in text
    assert "scale 1.0, seed 1" in text
    row = "| school list | national admin | 100 | 35 | 120 | 160 | 9 | 0.12 | 0.25 | 150 | yes | yes |"
    assert row in text
    assert "| dashboard | la officer | 20 | 180 | 300 | 400 | 14 |" in text
    assert "**no**" in text
    assert "| first run | 50000 | 22 | 103 | 50000 created, 0 updated |" in text
    assert "| flag_overdue_claims | 0.50 | 3 | Boom |" in text


def test_a_runs_note_says_what_the_figures_are_not():
    report = _report()
    report.run["note"] = "Demo data, not England scale."

    assert "**Demo data, not England scale.**" in render_markdown(report)


def test_failed_requests_and_erroring_jobs_are_the_runs_failures():
    report = _report()
    report.requests.append(RequestResult("broken", "/x/", "broker", LoadResult(10, 10, 1.0, 1, 1, 1), 1, 150))

    assert report.failures == ["broken: 10 of 10 failed", "job flag_overdue_claims: Boom"]
