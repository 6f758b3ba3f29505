"""Load benchmark at England scale: ``make bench``.

Against PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/syslead_bench):
fills an empty database (migrate, then ``manage.py generate_national --seed --scale``; with
``--principals demo``, ``seed_demo`` instead), starts the app under gunicorn on the loopback with
2 sync workers and production settings over plain http, and drives each request in turn with
locust headless (4 concurrent clients for --duration seconds each). Beside every request: two
floors measured in the same run (a view touching nothing, and the signed-in empty page), and the
queries one request runs, counted in-process. Then the GIAS import of an extract of every school
into an empty scratch database and again (time, peak memory), and each daily job over the data.
Writes results.json and results.md (bench/, or --output; --smoke writes to a temporary directory).
Exits non-zero if any request failed or any job or import errored.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import sys
import tempfile
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
# Run as a script (python bench/run.py): the project's packages, bench included, import from its root.
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
SMOKE_SCALE = 0.01
SMOKE_DURATION_SECONDS = 2.0


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")),
                        help="Scale of the data generated into an empty database (BENCH_SCALE, default 1).")
    parser.add_argument("--seed", type=int, default=1, help="The generator's seed (default 1).")
    parser.add_argument("--duration", type=float, default=20.0,
                        help="Seconds of load per request (default 20).")
    parser.add_argument("--users", type=int, default=4, help="Concurrent locust clients (default 4).")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="Only requests whose name contains NAME (repeatable); floors always run.")
    parser.add_argument("--skip-import", action="store_true", help="Leave out the GIAS import.")
    parser.add_argument("--skip-jobs", action="store_true", help="Leave out the daily jobs.")
    parser.add_argument("--smoke", action="store_true",
                        help=f"{SMOKE_SCALE:.0%}% scale, {SMOKE_DURATION_SECONDS:g} s per request, results "
                             "in a temporary directory: proves every request answers and every job runs.")
    parser.add_argument("--output", type=Path,
                        help="Directory for results.json and results.md (default bench/).")
    parser.add_argument("--principals", choices=["national", "demo"], default="national",
                        help="Whose sign-ins to use: the national generator's (default) or seed_demo's, to "
                             "develop on demo data (an empty database is then filled by seed_demo).")
    arguments = parser.parse_args(argv)
    if arguments.smoke:
        arguments.scale, arguments.duration = SMOKE_SCALE, SMOKE_DURATION_SECONDS
        arguments.output = arguments.output or Path(tempfile.mkdtemp(prefix="bench-smoke-"))
    arguments.output = arguments.output or BENCH_DIR
    return arguments


def _configure_django(database_url: str) -> None:
    """This process reads the benchmark database: tasks in-process, e-mails dropped, no DEBUG."""
    from bench.database import child_environment

    os.environ.update(child_environment(database_url))
    # Shared with gunicorn, which must read the sessions this process writes.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    for key in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL"):
        os.environ.pop(key, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def _ensure_data(database_url: str, arguments: argparse.Namespace) -> tuple[str, bool]:
    """Migrate the database and fill it if it is empty: a sentence saying what data the run used,
    and whether this run generated it."""
    from bench import database

    if not database.exists(database_url):
        database.create(database_url)
    # A database filled by an earlier run is brought up to the code's schema (its indexes too).
    database.manage(database_url, "migrate", "--noinput", "-v0")
    from schools.models import School

    if School.objects.exists():
        return _describe_data(arguments), False
    if arguments.principals == "demo":
        database.manage(database_url, "seed_demo")
    else:
        database.manage(database_url, "generate_national", "--seed", str(arguments.seed),
                        "--scale", str(arguments.scale))
    return _describe_data(arguments), True


def _describe_data(arguments: argparse.Namespace) -> str:
    from deployments.models import Deployment
    from designations.models import Designation
    from schools.models import School

    source = "seed_demo's demo data" if arguments.principals == "demo" else "the national generator's data"
    return (f"{source} ({School.objects.count():,} establishments, {Designation.objects.count():,} "
            f"designations, {Deployment.objects.count():,} deployments)")


def _note(arguments: argparse.Namespace) -> str:
    if arguments.smoke:
        return "Smoke run: 1% scale, 2 s per request; proves that everything answers, times nothing."
    if arguments.principals == "demo":
        return ("Development run on seed_demo's small demo data, not England scale: these are not the "
                "issue's figures.")
    return ""


def _credentials(users):
    from bench.principals import ANONYMOUS, api_token_for, national_body_of, sign_in

    credentials = {part: sign_in(user) for part, user in users.items()}
    credentials["anonymous"] = ANONYMOUS
    credentials["api_token"] = api_token_for(national_body_of(users["national_admin"]))
    return credentials


def _selected(plan, only: list[str]):
    from bench.plan import SIGNED_IN_FLOOR, TRIVIAL_FLOOR

    if not only:
        return plan
    floors = {TRIVIAL_FLOOR, SIGNED_IN_FLOOR}
    return [p for p in plan if p.name in floors or any(word.lower() in p.name.lower() for word in only)]


def _load_results(plan, credentials, database_url: str, arguments, work_dir: Path):
    from bench.load import drive, gunicorn, warm_up
    from bench.queries import RequestFailed, count_queries
    from bench.results import RequestResult
    from bench.stats import LoadResult

    queries = {}
    for planned in plan:
        try:
            queries[planned.name] = count_queries(planned.path, credentials[planned.principal])
        except RequestFailed as error:
            print(f"  {planned.name}: {error}", file=sys.stderr)
            queries[planned.name] = None
    results = []
    with gunicorn(database_url, work_dir) as base_url:
        for planned in plan:
            headers = credentials[planned.principal].headers()
            status = warm_up(base_url + planned.path, headers)
            if status != 200:
                print(f"  {planned.name}: GET {planned.path} answered {status}", file=sys.stderr)
                load = LoadResult(1, 1, 0.0, 0.0, 0.0, 0.0)  # the warm-up request failed
            else:
                load = drive(base_url, planned.name, planned.path, headers, users=arguments.users,
                             seconds=arguments.duration, work_dir=work_dir)
            print(f"  {planned.name}: {load.requests_per_second} req/s, p95 {load.p95_ms} ms, "
                  f"{queries[planned.name]} queries", flush=True)
            results.append(RequestResult(planned.name, planned.path, planned.principal, load,
                                         queries[planned.name], planned.target_p95_ms,
                                         is_list=planned.is_list))
    return results


def _import_results(database_url: str, work_dir: Path):
    from bench import database
    from bench.generate import write_gias_extract
    from bench.jobs import measure_import
    from schools.models import School

    extract = work_dir / "gias_extract.csv"
    rows = write_gias_extract(extract, School.objects.count())
    scratch = database.fresh_scratch(database_url)
    environment = database.child_environment(scratch)
    try:
        return [measure_import(name, extract, rows, environment)
                for name in ("first run, empty schools table", "re-run, same file")]
    finally:
        database.drop(scratch)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    from bench.database import DEFAULT_URL

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    _configure_django(database_url)
    from django.db import connection

    from bench.jobs import run_daily_jobs
    from bench.load import WORKERS
    from bench.plan import SIGNED_IN_FLOOR, TRIVIAL_FLOOR, build_plan
    from bench.principals import principal_users, sign_out
    from bench.results import Report, compare_with_floors, describe_machine, write_json, write_markdown

    started = datetime.datetime.now(datetime.UTC)
    print("Preparing the data...", flush=True)
    data, generated = _ensure_data(database_url, arguments)
    print(f"Data: {data}", flush=True)
    users = principal_users(arguments.principals)
    plan = _selected(build_plan(users), arguments.only)
    credentials = _credentials(users)
    arguments.output.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix="bench-work-"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres_version = cursor.fetchone()[0]
    report = Report(
        machine=describe_machine(postgres_version),
        run={"date": started.strftime("%Y-%m-%d %H:%M UTC"), "data": data,
             # The demo data has no scale or seed; data found in the database was generated earlier.
             "scale": arguments.scale if arguments.principals == "national" else None,
             "seed": arguments.seed if arguments.principals == "national" else None,
             "generated_by_this_run": generated, "users": arguments.users, "workers": WORKERS,
             "duration_s": arguments.duration,
             "smoke": arguments.smoke, "note": _note(arguments)},
    )
    print(f"Driving {len(plan)} requests, {arguments.duration:g} s each...", flush=True)
    try:
        report.requests = _load_results(plan, credentials, database_url, arguments, work_dir)
    finally:
        for signed_in in credentials.values():
            sign_out(signed_in)
    compare_with_floors(report.requests, TRIVIAL_FLOOR, SIGNED_IN_FLOOR)
    if not arguments.skip_jobs:
        print("Daily jobs...", flush=True)
        report.jobs = run_daily_jobs()
    if not arguments.skip_import:
        print("GIAS import...", flush=True)
        report.imports = _import_results(database_url, work_dir)
    write_json(report, arguments.output / "results.json")
    write_markdown(report, arguments.output / "results.md")
    print(f"Results: {arguments.output / 'results.md'} (locust and gunicorn logs in {work_dir})")
    for failure in report.failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
