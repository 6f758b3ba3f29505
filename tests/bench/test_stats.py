"""Reading locust's statistics, and the requests' throughput beside the floors'."""

import csv

import pytest

from bench.stats import LoadResult, read_locust_stats, throughput_ratio

COLUMNS = [
    "Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Average Response Time",
    "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s",
    "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%",
]


def _write_stats(path, rows):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _row(kind, name, count, failures, rps, p50, p95, p99):
    return [kind, name, count, failures, p50, p50, 1, p99, 1000, rps, 0, p50, p50, p50, p50, p95, p95, p99,
            p99, p99, p99, p99]


def test_the_named_requests_figures_are_read_not_the_aggregate(tmp_path):
    path = _write_stats(tmp_path / "x_stats.csv", [
        _row("GET", "school list", 812, 0, "40.5612", 95, 180, 240),
        _row("", "Aggregated", 812, 0, "40.5612", 95, 180, 240),
    ])

    result = read_locust_stats(path, "school list")

    assert result == LoadResult(requests=812, failures=0, requests_per_second=40.6, p50_ms=95.0,
                                p95_ms=180.0, p99_ms=240.0)
    assert result.answered


def test_failures_or_no_requests_mean_the_request_did_not_answer(tmp_path):
    path = _write_stats(tmp_path / "x_stats.csv", [_row("GET", "page", 10, 3, "1.0", 5, 6, 7)])

    assert not read_locust_stats(path, "page").answered
    assert not LoadResult(0, 0, 0.0, 0.0, 0.0, 0.0).answered


def test_percentiles_locust_could_not_compute_read_as_zero(tmp_path):
    path = _write_stats(tmp_path / "x_stats.csv", [_row("GET", "page", 0, 0, "0", "N/A", "N/A", "N/A")])

    assert read_locust_stats(path, "page").p95_ms == 0.0


def test_a_request_missing_from_the_file_is_an_error_naming_it(tmp_path):
    path = _write_stats(tmp_path / "x_stats.csv", [_row("", "Aggregated", 0, 0, "0", 0, 0, 0)])

    with pytest.raises(LookupError, match="'school page'"):
        read_locust_stats(path, "school page")


def test_throughput_is_a_fraction_of_the_floors():
    floor = LoadResult(1000, 0, 400.0, 4.0, 8.0, 9.0)
    page = LoadResult(250, 0, 100.0, 30.0, 60.0, 80.0)

    assert throughput_ratio(page, floor) == 0.25
    assert throughput_ratio(page, None) is None
    assert throughput_ratio(page, LoadResult(0, 0, 0.0, 0.0, 0.0, 0.0)) is None
